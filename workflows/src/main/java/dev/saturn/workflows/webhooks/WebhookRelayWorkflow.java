package dev.saturn.workflows.webhooks;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The safety net of the outbox, started periodically by the trigger {@code webhook-relay} (a
 * Schedule, or a cron workflow where Schedules are missing): starts the fan-out of events whose
 * start right after their commit was lost (a crash, Temporal unreachable at that moment).
 */
@WorkflowInterface
public interface WebhookRelayWorkflow {

  @WorkflowMethod
  RelayResult run();
}
