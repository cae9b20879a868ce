package dev.saturn.workflows.chat.reconciler;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One pass of the reconciler over a bounded batch of old running turns, started periodically by
 * the trigger {@code turn-reconciler} (a Schedule, or a cron workflow where Schedules are missing).
 * Each pass goes on where the previous one stopped (its last completion result).
 */
@WorkflowInterface
public interface TurnReconcilerWorkflow {

  @WorkflowMethod
  ReconcileResult run();
}
