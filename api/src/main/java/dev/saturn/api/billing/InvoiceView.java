package dev.saturn.api.billing;

import dev.saturn.db.billing.Invoice;
import dev.saturn.db.billing.InvoiceLine;
import java.time.Instant;
import java.util.List;

/** An invoice as the API shows it; {@code lines} is empty in lists. Money in minor units of {@code currency}. */
record InvoiceView(
    String id,
    String companyId,
    String period,
    String status,
    String currency,
    String planId,
    long subtotalMinor,
    long totalMinor,
    long eventCount,
    String eventDigest,
    Instant createdAt,
    Instant updatedAt,
    Instant finalizedAt,
    List<LineView> lines) {

  record LineView(
      int lineNo, String kind, String description, String model, String unit, long quantity, long unitPriceMinor,
      long amountMinor) {

    static LineView of(InvoiceLine l) {
      return new LineView(l.lineNo(), l.kind(), l.description(), l.model(), l.unit(), l.quantity(), l.unitPriceMinor(),
          l.amountMinor());
    }
  }

  static InvoiceView of(Invoice i) {
    return new InvoiceView(i.id(), i.companyId(), i.period(), i.status().dbValue(), i.currency(), i.planId(),
        i.subtotalMinor(), i.totalMinor(), i.eventCount(), i.eventDigest(), i.createdAt(), i.updatedAt(),
        i.finalizedAt(), i.lines().stream().map(LineView::of).toList());
  }
}
