package dev.saturn.workflows.webhooks;

/** An event of the outbox. */
public record WebhookEventRef(String companyId, String eventId) {}
