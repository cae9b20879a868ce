package dev.saturn.app.bench;

import dev.saturn.workflows.chat.ChatStoreActivities;
import dev.saturn.workflows.chat.ChatTurnInput;
import dev.saturn.workflows.chat.ChatTurnResult;
import dev.saturn.workflows.chat.CompleteTurnInput;
import dev.saturn.workflows.chat.LlmActivities;
import dev.saturn.workflows.chat.LlmCallInput;
import dev.saturn.workflows.chat.LlmCallResult;
import dev.saturn.workflows.chat.StartTurnInput;
import dev.saturn.workflows.chat.TurnCompleted;
import dev.saturn.workflows.chat.TurnStarted;
import dev.saturn.workflows.common.Retries;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** {@link PlainChatTurnWorkflow}: the same activities and options as the chat turn's regular ones. */
public class PlainChatTurnWorkflowImpl implements PlainChatTurnWorkflow {

  private final ChatStoreActivities store = Workflow.newActivityStub(ChatStoreActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(Retries.backoff(Duration.ofMillis(500), Duration.ofMinutes(1), 0))
          .build());
  private final LlmActivities llm = Workflow.newActivityStub(LlmActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(5))
          .setHeartbeatTimeout(Duration.ofSeconds(10))
          .setRetryOptions(Retries.backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 5))
          .build());

  @Override
  public ChatTurnResult run(ChatTurnInput in) {
    TurnStarted started = store.startTurn(
        new StartTurnInput(in.companyId(), in.turnId(), in.agentId(), in.sessionId(), in.userMessage()));
    LlmCallResult reply = llm.generate(new LlmCallInput(
        in.companyId(), in.agentId(), started.agentVersion(), in.sessionId(), in.turnId(), started.userMessageSeq()));
    TurnCompleted done = store.completeTurn(new CompleteTurnInput(
        in.companyId(), in.turnId(), in.agentId(), in.sessionId(), "turn:" + in.turnId() + ":llm:1", reply));
    return new ChatTurnResult(in.turnId(), in.sessionId(), started.agentVersion(), done.assistantMessageId(),
        reply.content(), reply.provider(), reply.model(), reply.inputTokens(), reply.outputTokens(), reply.estimated());
  }
}
