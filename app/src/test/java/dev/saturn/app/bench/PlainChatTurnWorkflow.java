package dev.saturn.app.bench;

import dev.saturn.workflows.chat.ChatTurnInput;
import dev.saturn.workflows.chat.ChatTurnResult;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Benchmark only: a plain chat turn in Temporal's plain pattern, one regular activity per step
 * ({@code startTurn} → {@code generate} → {@code completeTurn}), as {@code ChatTurnWorkflowImpl} ran
 * a turn without tools before {@code local-store-steps}. The {@code plain/*} modes compare it with
 * the current design in the same run.
 */
@WorkflowInterface
public interface PlainChatTurnWorkflow {

  @WorkflowMethod
  ChatTurnResult run(ChatTurnInput input);
}
