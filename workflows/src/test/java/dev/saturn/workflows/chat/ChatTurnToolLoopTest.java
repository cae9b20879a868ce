package dev.saturn.workflows.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.saturn.workflows.common.SaturnSearchAttributes;
import dev.saturn.workflows.tools.ApprovalClosure;
import dev.saturn.workflows.tools.ToolActivities;
import dev.saturn.workflows.tools.ToolCallInput;
import dev.saturn.workflows.tools.ToolCallRecord;
import dev.saturn.workflows.tools.ToolCallRef;
import dev.saturn.workflows.tools.ToolCheck;
import dev.saturn.workflows.tools.ToolExecution;
import dev.saturn.workflows.tools.ToolOutcome;
import dev.saturn.workflows.tools.ToolOutcomeInput;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * The tool loop on the time-skipping test server, activities mocked. Results travel by reference:
 * a call that runs stores its own result ({@code runToolCall}); every other outcome is stored by
 * {@code storeToolOutcome}, which these mocks answer with a reference to what they were given.
 */
class ChatTurnToolLoopTest {

  static final ChatTurnInput INPUT = new ChatTurnInput("c1", "a1", "s1", "t1", "what is the weather?");
  static final String WORKFLOW_ID = ChatTurnTestEnv.WORKFLOW_ID;
  static final ToolCheck PLAIN = new ToolCheck(true, null, false, 0, true);
  static final ToolCheck NEEDS_APPROVAL = new ToolCheck(true, null, true, Duration.ofDays(3).toSeconds(), false);

  ChatTurnTestEnv chat;
  TestWorkflowEnvironment env;
  WorkflowClient client;
  ChatStoreActivities store;
  LlmActivities llm;
  ToolActivities tools;

  @BeforeEach
  void setUp() {
    tools = ChatTurnTestEnv.activityMock(ToolActivities.class);
    chat = new ChatTurnTestEnv(tools);
    env = chat.env;
    client = chat.client;
    store = chat.store;
    llm = chat.llm;
    when(store.completeTurn(any())).thenReturn(new TurnCompleted("m-final"));
    when(tools.storeToolOutcome(any())).thenAnswer(inv -> {
      ToolOutcomeInput in = inv.getArgument(0);
      ToolOutcome o = in.outcome();
      return new ToolCallRef(o.callId(), o.toolName(), o.ok(), o.errorCode(), o.content().length(), in.execution(), null);
    });
  }

  @AfterEach
  void tearDown() {
    chat.close();
  }

  static ToolCallRequest call(String id, String name, String args) {
    return new ToolCallRequest(id, name, args, args);
  }

  static LlmCallResult asks(ToolCallRequest... calls) {
    return new LlmCallResult("", "openai", "m", 10, 2, false, List.of(calls));
  }

  static LlmCallResult answer(String text) {
    return new LlmCallResult(text, "openai", "m", 20, 4, false);
  }

  static final ToolExecution RAN = new ToolExecution("tool-1", "GET", "ok", 200, 12, 1);

  /** What runToolCall answers for a call whose result it stored. */
  static ToolCallRef ok(String id, String name, String content) {
    return new ToolCallRef(id, name, true, null, content.length(), RAN, null);
  }

  void tools(String... allowed) {
    when(store.startTurn(any())).thenReturn(new TurnStarted(2, 11, List.of(allowed), 5));
  }

  ChatTurnWorkflow newTurn() {
    return chat.newTurn();
  }

  /** The outcomes stored by storeToolOutcome (not by runToolCall), in the order stored. */
  List<ToolOutcome> storedOutcomes(int count) {
    ArgumentCaptor<ToolOutcomeInput> stored = ArgumentCaptor.forClass(ToolOutcomeInput.class);
    verify(tools, times(count)).storeToolOutcome(stored.capture());
    return stored.getAllValues().stream().map(ToolOutcomeInput::outcome).toList();
  }

  List<ToolCallRecord> recorded(int count) {
    ArgumentCaptor<ToolCallRecord> recorded = ArgumentCaptor.forClass(ToolCallRecord.class);
    verify(tools, times(count)).recordToolCall(recorded.capture());
    return recorded.getAllValues();
  }

  @Test
  void givenModelCallsToolsOverTwoSteps_whenTurnRuns_itShouldFeedEachResultBackAndAnswer() {
    tools("weather", "geo");
    when(llm.generate(any()))
        .thenReturn(asks(call("c1", "geo", "{\"city\":\"Oslo\"}")))
        .thenReturn(asks(call("c2", "weather", "{\"lat\":59.9}")))
        .thenReturn(answer("It is sunny in Oslo."));
    when(tools.checkToolCall(any())).thenReturn(PLAIN);
    when(tools.runToolCall(any()))
        .thenReturn(ok("c1", "geo", "{\"lat\":59.9}"))
        .thenReturn(ok("c2", "weather", "{\"sky\":\"sunny\"}"));

    ChatTurnResult result = newTurn().run(INPUT);

    assertThat(result.content()).isEqualTo("It is sunny in Oslo.");
    assertThat(result.inputTokens()).isEqualTo(40);
    assertThat(result.outputTokens()).isEqualTo(8);
    ArgumentCaptor<LlmCallInput> steps = ArgumentCaptor.forClass(LlmCallInput.class);
    verify(llm, times(3)).generate(steps.capture());
    assertThat(steps.getAllValues()).extracting(LlmCallInput::step).containsExactly(1, 2, 3);
    verify(tools, never()).storeToolOutcome(any()); // each call's result was stored by the call itself
    verify(tools, never()).saveToolResults(any());
    verify(tools, never()).executeToolCall(any());
    assertThat(recorded(2)).extracting(r -> r.call().callId(), ToolCallRecord::execution, ToolCallRecord::ok)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("c1", RAN, true), org.assertj.core.groups.Tuple.tuple("c2", RAN, true));
    ArgumentCaptor<CompleteTurnInput> completed = ArgumentCaptor.forClass(CompleteTurnInput.class);
    verify(store).completeTurn(completed.capture());
    assertThat(completed.getValue().usageKey()).isEqualTo("turn:t1:llm:3");
    assertThat(completed.getValue().totalInputTokens()).isEqualTo(40L);
  }

  @Test
  void givenModelCallsToolOutsideTheAllowlist_whenTurnRuns_itShouldReturnToolNotAllowedToTheModelAndNotRunIt() {
    tools("weather");
    when(llm.generate(any()))
        .thenReturn(asks(call("c1", "delete_everything", "{}")))
        .thenReturn(answer("I cannot do that."));

    ChatTurnResult result = newTurn().run(INPUT);

    assertThat(result.content()).isEqualTo("I cannot do that.");
    verify(tools, never()).checkToolCall(any());
    verify(tools, never()).runToolCall(any());
    ToolOutcome outcome = storedOutcomes(1).get(0);
    assertThat(outcome.ok()).isFalse();
    assertThat(outcome.errorCode()).isEqualTo("TOOL_NOT_ALLOWED");
    verify(tools, never()).recordToolCall(any());
    assertThat(outcome.content()).contains("TOOL_NOT_ALLOWED").contains("delete_everything");
  }

  @Test
  void givenArgumentsFailTheSchema_whenModelCorrectsThemNextStep_itShouldRunTheCorrectedCall() {
    tools("weather");
    when(llm.generate(any()))
        .thenReturn(asks(call("c1", "weather", "{\"city\":42}")))
        .thenReturn(asks(call("c2", "weather", "{\"city\":\"Oslo\"}")))
        .thenReturn(answer("Sunny."));
    when(tools.checkToolCall(argThat(in -> in != null && in.callId().equals("c1"))))
        .thenReturn(ToolCheck.invalid("$.city: integer found, string expected"));
    when(tools.checkToolCall(argThat(in -> in != null && in.callId().equals("c2")))).thenReturn(PLAIN);
    when(tools.runToolCall(any())).thenReturn(ok("c2", "weather", "{\"sky\":\"sunny\"}"));

    assertThat(newTurn().run(INPUT).content()).isEqualTo("Sunny.");

    ArgumentCaptor<ToolCallInput> executed = ArgumentCaptor.forClass(ToolCallInput.class);
    verify(tools, times(1)).runToolCall(executed.capture());
    assertThat(executed.getValue().callId()).isEqualTo("c2");
    ToolOutcome invalid = storedOutcomes(1).get(0);
    assertThat(invalid.errorCode()).isEqualTo("TOOL_SCHEMA_INVALID");
    assertThat(invalid.content()).contains("integer found, string expected");
    assertThat(recorded(1).get(0).call().callId()).isEqualTo("c2");
  }

  @Test
  void givenMoreCallsThanTheAgentAllows_whenTurnRuns_itShouldRefuseTheExtraWithToolCallLimit() {
    when(store.startTurn(any())).thenReturn(new TurnStarted(1, 1, List.of("t"), 2));
    when(llm.generate(any()))
        .thenReturn(asks(call("c1", "t", "{}"), call("c2", "t", "{}"), call("c3", "t", "{}")))
        .thenReturn(answer("done"));
    when(tools.checkToolCall(any())).thenReturn(PLAIN);
    when(tools.runToolCall(any())).thenAnswer(inv -> ok(((ToolCallInput) inv.getArgument(0)).callId(), "t", "{}"));

    newTurn().run(INPUT);

    verify(tools, times(2)).runToolCall(any());
    ArgumentCaptor<ToolCallInput> ran = ArgumentCaptor.forClass(ToolCallInput.class);
    verify(tools, times(2)).runToolCall(ran.capture());
    assertThat(ran.getAllValues()).extracting(ToolCallInput::callId).containsExactlyInAnyOrder("c1", "c2");
    assertThat(storedOutcomes(1)).extracting(ToolOutcome::callId, ToolOutcome::errorCode)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("c3", "TOOL_CALL_LIMIT"));
  }

  @Test
  void givenModelNeverStopsCallingTools_whenStepsRunOut_itShouldFailTheTurnWithToolCallLimit() {
    when(store.startTurn(any())).thenReturn(new TurnStarted(1, 1, List.of("t"), 1));
    when(llm.generate(any())).thenReturn(asks(call("c", "t", "{}")));
    when(tools.checkToolCall(any())).thenReturn(PLAIN);
    when(tools.runToolCall(any())).thenReturn(ok("c", "t", "{}"));

    assertThatThrownBy(() -> newTurn().run(INPUT))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.getType()).isEqualTo("TOOL_CALL_LIMIT"));
    verify(llm, times(3)).generate(any());
    verify(store).failTurn(argThat(in -> in.errorCode().equals("TOOL_CALL_LIMIT")));
  }

  @Test
  void givenParallelCallsInOneResponse_whenTurnRuns_itShouldRunThemConcurrently() {
    tools("a", "b");
    when(llm.generate(any()))
        .thenReturn(asks(call("c1", "a", "{}"), call("c2", "b", "{}")))
        .thenReturn(answer("both done"));
    when(tools.checkToolCall(any())).thenReturn(PLAIN);
    CountDownLatch bothRunning = new CountDownLatch(2);
    List<String> concurrentAnswers = new java.util.concurrent.CopyOnWriteArrayList<>();
    when(tools.runToolCall(any())).thenAnswer(inv -> {
      ToolCallInput in = inv.getArgument(0);
      bothRunning.countDown();
      // Each call waits for the other to start: run one after the other, the first never returns ok.
      boolean concurrent = bothRunning.await(10, TimeUnit.SECONDS);
      String content = concurrent ? "{\"concurrent\":true}" : "{\"concurrent\":false}";
      concurrentAnswers.add(content);
      return ok(in.callId(), in.toolName(), content);
    });

    newTurn().run(INPUT);

    assertThat(recorded(2)).extracting(ToolCallRecord::ok).containsOnly(true);
    assertThat(concurrentAnswers).containsOnly("{\"concurrent\":true}").hasSize(2);
  }

  /** Starts a turn whose one tool call waits for approval, and waits until it is pending. */
  ChatTurnWorkflow startAwaitingApproval() {
    tools("pay");
    when(llm.generate(any()))
        .thenReturn(asks(new ToolCallRequest("c1", "pay", "{\"amount\":5,\"password\":\"hunter2\"}",
            "{\"amount\":5,\"password\":\"[REDACTED]\"}")))
        .thenReturn(answer("finished"));
    when(tools.checkToolCall(any())).thenReturn(NEEDS_APPROVAL);
    when(tools.runToolCall(any())).thenReturn(ok("c1", "pay", "{\"paid\":true}"));
    ChatTurnWorkflow turn = newTurn();
    WorkflowClient.start(turn::run, INPUT);
    ChatTurnWorkflow handle = client.newWorkflowStub(ChatTurnWorkflow.class, WORKFLOW_ID);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (handle.progress().pendingApprovals().isEmpty()) {
      assertThat(System.nanoTime()).as("approval pending in time").isLessThan(deadline);
      sleep(20);
    }
    return handle;
  }

  @Test
  void givenToolRequiresApproval_whenApproved_itShouldRunTheToolAfterTheDecision() {
    ChatTurnWorkflow turn = startAwaitingApproval();

    TurnProgress waiting = turn.progress();
    assertThat(waiting.step()).isEqualTo(TurnStep.AWAITING_APPROVAL);
    PendingApproval pending = waiting.pendingApprovals().get(0);
    assertThat(pending.callId()).isEqualTo("c1");
    assertThat(pending.arguments()).contains("[REDACTED]").doesNotContain("hunter2");
    verify(tools, never()).runToolCall(any());

    assertThat(turn.decide(new ApprovalDecision("c1", "approve", "ok", "user:u1")))
        .isEqualTo(new ApprovalResult("c1", "approve"));
    ChatTurnResult result = client.newUntypedWorkflowStub(WORKFLOW_ID).getResult(ChatTurnResult.class);

    assertThat(result.content()).isEqualTo("finished");
    verify(tools, times(1)).runToolCall(any());
    verify(tools).closeApproval(new ApprovalClosure("c1", "t1", "c1", "approved", "user:u1", "ok"));
    assertThat(recorded(1).get(0).ok()).isTrue();
  }

  @Test
  void givenToolRequiresApproval_whileItWaits_itShouldShowSinceWhenInTheSearchAttributeAndUnsetItOnceDecided() {
    ChatTurnWorkflow turn = startAwaitingApproval();
    long requestedAt = turn.progress().pendingApprovals().get(0).requestedAtMillis();
    WorkflowStub stub = client.newUntypedWorkflowStub(WORKFLOW_ID);

    assertThat(stub.describe().getTypedSearchAttributes().get(SaturnSearchAttributes.AWAITING_APPROVAL_SINCE))
        .isEqualTo(SaturnSearchAttributes.since(requestedAt));

    turn.decide(new ApprovalDecision("c1", "approve", "ok", "user:u1"));
    stub.getResult(ChatTurnResult.class);
    assertThat(stub.describe().getTypedSearchAttributes().containsKey(SaturnSearchAttributes.AWAITING_APPROVAL_SINCE))
        .as("unset once nothing waits").isFalse();
  }

  @Test
  void givenPendingApproval_whenDecidedTwiceOrForAnUnknownCall_itShouldRejectWithConflict() {
    ChatTurnWorkflow turn = startAwaitingApproval();

    assertThatThrownBy(() -> turn.decide(new ApprovalDecision("nope", "approve", null, "user:u1")))
        .isInstanceOf(WorkflowUpdateException.class)
        .satisfies(e -> assertThat(rejection(e)).contains("is not waiting for approval"));
    turn.decide(new ApprovalDecision("c1", "deny", "too expensive", "user:u1"));
    assertThatThrownBy(() -> turn.decide(new ApprovalDecision("c1", "approve", null, "user:u2")))
        .isInstanceOf(WorkflowUpdateException.class)
        .satisfies(e -> assertThat(rejection(e)).contains("is not waiting for approval"));
    client.newUntypedWorkflowStub(WORKFLOW_ID).getResult(ChatTurnResult.class);
    verify(tools, never()).runToolCall(any());
  }

  @Test
  void givenDecidedCall_whenTheSameDecisionIsRepeated_itShouldAnswerTheRecordedDecisionAndRunTheToolOnce() {
    ChatTurnWorkflow turn = startAwaitingApproval();

    turn.decide(new ApprovalDecision("c1", "approve", "ok", "user:u1"));
    ApprovalResult repeated = turn.decide(new ApprovalDecision("c1", "approve", "retry", "user:u1"));
    client.newUntypedWorkflowStub(WORKFLOW_ID).getResult(ChatTurnResult.class);

    assertThat(repeated).isEqualTo(new ApprovalResult("c1", "approve"));
    verify(tools, times(1)).runToolCall(any());
    // the first decision is the one recorded
    verify(tools).closeApproval(new ApprovalClosure("c1", "t1", "c1", "approved", "user:u1", "ok"));
  }

  @Test
  void givenToolRequiresApproval_whenDenied_itShouldTellTheModelWithoutRunningTheTool() {
    ChatTurnWorkflow turn = startAwaitingApproval();

    turn.decide(new ApprovalDecision("c1", "deny", "not today", "user:u1"));
    ChatTurnResult result = client.newUntypedWorkflowStub(WORKFLOW_ID).getResult(ChatTurnResult.class);

    assertThat(result.content()).isEqualTo("finished");
    verify(tools, never()).runToolCall(any());
    verify(tools).closeApproval(new ApprovalClosure("c1", "t1", "c1", "denied", "user:u1", "not today"));
    ToolOutcome outcome = storedOutcomes(1).get(0);
    assertThat(outcome.errorCode()).isEqualTo("TOOL_APPROVAL_DENIED");
    assertThat(outcome.content()).contains("not today");
  }

  @Test
  void givenToolRequiresApproval_whenNobodyDecidesForThreeDays_itShouldTimeOutAndTellTheModel() {
    startAwaitingApproval();
    long before = env.currentTimeMillis();

    WorkflowStub stub = client.newUntypedWorkflowStub(WORKFLOW_ID);
    ChatTurnResult result = stub.getResult(ChatTurnResult.class); // the test server skips the 3 days

    assertThat(env.currentTimeMillis() - before).isGreaterThanOrEqualTo(Duration.ofDays(3).toMillis() - 1000);
    assertThat(result.content()).isEqualTo("finished");
    verify(tools, never()).runToolCall(any());
    verify(tools).closeApproval(new ApprovalClosure("c1", "t1", "c1", "timed_out", null, null));
    assertThat(storedOutcomes(1).get(0).errorCode()).isEqualTo("TOOL_APPROVAL_TIMEOUT");
  }

  @Test
  void givenToolExecutionKeepsFailing_whenAttemptsRunOut_itShouldReturnToolExecutionFailedToTheModel() {
    tools("t");
    when(llm.generate(any())).thenReturn(asks(call("c1", "t", "{}"))).thenReturn(answer("sorry"));
    when(tools.checkToolCall(any())).thenReturn(PLAIN);
    when(tools.runToolCall(any())).thenThrow(ApplicationFailure.newFailure("connection refused", "TOOL_UNREACHABLE"));

    assertThat(newTurn().run(INPUT).content()).isEqualTo("sorry");

    verify(tools, times(3)).runToolCall(any());
    ToolOutcome outcome = storedOutcomes(1).get(0);
    assertThat(outcome.errorCode()).isEqualTo("TOOL_EXECUTION_FAILED");
    assertThat(outcome.content()).contains("connection refused");
    verify(tools, never()).recordToolCall(any()); // nothing ran to completion; each attempt audited itself
  }

  @Test
  void givenRecordingFailsAfterASingleCallRan_whenRetried_itShouldRunTheCallOnceAndTheModelShouldSeeItsResult() {
    tools("pay");
    when(llm.generate(any())).thenReturn(asks(call("c1", "pay", "{}"))).thenReturn(answer("paid"));
    when(tools.checkToolCall(any())).thenReturn(new ToolCheck(true, null, false, 0, false));
    when(tools.runToolCall(any())).thenReturn(ok("c1", "pay", "{\"paid\":true}"));
    org.mockito.Mockito.doThrow(new IllegalStateException("database down"))
        .doThrow(new IllegalStateException("database down"))
        .doNothing()
        .when(tools).recordToolCall(any());

    assertThat(newTurn().run(INPUT).content()).isEqualTo("paid");

    verify(tools, times(1)).runToolCall(any());
    assertThat(recorded(3)).extracting(ToolCallRecord::ok).containsOnly(true);
    verify(tools, never()).storeToolOutcome(any()); // nothing told the model the call failed
  }

  @Test
  void givenTheRunningActivityCouldNotStoreTheResult_whenItHandsItBack_theWorkflowShouldStoreItThenRecordTheCall() {
    tools("pay");
    when(llm.generate(any())).thenReturn(asks(call("c1", "pay", "{}"))).thenReturn(answer("paid"));
    when(tools.checkToolCall(any())).thenReturn(new ToolCheck(true, null, false, 0, false));
    when(tools.runToolCall(any())).thenReturn(new ToolCallRef("c1", "pay", true, null, 13, RAN, "{\"paid\":true}"));

    newTurn().run(INPUT);

    ArgumentCaptor<ToolOutcomeInput> stored = ArgumentCaptor.forClass(ToolOutcomeInput.class);
    verify(tools).storeToolOutcome(stored.capture());
    assertThat(stored.getValue().outcome()).isEqualTo(new ToolOutcome("c1", "pay", true, null, "{\"paid\":true}"));
    assertThat(stored.getValue().execution()).isEqualTo(RAN);
    assertThat(recorded(1).get(0).execution()).isEqualTo(RAN);
  }

  @Test
  void givenTheRunningActivityWasLostAfterStoringTheResult_whenTheFailureIsStored_theStoredResultShouldWinAndBeRecorded() {
    tools("pay");
    when(llm.generate(any())).thenReturn(asks(call("c1", "pay", "{}"))).thenReturn(answer("paid"));
    when(tools.checkToolCall(any())).thenReturn(new ToolCheck(true, null, false, 0, false));
    when(tools.runToolCall(any())).thenThrow(ApplicationFailure.newNonRetryableFailure("worker lost", "TIMEOUT"));
    // the row the lost attempt stored is what storeToolOutcome finds and answers
    org.mockito.Mockito.doReturn(ok("c1", "pay", "{\"paid\":true}")).when(tools).storeToolOutcome(any());

    newTurn().run(INPUT);

    verify(tools, times(1)).runToolCall(any());
    assertThat(storedOutcomes(1).get(0).errorCode()).isEqualTo("TOOL_EXECUTION_FAILED");
    ToolCallRecord record = recorded(1).get(0);
    assertThat(record.ok()).isTrue();
    assertThat(record.execution()).isEqualTo(RAN);
  }

  @Test
  void givenTurnAwaitingApproval_whenTheWorkflowIsCancelled_itShouldFailTheTurnCancelledWithoutRunningTheTool() {
    startAwaitingApproval();
    WorkflowStub stub = client.newUntypedWorkflowStub(WORKFLOW_ID);

    stub.cancel();

    assertThatThrownBy(() -> stub.getResult(ChatTurnResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .hasCauseInstanceOf(io.temporal.failure.CanceledFailure.class);
    verify(store).failTurn(new FailTurnInput("c1", "t1", "TURN_CANCELLED", "the turn was cancelled"));
    verify(tools, never()).runToolCall(any());
    verify(store, never()).completeTurn(any());
    assertThat(client.newWorkflowStub(ChatTurnWorkflow.class, WORKFLOW_ID).progress().step()).isEqualTo(TurnStep.FAILED);
  }

  /**
   * The validator's message. Its failure type does not survive the trip (the SDK wraps what a
   * validator throws), which is why the API treats every rejected decision as CONFLICT.
   */
  static String rejection(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure f) {
        return f.getOriginalMessage();
      }
    }
    return null;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
