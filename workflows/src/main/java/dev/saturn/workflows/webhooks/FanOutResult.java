package dev.saturn.workflows.webhooks;

/** How many deliveries the event has (one per endpoint it was for when it was fanned out). */
public record FanOutResult(int deliveries) {}
