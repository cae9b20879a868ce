package dev.saturn.api.billing;

import dev.saturn.api.audit.AuditTrail;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.billing.Invoice;
import dev.saturn.db.billing.InvoiceFinalizedException;
import dev.saturn.db.billing.InvoiceRepository;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.webhooks.EventOutbox;
import dev.saturn.db.webhooks.WebhookEventType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finalizes an invoice draft for {@code POST /v1/invoices/{id}/finalize} and the console's Finalize
 * button: recomputes the draft from the events and freezes it, in one transaction with its audit row
 * and the {@code invoice.finalized} event.
 */
@Service
class InvoiceFinalization {

  private final InvoiceRepository invoices;
  private final AuditTrail audit;
  private final EventOutbox outbox;
  private final JsonMapper json;

  InvoiceFinalization(InvoiceRepository invoices, AuditTrail audit, EventOutbox outbox, JsonMapper json) {
    this.invoices = invoices;
    this.audit = audit;
    this.outbox = outbox;
    this.json = json;
  }

  /** @throws ApiException NOT_FOUND for no such invoice of the company, CONFLICT when it is finalized already */
  @Transactional
  Invoice finalizeInvoice(Caller caller, String invoiceId) {
    CompanyId company = caller.company();
    try {
      Invoice finalized = invoices.finalizeInvoice(company, invoiceId)
          .orElseThrow(() -> ApiException.notFound("invoice " + invoiceId));
      audit.record(caller, "invoice.finalize", "invoice", invoiceId, null, Map.of(
          "status", "finalized", "period", finalized.period(), "total_minor", finalized.totalMinor(),
          "event_count", finalized.eventCount(), "event_digest", finalized.eventDigest()));
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("invoice_id", finalized.id());
      data.put("period", finalized.period());
      data.put("status", finalized.status().dbValue());
      data.put("currency", finalized.currency());
      data.put("total_minor", finalized.totalMinor());
      data.put("event_count", finalized.eventCount());
      outbox.record(company, WebhookEventType.INVOICE_FINALIZED, "invoice.finalized:" + finalized.id(),
          json.writeValueAsString(data));
      return finalized;
    } catch (InvoiceFinalizedException e) {
      throw ApiException.conflict("Invoice " + invoiceId + " is already finalized");
    }
  }
}
