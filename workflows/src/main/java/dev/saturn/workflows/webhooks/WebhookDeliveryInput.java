package dev.saturn.workflows.webhooks;

/** One delivery (a row of {@code webhook_deliveries}): which event to which endpoint is on the row. */
public record WebhookDeliveryInput(String companyId, String deliveryId) {}
