package dev.saturn.db.billing;

import java.time.Instant;
import java.util.List;

/**
 * An invoice of one company for one period, with its lines (empty in list views). {@code
 * eventCount} and {@code eventDigest} prove which usage events it bills: the digest is the
 * lowercase hex SHA-256 of the ids of those events in ascending order, each followed by {@code \n}.
 */
public record Invoice(
    String id,
    String companyId,
    String period,
    InvoiceStatus status,
    String currency,
    String planId,
    long subtotalMinor,
    long totalMinor,
    long eventCount,
    String eventDigest,
    Instant createdAt,
    Instant updatedAt,
    Instant finalizedAt,
    List<InvoiceLine> lines) {

  public Invoice {
    lines = List.copyOf(lines);
  }

  public Invoice withLines(List<InvoiceLine> newLines) {
    return new Invoice(id, companyId, period, status, currency, planId, subtotalMinor, totalMinor, eventCount,
        eventDigest, createdAt, updatedAt, finalizedAt, newLines);
  }
}
