package dev.saturn.workflows.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.saturn.workflows.common.ErrorCode;
import io.temporal.activity.Activity;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ChatTurnWorkflowImpl#LOCAL_STORE_STEPS}: a new turn stores its own steps through local
 * activities (no server round trip each), retries them locally, and falls back to the regular
 * activity when the local attempts give up; a failure no retry can fix is not run again.
 */
class ChatTurnLocalStoreTest {

  static final ChatTurnInput INPUT = new ChatTurnInput("c1", "a1", "s1", "t1", "hello");
  static final LlmCallResult REPLY = new LlmCallResult("hi there", "openai", "gpt-test", 12, 5, false);

  ChatTurnTestEnv chat;
  ChatStoreActivities store;

  @BeforeEach
  void setUp() {
    chat = new ChatTurnTestEnv();
    store = chat.store;
    when(chat.llm.generate(any())).thenReturn(REPLY);
  }

  @AfterEach
  void tearDown() {
    chat.close();
  }

  @Test
  void givenANewTurn_whenItRuns_itShouldTakeTwoWorkflowTasksAndOneActivity() {
    when(store.startTurn(any())).thenReturn(new TurnStarted(3, 41));
    when(store.completeTurn(any())).thenReturn(new TurnCompleted("m2"));

    ChatTurnResult result = chat.newTurn().run(INPUT);

    assertThat(result.assistantMessageId()).isEqualTo("m2");
    List<HistoryEvent> history = history();
    assertThat(count(history, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)).isEqualTo(2);
    assertThat(scheduledActivities(history)).containsExactly("Generate");
    // The version marker and one marker per local activity (startTurn, completeTurn).
    assertThat(count(history, EventType.EVENT_TYPE_MARKER_RECORDED)).isEqualTo(3);
  }

  @Test
  void givenAStoreStepFailingTwice_whenRetriedLocally_itShouldSucceedWithoutAServerRoundTrip() {
    when(store.startTurn(any()))
        .thenThrow(new IllegalStateException("connection reset"))
        .thenThrow(new IllegalStateException("connection reset"))
        .thenReturn(new TurnStarted(1, 1));
    when(store.completeTurn(any())).thenReturn(new TurnCompleted("m2"));

    chat.newTurn().run(INPUT);

    verify(store, times(3)).startTurn(any());
    assertThat(scheduledActivities(history())).containsExactly("Generate");
  }

  @Test
  void givenAFailureNoRetryCanFix_whenTheTurnStarts_itShouldFailOnceWithoutFallingBack() {
    when(store.startTurn(any())).thenThrow(
        ApplicationFailure.newNonRetryableFailure("agent is disabled", ErrorCode.AGENT_DISABLED.name()));

    assertThatThrownBy(() -> chat.newTurn().run(INPUT)).isInstanceOf(WorkflowFailedException.class);

    verify(store, times(1)).startTurn(any());
    verify(chat.llm, never()).generate(any());
    verify(store).failTurn(new FailTurnInput("c1", "t1", "AGENT_DISABLED", "agent is disabled"));
    assertThat(scheduledActivities(history())).isEmpty();
  }

  /** Takes the local attempts' schedule-to-close (8 s) of real time: local activities run in the worker. */
  @Test
  void givenTheDatabaseAwayLongerThanTheLocalAttempts_whenSaving_itShouldFallBackToTheRegularActivity() {
    when(store.startTurn(any())).thenReturn(new TurnStarted(1, 1));
    AtomicInteger localAttempts = new AtomicInteger();
    when(store.completeTurn(any())).thenAnswer(inv -> {
      if (Activity.getExecutionContext().getInfo().isLocal()) {
        localAttempts.incrementAndGet();
        throw new IllegalStateException("database away");
      }
      return new TurnCompleted("m3");
    });

    ChatTurnResult result = chat.newTurn().run(INPUT);

    assertThat(result.assistantMessageId()).isEqualTo("m3");
    assertThat(localAttempts.get()).isGreaterThan(1);
    assertThat(scheduledActivities(history())).containsExactly("Generate", "CompleteTurn");
    verify(store, never()).failTurn(any());
  }

  private List<HistoryEvent> history() {
    return chat.client.fetchHistory(ChatTurnTestEnv.WORKFLOW_ID).getEvents();
  }

  private static long count(List<HistoryEvent> history, EventType type) {
    return history.stream().filter(e -> e.getEventType() == type).count();
  }

  private static List<String> scheduledActivities(List<HistoryEvent> history) {
    return history.stream()
        .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
        .map(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName())
        .toList();
  }
}
