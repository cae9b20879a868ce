package dev.saturn.workflows.chat;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One chat turn: pin the agent version, store the question, then ask the model and run the tools
 * it calls (waiting for a human where a tool requires approval) until it answers, store the answer.
 * Cancelling the workflow fails the turn {@code TURN_CANCELLED} and cancels its pending approvals;
 * the workflow then ends cancelled.
 */
@WorkflowInterface
public interface ChatTurnWorkflow {

  /** The update's name, for clients that call it untyped. */
  String DECIDE = "decide";

  @WorkflowMethod
  ChatTurnResult run(ChatTurnInput input);

  /** The live state of the turn, for {@code GET /v1/turns/{id}} while it runs. */
  @QueryMethod
  TurnProgress progress();

  /** Approves or denies a pending tool call; the turn goes on at once. Answers the recorded decision. */
  @UpdateMethod(name = DECIDE)
  ApprovalResult decide(ApprovalDecision decision);

  /**
   * Rejects, before anything is written to the history, a decision on a call that is not pending
   * (unknown, decided otherwise or timed out) as {@code CONFLICT}, and a decision that is neither
   * approve nor deny as {@code VALIDATION_FAILED}. Repeating the decision already recorded for a
   * call is accepted and changes nothing (a client may retry after its own timeout).
   */
  @UpdateValidatorMethod(updateName = DECIDE)
  void validateDecide(ApprovalDecision decision);
}
