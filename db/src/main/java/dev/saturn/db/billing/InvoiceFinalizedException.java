package dev.saturn.db.billing;

/** A finalized invoice was asked to change (recompute or finalize again); it never does. */
public class InvoiceFinalizedException extends RuntimeException {

  private final String invoiceId;

  public InvoiceFinalizedException(String invoiceId, String period) {
    super("invoice " + invoiceId + " for " + period + " is finalized and cannot change");
    this.invoiceId = invoiceId;
  }

  public String invoiceId() {
    return invoiceId;
  }
}
