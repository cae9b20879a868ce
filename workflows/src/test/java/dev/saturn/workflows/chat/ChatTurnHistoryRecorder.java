package dev.saturn.workflows.chat;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.common.SaturnSearchAttributes;
import dev.saturn.workflows.common.TaskQueues;
import dev.saturn.workflows.tools.ToolActivities;
import dev.saturn.workflows.tools.ToolCallInput;
import dev.saturn.workflows.tools.ToolCallRef;
import dev.saturn.workflows.tools.ToolCheck;
import dev.saturn.workflows.tools.ToolExecution;
import dev.saturn.workflows.tools.ToolOutcome;
import dev.saturn.workflows.tools.ToolOutcomeInput;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Regenerates the histories that {@link ChatTurnReplayTest} replays. Run it only when a change to
 * the workflow is meant to be incompatible (and old runs are drained or versioned):
 * {@code ./mvnw -pl workflows test -Dtest=ChatTurnHistoryRecorder -Dsaturn.recordHistories=true}.
 */
@EnabledIfSystemProperty(named = "saturn.recordHistories", matches = "true")
class ChatTurnHistoryRecorder {

  static final Path DIR = Path.of("src", "test", "resources", "histories");

  @Test
  void recordCompletedTurn() throws Exception {
    record("chat-turn-completed.json", (store, llm) -> {
      when(store.startTurn(any())).thenReturn(new TurnStarted(2, 7));
      when(llm.generate(any())).thenReturn(new LlmCallResult("hello back", "openai", "gpt-x", 30, 6, false));
      when(store.completeTurn(any())).thenReturn(new TurnCompleted("m-1"));
    });
  }

  @Test
  void recordFailedTurn() throws Exception {
    record("chat-turn-llm-failed.json", (store, llm) -> {
      when(store.startTurn(any())).thenReturn(new TurnStarted(1, 3));
      when(llm.generate(any())).thenThrow(
          ApplicationFailure.newNonRetryableFailure("HTTP 401", ErrorCode.LLM_PROVIDER_ERROR.name()));
    });
  }

  @Test
  void recordTurnWithRetriedSave() throws Exception {
    record("chat-turn-save-retried.json", (store, llm) -> {
      when(store.startTurn(any())).thenReturn(new TurnStarted(1, 3));
      when(llm.generate(any()))
          .thenThrow(ApplicationFailure.newFailure("503", ErrorCode.LLM_PROVIDER_ERROR.name()))
          .thenReturn(new LlmCallResult("ok", "offline", "saturn-offline", 5, 5, true));
      when(store.completeTurn(any()))
          .thenThrow(new IllegalStateException("connection reset"))
          .thenReturn(new TurnCompleted("m-2"));
    });
  }

  /**
   * {@code local-store-steps}: the local attempts of completeTurn give up (the database away for
   * longer than their schedule-to-close), so the workflow runs it as the regular activity.
   */
  @Test
  void recordTurnWithStoreFallback() throws Exception {
    record("chat-turn-store-fallback.json", (store, llm) -> {
      when(store.startTurn(any())).thenReturn(new TurnStarted(1, 3));
      when(llm.generate(any())).thenReturn(new LlmCallResult("ok", "openai", "gpt-x", 5, 5, false));
      when(store.completeTurn(any())).thenAnswer(inv -> {
        if (io.temporal.activity.Activity.getExecutionContext().getInfo().isLocal()) {
          throw new IllegalStateException("database away");
        }
        return new TurnCompleted("m-5");
      });
    });
  }

  /**
   * A turn whose model calls two tools at once: one runs, one requires approval and waits (a
   * timer) until a person approves it through the update; then the model answers.
   */
  @Test
  @Disabled("the shape before tool-results-by-reference, which the current code no longer produces;"
      + " chat-turn-tool-approved.json keeps it")
  void recordTurnWithApprovedToolCall() throws Exception {
    ToolActivities tools = mock(ToolActivities.class, withSettings().withoutAnnotations());
    when(tools.checkToolCall(any())).thenAnswer(inv -> ((ToolCallInput) inv.getArgument(0)).toolName().equals("pay")
        ? new ToolCheck(true, null, true, 86_400, false)
        : new ToolCheck(true, null, false, 0, true));
    when(tools.executeToolCall(any())).thenAnswer(inv -> {
      ToolCallInput in = inv.getArgument(0);
      return new ToolOutcome(in.callId(), in.toolName(), true, null, "{\"ok\":true}");
    });
    record("chat-turn-tool-approved.json", tools, (store, llm) -> {
      when(store.startTurn(any())).thenReturn(new TurnStarted(4, 9, List.of("lookup", "pay"), 5));
      when(llm.generate(any()))
          .thenReturn(new LlmCallResult("", "openai", "gpt-x", 30, 6, false, List.of(
              new ToolCallRequest("call_1", "lookup", "{\"id\":7}", "{\"id\":7}"),
              new ToolCallRequest("call_2", "pay", "{\"amount\":5}", "{\"amount\":5}"))))
          .thenReturn(new LlmCallResult("paid", "openai", "gpt-x", 50, 2, false));
      when(store.completeTurn(any())).thenReturn(new TurnCompleted("m-3"));
    }, (client, id) -> {
      ChatTurnWorkflow turn = client.newWorkflowStub(ChatTurnWorkflow.class, id);
      while (turn.progress().pendingApprovals().isEmpty()) {
        Thread.sleep(20);
      }
      turn.decide(new ApprovalDecision("call_2", ApprovalDecision.APPROVE, "fine", "user:u-1"));
    });
  }

  /**
   * Results by reference ({@code tool-results-by-reference} version 1): three calls at once; one
   * not allowed (stored by storeToolOutcome), one run whose recording fails once and is retried,
   * one approved through the update whose running activity could not store its result and hands it
   * to the workflow, which stores it and records the call.
   */
  @Test
  void recordTurnWithToolResultsByReference() throws Exception {
    ToolActivities tools = mock(ToolActivities.class, withSettings().withoutAnnotations());
    ToolExecution ran = new ToolExecution("tool-1", "POST", "ok", 200, 15, 1);
    when(tools.checkToolCall(any())).thenAnswer(inv -> ((ToolCallInput) inv.getArgument(0)).toolName().equals("pay")
        ? new ToolCheck(true, null, true, 86_400, false)
        : new ToolCheck(true, null, false, 0, true));
    when(tools.runToolCall(any())).thenAnswer(inv -> {
      ToolCallInput in = inv.getArgument(0);
      return in.toolName().equals("pay")
          ? new ToolCallRef(in.callId(), in.toolName(), true, null, 13, ran, "{\"paid\":true}")
          : new ToolCallRef(in.callId(), in.toolName(), true, null, 11, ran, null);
    });
    when(tools.storeToolOutcome(any())).thenAnswer(inv -> {
      ToolOutcomeInput in = inv.getArgument(0);
      ToolOutcome o = in.outcome();
      return new ToolCallRef(o.callId(), o.toolName(), o.ok(), o.errorCode(), o.content().length(), in.execution(), null);
    });
    doThrow(new IllegalStateException("database down")).doNothing().when(tools).recordToolCall(any());
    record("chat-turn-tool-by-reference.json", tools, (store, llm) -> {
      when(store.startTurn(any())).thenReturn(new TurnStarted(4, 9, List.of("lookup", "pay"), 5));
      when(llm.generate(any()))
          .thenReturn(new LlmCallResult("", "openai", "gpt-x", 30, 6, false, List.of(
              new ToolCallRequest("call_1", "lookup", "{\"id\":7}", "{\"id\":7}"),
              new ToolCallRequest("call_2", "pay", "{\"amount\":5}", "{\"amount\":5}"),
              new ToolCallRequest("call_3", "nope", "{}", "{}"))))
          .thenReturn(new LlmCallResult("paid", "openai", "gpt-x", 50, 2, false));
      when(store.completeTurn(any())).thenReturn(new TurnCompleted("m-4"));
    }, (client, id) -> {
      ChatTurnWorkflow turn = client.newWorkflowStub(ChatTurnWorkflow.class, id);
      while (turn.progress().pendingApprovals().isEmpty()) {
        Thread.sleep(20);
      }
      turn.decide(new ApprovalDecision("call_2", ApprovalDecision.APPROVE, "fine", "user:u-1"));
    });
  }

  /** A turn waiting for a person's approval is cancelled: the turn is failed TURN_CANCELLED in a detached scope. */
  @Test
  void recordCancelledTurn() throws Exception {
    ToolActivities tools = mock(ToolActivities.class, withSettings().withoutAnnotations());
    when(tools.checkToolCall(any())).thenReturn(new ToolCheck(true, null, true, 86_400, false));
    record("chat-turn-cancelled.json", tools, (store, llm) -> {
      when(store.startTurn(any())).thenReturn(new TurnStarted(4, 9, List.of("pay"), 5));
      when(llm.generate(any())).thenReturn(new LlmCallResult("", "openai", "gpt-x", 30, 6, false, List.of(
          new ToolCallRequest("call_1", "pay", "{\"amount\":5}", "{\"amount\":5}"))));
    }, (client, id) -> {
      ChatTurnWorkflow turn = client.newWorkflowStub(ChatTurnWorkflow.class, id);
      while (turn.progress().pendingApprovals().isEmpty()) {
        Thread.sleep(20);
      }
      client.newUntypedWorkflowStub(id).cancel();
    });
  }

  interface Script {
    void apply(ChatStoreActivities store, LlmActivities llm);
  }

  interface During {
    void run(WorkflowClient client, String workflowId) throws Exception;
  }

  private static void record(String file, Script script) throws Exception {
    record(file, mock(ToolActivities.class, withSettings().withoutAnnotations()), script, (client, id) -> { });
  }

  private static void record(String file, ToolActivities tools, Script script, During during) throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      SaturnSearchAttributes.definitions().forEach(env::registerSearchAttribute);
      Worker worker = env.newWorker(TaskQueues.CHAT);
      worker.registerWorkflowImplementationTypes(ChatTurnWorkflowImpl.class);
      ChatStoreActivities store = mock(ChatStoreActivities.class, withSettings().withoutAnnotations());
      LlmActivities llm = mock(LlmActivities.class, withSettings().withoutAnnotations());
      script.apply(store, llm);
      worker.registerActivitiesImplementations(store, llm, tools);
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      String id = "chat-turn:company-1:session-1:" + file;
      ChatTurnWorkflow workflow = client.newWorkflowStub(
          ChatTurnWorkflow.class, WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.CHAT).build());
      WorkflowClient.start(workflow::run, new ChatTurnInput("company-1", "agent-1", "session-1", "turn-1", "hi"));
      during.run(client, id);
      Consumer<WorkflowStub> await = stub -> {
        try {
          stub.getResult(Object.class);
        } catch (RuntimeException expectedForFailedTurns) {
          // the failed-turn history ends in WorkflowExecutionFailed; that is what we record
        }
      };
      await.accept(client.newUntypedWorkflowStub(id));
      Files.createDirectories(DIR);
      Files.writeString(DIR.resolve(file), client.fetchHistory(id).toJson(true));
    }
  }
}
