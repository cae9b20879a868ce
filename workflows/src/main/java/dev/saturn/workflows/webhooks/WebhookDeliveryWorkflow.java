package dev.saturn.workflows.webhooks;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One delivery of one event to one endpoint ({@code webhook:{endpoint}:{event}}, or
 * {@code ...:redeliver:{n}}): attempts with workflow timers between them, every attempt with the
 * same {@code webhook-id}, until one succeeds, the retry schedule is used up, or the endpoint is
 * disabled or deleted.
 */
@WorkflowInterface
public interface WebhookDeliveryWorkflow {

  /** @return the last attempt: the delivery's final status */
  @WorkflowMethod
  DeliveryAttempt run(WebhookDeliveryInput delivery);
}
