package dev.saturn.db.billing;

/**
 * One line of an invoice. {@code unitPriceMinor} is per {@code unit}: {@code month} (base fee),
 * {@code 1k_tokens} (token lines), {@code call} (tool calls), {@code tokens} (the included-tokens
 * credit, whose amount is the price of the tokens it covers).
 */
public record InvoiceLine(
    int lineNo,
    String kind,
    String description,
    String model,
    String unit,
    long quantity,
    long unitPriceMinor,
    long amountMinor) {}
