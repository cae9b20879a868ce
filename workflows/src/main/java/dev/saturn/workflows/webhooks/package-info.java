/**
 * Outbound webhooks: {@link dev.saturn.workflows.webhooks.WebhookFanoutWorkflow} hands one event
 * of the outbox to its endpoints (one {@link dev.saturn.workflows.webhooks.WebhookDeliveryWorkflow}
 * each), {@link dev.saturn.workflows.webhooks.WebhookRelayWorkflow} sweeps up events whose fan-out
 * was never started. The retry schedule and timeouts are the worker's settings, told to the
 * workflow by each attempt's result.
 */
package dev.saturn.workflows.webhooks;
