package dev.saturn.workflows.billing;

/** The draft as stored; {@code changed} is false when recomputing found it already up to date. */
public record InvoiceDraftResult(
    String invoiceId,
    String companyId,
    String period,
    String status,
    long totalMinor,
    long eventCount,
    String eventDigest,
    boolean changed) {}
