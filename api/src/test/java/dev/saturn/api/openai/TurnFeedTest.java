package dev.saturn.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.api.chat.TurnEvent;
import dev.saturn.api.chat.TurnEventStream;
import dev.saturn.db.chat.TurnEventType;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class TurnFeedTest {

  static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void givenStreamedDeltas_whenTheTurnCompletes_theTextShouldJoinToTheStoredAnswerAndEndTheFeed() throws Exception {
    TurnFeed feed = feedOf(
        event(TurnEventType.TURN_STARTED, Map.of()),
        event(TurnEventType.STEP_STARTED, Map.of("step", 1)),
        delta("Hello "), delta("world"),
        event(TurnEventType.MESSAGE_COMPLETED, Map.of("content", "Hello world")),
        event(TurnEventType.TURN_COMPLETED, Map.of()));

    assertThat(drain(feed)).containsExactly("Hello ", "world", "<end>");
  }

  @Test
  void givenAProviderThatDidNotStream_whenTheMessageCompletes_itsWholeTextShouldComeAsOneDelta() throws Exception {
    TurnFeed feed = feedOf(
        event(TurnEventType.STEP_STARTED, Map.of("step", 1)),
        event(TurnEventType.MESSAGE_COMPLETED, Map.of("content", "All at once")),
        event(TurnEventType.TURN_COMPLETED, Map.of()));

    assertThat(drain(feed)).containsExactly("All at once", "<end>");
  }

  @Test
  void givenAResetAfterPartOfTheAnswer_whenTheRetryRepeatsIt_onlyTheTextBeyondWhatWasSentShouldFollow() throws Exception {
    TurnFeed feed = feedOf(
        event(TurnEventType.STEP_STARTED, Map.of("step", 1)),
        delta("The answer "), delta("is"),
        event(TurnEventType.MESSAGE_RESET, Map.of("step", 1)),
        delta("The ans"), delta("wer is 42"), delta("."),
        event(TurnEventType.MESSAGE_COMPLETED, Map.of("content", "The answer is 42.")),
        event(TurnEventType.TURN_COMPLETED, Map.of()));

    List<String> happened = drain(feed);

    assertThat(happened).containsExactly("The answer ", "is", " 42", ".", "<end>");
    assertThat(String.join("", happened.subList(0, happened.size() - 1))).isEqualTo("The answer is 42.");
  }

  @Test
  void givenAToolStepBeforeTheAnswer_whenAnApprovalIsRequested_theFeedShouldSayWhichCall() throws Exception {
    TurnFeed feed = feedOf(
        event(TurnEventType.STEP_STARTED, Map.of("step", 1)),
        event(TurnEventType.TOOL_CALLED, Map.of("call_id", "c1")),
        event(TurnEventType.APPROVAL_REQUESTED, Map.of("call_id", "c1")));

    assertThat(feed.next(Duration.ofMillis(50))).isEqualTo(new TurnFeed.AwaitingApproval("c1"));
  }

  static List<String> drain(TurnFeed feed) throws InterruptedException {
    List<String> out = new ArrayList<>();
    while (true) {
      TurnFeed.Happening next = feed.next(Duration.ofMillis(50));
      if (next instanceof TurnFeed.TextDelta delta) {
        out.add(delta.text());
      } else if (next instanceof TurnFeed.Ended) {
        out.add("<end>");
        return out;
      } else {
        throw new AssertionError("the feed stopped before the turn ended: " + out);
      }
    }
  }

  static TurnEvent delta(String text) {
    return event(TurnEventType.MESSAGE_DELTA, Map.of("step", 1, "text", text));
  }

  static int seq;

  static TurnEvent event(TurnEventType type, Map<String, Object> data) {
    return new TurnEvent(++seq, type, JSON.valueToTree(data));
  }

  /** A stream of events given up front; finished after the last one. */
  static TurnFeed feedOf(TurnEvent... events) {
    Deque<TurnEvent> left = new ArrayDeque<>(List.of(events));
    return new TurnFeed(new TurnEventStream() {
      @Override
      public String turnId() {
        return "t";
      }

      @Override
      public Optional<TurnEvent> poll() {
        return Optional.ofNullable(left.poll());
      }

      @Override
      public Optional<TurnEvent> next(Duration timeout) {
        return poll();
      }

      @Override
      public void onReady(Runnable ready) {
        ready.run();
      }

      @Override
      public boolean isFinished() {
        return left.isEmpty();
      }

      @Override
      public void close() {
        left.clear();
      }
    });
  }
}
