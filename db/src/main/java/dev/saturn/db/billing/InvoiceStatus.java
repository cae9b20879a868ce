package dev.saturn.db.billing;

/** A draft is recomputed from events at will; a finalized invoice never changes again. */
public enum InvoiceStatus {
  DRAFT("draft"),
  FINALIZED("finalized");

  private final String dbValue;

  InvoiceStatus(String dbValue) {
    this.dbValue = dbValue;
  }

  public String dbValue() {
    return dbValue;
  }

  public static InvoiceStatus fromDb(String value) {
    for (InvoiceStatus status : values()) {
      if (status.dbValue.equals(value)) {
        return status;
      }
    }
    throw new IllegalArgumentException("unknown invoice status " + value);
  }
}
