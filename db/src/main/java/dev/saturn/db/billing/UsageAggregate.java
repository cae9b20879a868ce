package dev.saturn.db.billing;

/** One company's usage events of one billing period, summed per kind and model ({@code ""} for none). */
public record UsageAggregate(String kind, String model, long events, long inputTokens, long outputTokens, long quantity) {}
