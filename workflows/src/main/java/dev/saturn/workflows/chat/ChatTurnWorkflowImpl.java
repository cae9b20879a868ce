package dev.saturn.workflows.chat;

import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.kb.KbActivityOptions;
import dev.saturn.workflows.kb.KbRetrievalActivities;
import dev.saturn.workflows.kb.KbRetrieval;
import dev.saturn.workflows.kb.KbRetrieveInput;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

public class ChatTurnWorkflowImpl implements ChatTurnWorkflow {

  private static final Logger log = Workflow.getLogger(ChatTurnWorkflowImpl.class);

  private final ChatStoreActivities store =
      Workflow.newActivityStub(ChatStoreActivities.class, ChatActivityOptions.STORE);
  private final LlmActivities llm =
      Workflow.newActivityStub(LlmActivities.class, ChatActivityOptions.LLM);
  private final KbRetrievalActivities kb =
      Workflow.newActivityStub(KbRetrievalActivities.class, KbActivityOptions.RETRIEVE);

  private TurnStep step = TurnStep.STARTING;
  private int agentVersion;

  @Override
  public ChatTurnResult run(ChatTurnInput in) {
    try {
      TurnStarted started =
          store.startTurn(
              new StartTurnInput(in.companyId(), in.turnId(), in.agentId(), in.sessionId(), in.userMessage()));
      agentVersion = started.agentVersion();
      // Knowledge base: the passages are stored against the turn; the LLM call and completeTurn read them.
      KbRetrieval retrieval = started.knowledgeBase()
          ? kb.retrieve(new KbRetrieveInput(in.companyId(), in.agentId(), agentVersion, in.turnId()))
          : new KbRetrieval(null);

      step = TurnStep.GENERATING;
      LlmCallResult reply =
          llm.generate(
              new LlmCallInput(
                  in.companyId(), in.agentId(), agentVersion, in.sessionId(), in.turnId(), started.userMessageSeq()));

      step = TurnStep.SAVING;
      TurnCompleted done =
          store.completeTurn(
              new CompleteTurnInput(
                  in.companyId(), in.turnId(), in.agentId(), in.sessionId(), usageKey(in.turnId(), 1), reply));

      step = TurnStep.COMPLETED;
      log.info("chat turn completed: agent_version={} input_tokens={} output_tokens={}",
          agentVersion, reply.inputTokens(), reply.outputTokens());
      return new ChatTurnResult(
          in.turnId(),
          in.sessionId(),
          agentVersion,
          done.assistantMessageId(),
          reply.content(),
          reply.provider(),
          reply.model(),
          reply.inputTokens(),
          reply.outputTokens(),
          reply.estimated(),
          retrieval.citations());
    } catch (ActivityFailure failure) {
      TurnStep failedAt = step;
      step = TurnStep.FAILED;
      ErrorCode code = errorCodeOf(failure, failedAt);
      String message = messageOf(failure);
      log.warn("chat turn failed at {}: {} {}", failedAt, code, message);
      store.failTurn(new FailTurnInput(in.companyId(), in.turnId(), code.name(), message));
      throw ApplicationFailure.newNonRetryableFailureWithCause(message, code.name(), failure);
    }
  }

  @Override
  public TurnProgress progress() {
    return new TurnProgress(step, agentVersion);
  }

  /** One key per model call of the turn, so its usage event is recorded exactly once. */
  static String usageKey(String turnId, int llmCallNumber) {
    return "turn:" + turnId + ":llm:" + llmCallNumber;
  }

  private static ErrorCode errorCodeOf(ActivityFailure failure, TurnStep failedAt) {
    Throwable cause = failure.getCause();
    if (cause instanceof ApplicationFailure app) {
      return ErrorCode.fromType(app.getType());
    }
    if (cause instanceof TimeoutFailure && failedAt == TurnStep.GENERATING) {
      return ErrorCode.LLM_TIMEOUT;
    }
    return ErrorCode.INTERNAL_ERROR;
  }

  private static String messageOf(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    if (cause instanceof ApplicationFailure app) {
      return app.getOriginalMessage();
    }
    return cause != null ? cause.getMessage() : failure.getMessage();
  }
}
