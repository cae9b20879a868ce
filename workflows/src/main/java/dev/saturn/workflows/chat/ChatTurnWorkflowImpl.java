package dev.saturn.workflows.chat;

import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.common.SaturnSearchAttributes;
import dev.saturn.workflows.tools.ApprovalClosure;
import dev.saturn.workflows.tools.ToolActivities;
import dev.saturn.workflows.tools.ToolActivityOptions;
import dev.saturn.workflows.tools.ToolCallInput;
import dev.saturn.workflows.tools.ToolCallRecord;
import dev.saturn.workflows.tools.ToolCallRef;
import dev.saturn.workflows.tools.ToolCheck;
import dev.saturn.workflows.tools.ToolExecution;
import dev.saturn.workflows.tools.ToolOutcome;
import dev.saturn.workflows.tools.ToolOutcomeInput;
import dev.saturn.workflows.tools.ToolResultsInput;
import dev.saturn.workflows.kb.KbActivityOptions;
import dev.saturn.workflows.kb.KbCitation;
import dev.saturn.workflows.kb.KbRetrievalActivities;
import dev.saturn.workflows.kb.KbRetrieval;
import dev.saturn.workflows.kb.KbRetrieveInput;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;

public class ChatTurnWorkflowImpl implements ChatTurnWorkflow {

  private static final Logger log = Workflow.getLogger(ChatTurnWorkflowImpl.class);

  /**
   * Model calls a turn may make beyond one per allowed tool call: a model that keeps asking for
   * refused tools must not loop for ever.
   */
  static final int EXTRA_STEPS = 2;

  /**
   * Version 1: each call's result is stored by the activity that ran or refused it and travels as
   * a {@link ToolCallRef}; recording a call that ran is its own activity. Before it
   * ({@code DEFAULT_VERSION}), a step's results travelled together in one payload.
   */
  static final String RESULTS_BY_REFERENCE = "tool-results-by-reference";

  /**
   * Version 1: while tool calls wait for a person, the workflow keeps the search attribute
   * {@code SaturnAwaitingApprovalSince} at the request time of the oldest one and unsets it when
   * none waits (upserts are commands). Before it ({@code DEFAULT_VERSION}), no upserts.
   */
  static final String APPROVAL_SEARCH_ATTRIBUTE = "approval-search-attribute";

  /**
   * Version 1: the turn's own database steps ({@code startTurn}, {@code completeTurn}, {@code
   * failTurn}) run as local activities inside the workflow task, falling back to the regular
   * activity when the database does not answer within the local attempts ({@link #stored}). A plain
   * turn then takes two workflow tasks and one activity instead of four and three. Before it
   * ({@code DEFAULT_VERSION}), each was a regular activity.
   */
  static final String LOCAL_STORE_STEPS = "local-store-steps";

  private final ChatStoreActivities store =
      Workflow.newActivityStub(ChatStoreActivities.class, ChatActivityOptions.STORE);
  private final ChatStoreActivities localStore =
      Workflow.newLocalActivityStub(ChatStoreActivities.class, ChatActivityOptions.STORE_LOCAL);
  private final LlmActivities llm =
      Workflow.newActivityStub(LlmActivities.class, ChatActivityOptions.LLM);
  private final ToolActivities tools =
      Workflow.newActivityStub(ToolActivities.class, ToolActivityOptions.STORE);
  private final ToolActivities idempotentCalls =
      Workflow.newActivityStub(ToolActivities.class, ToolActivityOptions.IDEMPOTENT_CALL);
  private final ToolActivities singleCalls =
      Workflow.newActivityStub(ToolActivities.class, ToolActivityOptions.SINGLE_CALL);
  private final KbRetrievalActivities kb =
      Workflow.newActivityStub(KbRetrievalActivities.class, KbActivityOptions.RETRIEVE);

  private TurnStep step = TurnStep.STARTING;
  private int agentVersion;
  /** Calls waiting for a human, in the order they were asked for. */
  private final Map<String, PendingApproval> pending = new LinkedHashMap<>();
  private final Map<String, ApprovalDecision> decisions = new HashMap<>();
  /** What {@code SaturnAwaitingApprovalSince} holds now: epoch millis, or null when unset. */
  private Long shownAwaitingSince;
  /** Whether this run stores its own steps through local activities ({@link #LOCAL_STORE_STEPS}). */
  private boolean storeLocally;

  @Override
  public ChatTurnResult run(ChatTurnInput in) {
    storeLocally = Workflow.getVersion(LOCAL_STORE_STEPS, Workflow.DEFAULT_VERSION, 1) >= 1;
    try {
      TurnStarted started = stored(chat -> chat.startTurn(
          new StartTurnInput(in.companyId(), in.turnId(), in.agentId(), in.sessionId(), in.userMessage())));
      agentVersion = started.agentVersion();
      // Knowledge base: the passages are stored against the turn; the LLM call and completeTurn read them.
      KbRetrieval retrieval = started.knowledgeBase()
          ? kb.retrieve(new KbRetrieveInput(in.companyId(), in.agentId(), agentVersion, in.turnId()))
          : new KbRetrieval(null);

      int maxSteps = started.maxToolCalls() + EXTRA_STEPS;
      int toolCallsUsed = 0;
      long inputTokens = 0;
      long outputTokens = 0;
      for (int n = 1; ; n++) {
        step = TurnStep.GENERATING;
        LlmCallResult reply =
            llm.generate(
                new LlmCallInput(
                    in.companyId(), in.agentId(), agentVersion, in.sessionId(), in.turnId(),
                    started.userMessageSeq(), n));
        inputTokens += reply.inputTokens();
        outputTokens += reply.outputTokens();

        if (reply.toolCalls().isEmpty()) {
          return complete(in, n, reply, inputTokens, outputTokens, retrieval.citations());
        }
        if (n >= maxSteps) {
          throw ApplicationFailure.newNonRetryableFailure(
              "the model still asked for tools after " + n + " steps", ErrorCode.TOOL_CALL_LIMIT.name());
        }
        step = TurnStep.CALLING_TOOLS;
        toolCallsUsed = runTools(in, n, reply.toolCalls(), started, toolCallsUsed);
      }
    } catch (CanceledFailure cancelled) {
      throw cancelled(in, cancelled);
    } catch (ActivityFailure failure) {
      if (CancellationScope.current().isCancelRequested()) {
        throw cancelled(in, failure);
      }
      TurnStep failedAt = step;
      throw fail(in, errorCodeOf(failure, failedAt), messageOf(failure), failedAt, failure);
    } catch (ApplicationFailure failure) {
      if (CancellationScope.current().isCancelRequested()) {
        throw cancelled(in, failure);
      }
      TurnStep failedAt = step;
      throw fail(in, ErrorCode.fromType(failure.getType()), failure.getOriginalMessage(), failedAt, failure);
    }
  }

  /**
   * The workflow was cancelled (a client cancelled the turn): whatever was running is abandoned and
   * the turn is failed {@code TURN_CANCELLED}, its pending approvals cancelled with it. That store
   * runs in a detached scope, as the workflow's own scope is cancelled and would refuse it. A
   * history without a cancel request never reaches this, so older runs replay unchanged.
   */
  private CanceledFailure cancelled(ChatTurnInput in, RuntimeException cause) {
    TurnStep cancelledAt = step;
    step = TurnStep.FAILED;
    log.info("chat turn cancelled at {}", cancelledAt);
    FailTurnInput failed =
        new FailTurnInput(in.companyId(), in.turnId(), ErrorCode.TURN_CANCELLED.name(), "the turn was cancelled");
    Workflow.newDetachedCancellationScope(() -> stored(chat -> {
      chat.failTurn(failed);
      return null;
    })).run();
    return cause instanceof CanceledFailure canceled ? canceled : new CanceledFailure("the turn was cancelled");
  }

  private ChatTurnResult complete(
      ChatTurnInput in, int n, LlmCallResult reply, long inputTokens, long outputTokens, List<KbCitation> citations) {
    step = TurnStep.SAVING;
    CompleteTurnInput completed = new CompleteTurnInput(
        in.companyId(), in.turnId(), in.agentId(), in.sessionId(), usageKey(in.turnId(), n), reply,
        n == 1 ? null : inputTokens, n == 1 ? null : outputTokens);
    TurnCompleted done = stored(chat -> chat.completeTurn(completed));
    step = TurnStep.COMPLETED;
    log.info("chat turn completed: agent_version={} steps={} input_tokens={} output_tokens={}",
        agentVersion, n, inputTokens, outputTokens);
    return new ChatTurnResult(
        in.turnId(), in.sessionId(), agentVersion, done.assistantMessageId(), reply.content(), reply.provider(),
        reply.model(), inputTokens, outputTokens, reply.estimated(), citations);
  }

  private ApplicationFailure fail(ChatTurnInput in, ErrorCode code, String message, TurnStep failedAt, Exception cause) {
    step = TurnStep.FAILED;
    log.warn("chat turn failed at {}: {} {}", failedAt, code, message);
    FailTurnInput failed = new FailTurnInput(in.companyId(), in.turnId(), code.name(), message);
    stored(chat -> {
      chat.failTurn(failed);
      return null;
    });
    return ApplicationFailure.newNonRetryableFailureWithCause(message, code.name(), cause);
  }

  /**
   * One of the turn's own database steps: as a local activity when this run stores locally, and,
   * should the local attempts give up on a database that does not answer (anything but a
   * non-retryable failure), once more as the regular activity, which the server retries until the
   * database answers. The steps are idempotent, so running one again after a local attempt that may
   * have committed changes nothing.
   */
  private <T> T stored(Function<ChatStoreActivities, T> step) {
    if (!storeLocally) {
      return step.apply(store);
    }
    try {
      return step.apply(localStore);
    } catch (ActivityFailure failure) {
      if (failure.getRetryState() == RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE
          || CancellationScope.current().isCancelRequested()) {
        throw failure;
      }
      log.warn("local store step gave up ({}): running it as a regular activity", messageOf(failure));
      return step.apply(store);
    }
  }

  /**
   * Refuses what the pinned allowlist or the per-turn maximum forbid (deterministically, here), runs
   * the rest concurrently, and has every outcome stored for the next model call.
   *
   * @return the number of tool calls the turn has used so far
   */
  private int runTools(ChatTurnInput in, int n, List<ToolCallRequest> calls, TurnStarted started, int used) {
    if (Workflow.getVersion(RESULTS_BY_REFERENCE, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return runToolsWithResultsInline(in, n, calls, started, used);
    }
    List<Promise<ToolCallRef>> refs = new ArrayList<>(calls.size());
    for (ToolCallRequest call : calls) {
      ToolOutcome refused = refusal(call, started, used);
      if (refused != null) {
        refs.add(Async.function(() -> store(in, n, refused, null)));
      } else {
        used++;
        ToolCallInput input = new ToolCallInput(
            in.companyId(), in.agentId(), in.sessionId(), in.turnId(), n, call.callId(), call.name(), call.arguments());
        refs.add(Async.function(() -> runCallByReference(in, input, call)));
      }
    }
    long resultBytes = 0;
    for (Promise<ToolCallRef> ref : refs) {
      resultBytes += ref.get().resultBytes();
    }
    log.info("tool step finished: step={} calls={} result_bytes={}", n, calls.size(), resultBytes);
    return used;
  }

  /** TOOL_NOT_ALLOWED or TOOL_CALL_LIMIT as the call's result, or null when the call may run. */
  private static ToolOutcome refusal(ToolCallRequest call, TurnStarted started, int used) {
    if (!started.allowedTools().contains(call.name())) {
      return ToolOutcome.error(call.callId(), call.name(), ErrorCode.TOOL_NOT_ALLOWED.name(),
          "tool '" + call.name() + "' is not allowed for this agent; allowed: " + String.join(", ", started.allowedTools()));
    }
    if (used >= started.maxToolCalls()) {
      return ToolOutcome.error(call.callId(), call.name(), ErrorCode.TOOL_CALL_LIMIT.name(),
          "this turn may make at most " + started.maxToolCalls() + " tool calls; answer with what you have");
    }
    return null;
  }

  /**
   * Check, wait for a human if the tool asks for one, run; the result is stored by whichever
   * activity decided it. A call that ran is then recorded (usage, audit, events) by a store
   * activity retried until the database answers, so a recording failure never turns an executed
   * call into a failed one.
   */
  private ToolCallRef runCallByReference(ChatTurnInput in, ToolCallInput input, ToolCallRequest call) {
    ToolCheck check = tools.checkToolCall(input);
    if (!check.valid()) {
      return store(in, input.step(),
          ToolOutcome.error(call.callId(), call.name(), ErrorCode.TOOL_SCHEMA_INVALID.name(), check.error()), null);
    }
    if (check.requiresApproval()) {
      ToolOutcome refused = awaitApproval(input, call, Duration.ofSeconds(check.approvalTimeoutSeconds()));
      if (refused != null) {
        return store(in, input.step(), refused, null);
      }
    }
    ToolCallRef ref;
    try {
      ref = (check.idempotent() ? idempotentCalls : singleCalls).runToolCall(input);
    } catch (ActivityFailure failure) {
      // If the lost attempt had stored the tool's real answer, that row wins over this failure.
      ref = store(in, input.step(),
          ToolOutcome.error(call.callId(), call.name(), ErrorCode.TOOL_EXECUTION_FAILED.name(), messageOf(failure)), null);
    }
    if (!ref.stored()) {
      ref = store(in, input.step(),
          new ToolOutcome(ref.callId(), ref.toolName(), ref.ok(), ref.errorCode(), ref.unstoredContent()), ref.execution());
    }
    if (ref.execution() != null) {
      tools.recordToolCall(new ToolCallRecord(input, ref.execution(), ref.ok(), ref.errorCode()));
    }
    return ref;
  }

  private ToolCallRef store(ChatTurnInput in, int n, ToolOutcome outcome, ToolExecution ran) {
    return tools.storeToolOutcome(new ToolOutcomeInput(in.companyId(), in.sessionId(), in.turnId(), n, outcome, ran));
  }

  /** The tool loop of turns started before {@link #RESULTS_BY_REFERENCE}: one payload per step. */
  private int runToolsWithResultsInline(
      ChatTurnInput in, int n, List<ToolCallRequest> calls, TurnStarted started, int used) {
    List<Promise<ToolOutcome>> outcomes = new ArrayList<>(calls.size());
    for (ToolCallRequest call : calls) {
      ToolOutcome refused = refusal(call, started, used);
      if (refused != null) {
        outcomes.add(Async.function(() -> refused));
      } else {
        used++;
        ToolCallInput input = new ToolCallInput(
            in.companyId(), in.agentId(), in.sessionId(), in.turnId(), n, call.callId(), call.name(), call.arguments());
        outcomes.add(Async.function(() -> runCall(input, call)));
      }
    }
    List<ToolOutcome> results = new ArrayList<>(outcomes.size());
    for (Promise<ToolOutcome> outcome : outcomes) {
      results.add(outcome.get());
    }
    tools.saveToolResults(new ToolResultsInput(in.companyId(), in.sessionId(), in.turnId(), n, results));
    return used;
  }

  /** Check, wait for a human if the tool asks for one, run (turns before {@link #RESULTS_BY_REFERENCE}). */
  private ToolOutcome runCall(ToolCallInput input, ToolCallRequest call) {
    ToolCheck check = tools.checkToolCall(input);
    if (!check.valid()) {
      return ToolOutcome.error(call.callId(), call.name(), ErrorCode.TOOL_SCHEMA_INVALID.name(), check.error());
    }
    if (check.requiresApproval()) {
      ToolOutcome refused = awaitApproval(input, call, Duration.ofSeconds(check.approvalTimeoutSeconds()));
      if (refused != null) {
        return refused;
      }
    }
    try {
      return (check.idempotent() ? idempotentCalls : singleCalls).executeToolCall(input);
    } catch (ActivityFailure failure) {
      return ToolOutcome.error(call.callId(), call.name(), ErrorCode.TOOL_EXECUTION_FAILED.name(), messageOf(failure));
    }
  }

  /** @return null when approved, else the outcome the model reads (denied or timed out) */
  private ToolOutcome awaitApproval(ToolCallInput input, ToolCallRequest call, Duration timeout) {
    long now = Workflow.currentTimeMillis();
    pending.put(call.callId(), new PendingApproval(
        call.callId(), call.name(), call.redactedArguments(), now, now + timeout.toMillis()));
    showAwaitingApproval();
    boolean decided;
    try {
      decided = Workflow.await(timeout, () -> decisions.containsKey(call.callId()));
    } finally {
      pending.remove(call.callId());
      showAwaitingApproval();
    }
    if (!decided) {
      tools.closeApproval(new ApprovalClosure(
          input.companyId(), input.turnId(), call.callId(), ApprovalClosure.TIMED_OUT, null, null));
      return ToolOutcome.error(call.callId(), call.name(), ErrorCode.TOOL_APPROVAL_TIMEOUT.name(),
          "nobody approved the call within " + timeout);
    }
    ApprovalDecision decision = decisions.get(call.callId());
    tools.closeApproval(new ApprovalClosure(
        input.companyId(), input.turnId(), call.callId(),
        decision.approved() ? ApprovalClosure.APPROVED : ApprovalClosure.DENIED, decision.decidedBy(), decision.reason()));
    if (decision.approved()) {
      return null;
    }
    return ToolOutcome.error(call.callId(), call.name(), ErrorCode.TOOL_APPROVAL_DENIED.name(),
        "a person denied the call" + (decision.reason() == null || decision.reason().isBlank() ? "" : ": " + decision.reason()));
  }

  /**
   * Keeps {@code SaturnAwaitingApprovalSince} at the request time of the oldest call still waiting,
   * so an operator's query finds turns that have waited longer than a given time; one upsert per
   * change, none when the value stays.
   */
  private void showAwaitingApproval() {
    if (Workflow.getVersion(APPROVAL_SEARCH_ATTRIBUTE, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return;
    }
    Long oldest = pending.values().stream().map(PendingApproval::requestedAtMillis).min(Long::compare).orElse(null);
    if (Objects.equals(oldest, shownAwaitingSince)) {
      return;
    }
    shownAwaitingSince = oldest;
    Workflow.upsertTypedSearchAttributes(oldest == null
        ? SaturnSearchAttributes.AWAITING_APPROVAL_SINCE.valueUnset()
        : SaturnSearchAttributes.AWAITING_APPROVAL_SINCE.valueSet(SaturnSearchAttributes.since(oldest)));
  }

  @Override
  public TurnProgress progress() {
    TurnStep shown = step == TurnStep.CALLING_TOOLS && !pending.isEmpty() ? TurnStep.AWAITING_APPROVAL : step;
    return new TurnProgress(shown, agentVersion, List.copyOf(pending.values()));
  }

  @Override
  public ApprovalResult decide(ApprovalDecision decision) {
    // A repeat of the recorded decision (a client retrying after a timeout) changes nothing.
    ApprovalDecision recorded = decisions.putIfAbsent(decision.callId(), decision);
    ApprovalDecision effective = recorded != null ? recorded : decision;
    return new ApprovalResult(effective.callId(), effective.decision());
  }

  @Override
  public void validateDecide(ApprovalDecision decision) {
    if (decision == null || decision.callId() == null) {
      throw ApplicationFailure.newNonRetryableFailure("a decision needs a call id", ErrorCode.VALIDATION_FAILED.name());
    }
    if (!ApprovalDecision.APPROVE.equals(decision.decision()) && !ApprovalDecision.DENY.equals(decision.decision())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "decision must be approve or deny", ErrorCode.VALIDATION_FAILED.name());
    }
    ApprovalDecision recorded = decisions.get(decision.callId());
    if (recorded != null && recorded.decision().equals(decision.decision())) {
      return; // the same decision again: accepted, answered with the recorded one
    }
    if (!pending.containsKey(decision.callId()) || recorded != null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "tool call " + decision.callId() + " is not waiting for approval (unknown, already decided or timed out)",
          ErrorCode.CONFLICT.name());
    }
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
