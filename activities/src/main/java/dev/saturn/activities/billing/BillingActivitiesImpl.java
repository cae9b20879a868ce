package dev.saturn.activities.billing;

import dev.saturn.activities.common.BusinessMetrics;
import dev.saturn.db.billing.BillingCatalog;
import dev.saturn.db.billing.BillingPeriod;
import dev.saturn.db.billing.Invoice;
import dev.saturn.db.billing.InvoiceFinalizedException;
import dev.saturn.db.billing.InvoiceRepository;
import dev.saturn.db.common.CompanyId;
import dev.saturn.workflows.billing.BillingActivities;
import dev.saturn.workflows.billing.CompanyPage;
import dev.saturn.workflows.billing.CompanyPageQuery;
import dev.saturn.workflows.billing.InvoiceDraftInput;
import dev.saturn.workflows.billing.InvoiceDraftResult;
import dev.saturn.workflows.common.ErrorCode;
import io.temporal.failure.ApplicationFailure;
import org.springframework.stereotype.Component;

/**
 * Idempotent by construction: reading the catalog changes nothing, and a draft is a pure function
 * of the plan and the events, stored under the unique (company, period).
 */
@Component
public class BillingActivitiesImpl implements BillingActivities {

  private final BillingCatalog catalog;
  private final InvoiceRepository invoices;
  private final BusinessMetrics metrics;

  public BillingActivitiesImpl(BillingCatalog catalog, InvoiceRepository invoices, BusinessMetrics metrics) {
    this.catalog = catalog;
    this.invoices = invoices;
    this.metrics = metrics;
  }

  @Override
  public CompanyPage companiesWithUsage(CompanyPageQuery query) {
    if (query.afterCompanyId() == null) {
      metrics.billingRunStarted();
    }
    return new CompanyPage(catalog.companiesWithUsage(period(query.period()), query.afterCompanyId(), query.limit()));
  }

  @Override
  public InvoiceDraftResult draftInvoice(InvoiceDraftInput input) {
    try {
      InvoiceRepository.DraftResult result = invoices.draft(CompanyId.of(input.companyId()), period(input.period()));
      Invoice invoice = result.invoice();
      metrics.invoiceDrafted(result.changed() ? "changed" : "unchanged");
      return new InvoiceDraftResult(invoice.id(), invoice.companyId(), invoice.period(), invoice.status().dbValue(),
          invoice.totalMinor(), invoice.eventCount(), invoice.eventDigest(), result.changed());
    } catch (InvoiceFinalizedException e) {
      metrics.invoiceDrafted("finalized");
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), ErrorCode.CONFLICT.name());
    }
  }

  private static BillingPeriod period(String text) {
    return BillingPeriod.parse(text).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
        "not a billing period (YYYY-MM): " + text, ErrorCode.VALIDATION_FAILED.name()));
  }
}
