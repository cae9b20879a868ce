package dev.saturn.workflows.webhooks;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Hands one event to its endpoints. Started right after the event's transaction committed (id
 * {@code webhook-event:{eventId}}, REJECT_DUPLICATE), and by the relay's sweep for any event whose
 * start was lost: a second start is a no-op.
 */
@WorkflowInterface
public interface WebhookFanoutWorkflow {

  @WorkflowMethod
  FanOutResult run(WebhookEventRef event);
}
