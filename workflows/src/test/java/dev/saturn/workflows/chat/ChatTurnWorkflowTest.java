package dev.saturn.workflows.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.saturn.workflows.common.ErrorCode;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class ChatTurnWorkflowTest {

  static final ChatTurnInput INPUT = new ChatTurnInput("c1", "a1", "s1", "t1", "hello");
  static final LlmCallResult REPLY = new LlmCallResult("hi there", "openai", "gpt-test", 12, 5, false);

  ChatTurnTestEnv chat;
  ChatStoreActivities store;
  LlmActivities llm;

  @BeforeEach
  void setUp() {
    chat = new ChatTurnTestEnv();
    store = chat.store;
    llm = chat.llm;
  }

  @AfterEach
  void tearDown() {
    chat.close();
  }

  ChatTurnWorkflow newTurn() {
    return chat.newTurn();
  }

  @Test
  void givenWorkingActivities_whenTurnRuns_itShouldPinStoreAskAndSaveInOrder() {
    when(store.startTurn(any())).thenReturn(new TurnStarted(3, 41));
    when(llm.generate(any())).thenReturn(REPLY);
    when(store.completeTurn(any())).thenReturn(new TurnCompleted("m2"));

    ChatTurnResult result = newTurn().run(INPUT);

    assertThat(result).isEqualTo(new ChatTurnResult("t1", "s1", 3, "m2", "hi there", "openai", "gpt-test", 12, 5, false));
    ArgumentCaptor<LlmCallInput> llmInput = ArgumentCaptor.forClass(LlmCallInput.class);
    verify(llm).generate(llmInput.capture());
    assertThat(llmInput.getValue()).isEqualTo(new LlmCallInput("c1", "a1", 3, "s1", "t1", 41));
    ArgumentCaptor<CompleteTurnInput> saved = ArgumentCaptor.forClass(CompleteTurnInput.class);
    verify(store).completeTurn(saved.capture());
    assertThat(saved.getValue().usageKey()).isEqualTo("turn:t1:llm:1");
    assertThat(saved.getValue().reply()).isEqualTo(REPLY);
    verify(store, never()).failTurn(any());
  }

  @Test
  void givenModelCallInFlight_whenTheWorkflowIsCancelled_itShouldFailTheTurnCancelledAtOnce() throws Exception {
    when(store.startTurn(any())).thenReturn(new TurnStarted(1, 1));
    java.util.concurrent.CountDownLatch calling = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    when(llm.generate(any())).thenAnswer(inv -> {
      calling.countDown();
      release.await(30, java.util.concurrent.TimeUnit.SECONDS);
      return REPLY;
    });
    io.temporal.client.WorkflowClient.start(newTurn()::run, INPUT);
    assertThat(calling.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("model call started").isTrue();
    io.temporal.client.WorkflowStub stub = chat.client.newUntypedWorkflowStub(ChatTurnTestEnv.WORKFLOW_ID);

    try {
      stub.cancel();

      assertThatThrownBy(() -> stub.getResult(ChatTurnResult.class))
          .isInstanceOf(WorkflowFailedException.class)
          .hasCauseInstanceOf(io.temporal.failure.CanceledFailure.class);
      verify(store).failTurn(new FailTurnInput("c1", "t1", "TURN_CANCELLED", "the turn was cancelled"));
      verify(store, never()).completeTurn(any());
    } finally {
      release.countDown();
    }
  }

  @Test
  void givenProviderRejectsTheCall_whenTurnRuns_itShouldFailWithThatCodeAndRecordIt() {
    when(store.startTurn(any())).thenReturn(new TurnStarted(1, 1));
    when(llm.generate(any())).thenThrow(
        ApplicationFailure.newNonRetryableFailure("401 from provider", ErrorCode.LLM_PROVIDER_ERROR.name()));

    assertThatThrownBy(() -> newTurn().run(INPUT))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
          assertThat(failure.getType()).isEqualTo("LLM_PROVIDER_ERROR");
          assertThat(failure.isNonRetryable()).isTrue();
        });
    verify(store).failTurn(new FailTurnInput("c1", "t1", "LLM_PROVIDER_ERROR", "401 from provider"));
    verify(store, never()).completeTurn(any());
  }

  @Test
  void givenDisabledAgent_whenTurnStarts_itShouldFailAgentDisabledWithoutCallingTheModel() {
    when(store.startTurn(any())).thenThrow(
        ApplicationFailure.newNonRetryableFailure("agent is disabled", ErrorCode.AGENT_DISABLED.name()));

    assertThatThrownBy(() -> newTurn().run(INPUT)).isInstanceOf(WorkflowFailedException.class);

    verify(llm, never()).generate(any());
    verify(store).failTurn(new FailTurnInput("c1", "t1", "AGENT_DISABLED", "agent is disabled"));
  }

  @Test
  void givenSaveFailsOnce_whenRetried_itShouldSaveWithTheSameUsageKeyAndNotCallTheModelAgain() {
    when(store.startTurn(any())).thenReturn(new TurnStarted(1, 1));
    when(llm.generate(any())).thenReturn(REPLY);
    when(store.completeTurn(any()))
        .thenThrow(new IllegalStateException("connection reset after commit"))
        .thenReturn(new TurnCompleted("m2"));

    ChatTurnResult result = newTurn().run(INPUT);

    assertThat(result.assistantMessageId()).isEqualTo("m2");
    verify(llm, times(1)).generate(any());
    ArgumentCaptor<CompleteTurnInput> attempts = ArgumentCaptor.forClass(CompleteTurnInput.class);
    verify(store, times(2)).completeTurn(attempts.capture());
    List<String> keys = attempts.getAllValues().stream().map(CompleteTurnInput::usageKey).toList();
    assertThat(keys).containsExactly("turn:t1:llm:1", "turn:t1:llm:1");
  }

  @Test
  void givenTransientProviderErrors_whenRetried_itShouldSucceedWithinTheAttemptBudget() {
    when(store.startTurn(any())).thenReturn(new TurnStarted(1, 1));
    when(llm.generate(any()))
        .thenThrow(ApplicationFailure.newFailure("503", ErrorCode.LLM_PROVIDER_ERROR.name()))
        .thenThrow(ApplicationFailure.newFailure("timeout", ErrorCode.LLM_TIMEOUT.name()))
        .thenReturn(REPLY);
    when(store.completeTurn(any())).thenReturn(new TurnCompleted("m2"));

    assertThat(newTurn().run(INPUT).content()).isEqualTo("hi there");
    verify(llm, times(3)).generate(any());
  }

  @Test
  void givenProviderKeepsFailing_whenAttemptsRunOut_itShouldFailWithTheLastCode() {
    when(store.startTurn(any())).thenReturn(new TurnStarted(1, 1));
    when(llm.generate(any())).thenThrow(ApplicationFailure.newFailure("read timed out", ErrorCode.LLM_TIMEOUT.name()));

    assertThatThrownBy(() -> newTurn().run(INPUT)).isInstanceOf(WorkflowFailedException.class);

    verify(llm, times(5)).generate(any());
    verify(store).failTurn(new FailTurnInput("c1", "t1", "LLM_TIMEOUT", "read timed out"));
  }
}
