package dev.saturn.workflows.chat;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One chat turn: pin the agent version, store the question, ask the model, store the answer. */
@WorkflowInterface
public interface ChatTurnWorkflow {

  @WorkflowMethod
  ChatTurnResult run(ChatTurnInput input);

  /** The live state of the turn, for {@code GET /v1/turns/{id}} while it runs. */
  @QueryMethod
  TurnProgress progress();
}
