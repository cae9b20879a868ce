package dev.saturn.activities.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.saturn.activities.llm.ProviderReply;
import dev.saturn.db.chat.MessageRow;
import dev.saturn.db.chat.TurnEventRow;
import dev.saturn.db.chat.TurnEventType;
import dev.saturn.db.testing.Repositories;
import dev.saturn.db.testing.TestDatabase;
import dev.saturn.db.usage.ProviderAttempt;
import dev.saturn.db.usage.ProviderAttemptRepository;
import dev.saturn.workflows.common.ErrorCode;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A model call that fails after it streamed part of its answer, retried by Temporal (the test
 * server, real activities, MariaDB): readers see the first attempt's text, then {@code
 * message.reset}, then the second attempt's text, which alone joins to the stored answer; the
 * answer and the step's usage are stored once.
 */
class StreamedRetryTest {

  static TestDatabase database;
  static Repositories repos;
  RealChatTurns chat;

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    repos = Repositories.over(database.dsl(), Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @BeforeEach
  void setUp() {
    chat = new RealChatTurns(database, repos, repos.usage()).start();
  }

  @AfterEach
  void tearDown() {
    chat.close();
  }

  @Test
  void givenAnAttemptThatFailsMidStream_whenRetried_itShouldResetTheStepAndStoreTheSecondAnswerOnce() {
    AtomicInteger attempts = new AtomicInteger();
    chat.streamingModel = (request, text) -> {
      if (attempts.incrementAndGet() == 1) {
        text.accept("The first attempt ");
        text.accept("was cut ");
        pause(300); // written to the journal, seen by readers, then the connection drops
        throw ApplicationFailure.newFailure("connection reset mid-answer", ErrorCode.LLM_PROVIDER_ERROR.name());
      }
      for (String piece : List.of("The second ", "attempt ", "answers.")) {
        text.accept(piece);
        pause(40);
      }
      return new ProviderReply("The second attempt answers.", "scripted-1", 30, 4, false);
    };
    RealChatTurns.Turn turn = chat.newTurn(null, 0);

    chat.workflow(turn).run(turn.input());

    List<TurnEventRow> events = repos.events().after(chat.company, turn.id(), 0, 200);
    List<TurnEventType> types = events.stream().map(TurnEventRow::type).toList();
    int reset = types.indexOf(TurnEventType.MESSAGE_RESET);
    assertThat(reset).as("a reset in %s", types).isPositive();
    assertThat(types.subList(0, reset)).contains(TurnEventType.MESSAGE_DELTA);
    assertThat(text(events.subList(0, reset))).isEqualTo("The first attempt was cut ");
    assertThat(text(events.subList(reset, events.size()))).isEqualTo("The second attempt answers.");
    assertThat(types).endsWith(TurnEventType.STEP_FINISHED, TurnEventType.MESSAGE_COMPLETED, TurnEventType.TURN_COMPLETED);
    assertThat(types.stream().filter(t -> t == TurnEventType.MESSAGE_RESET)).hasSize(1);

    assertThat(repos.messages().findByTurn(chat.company, turn.id(), "assistant")).get()
        .extracting(MessageRow::content).isEqualTo("The second attempt answers.");
    assertThat(repos.messages().countByTurn(chat.company, turn.id())).as("question and one answer").isEqualTo(2);
    assertThat(repos.usage().listForTurn(chat.company, turn.id())).singleElement()
        .satisfies(e -> assertThat(e.outputTokens()).isEqualTo(4));
    assertThat(new ProviderAttemptRepository(database.dsl()).listForTurn(chat.company, turn.id()))
        .extracting(ProviderAttempt::outcome).containsExactly(ProviderAttempt.FAILED, ProviderAttempt.SUCCEEDED);
  }

  /** The text of the deltas among {@code events}, joined. */
  static String text(List<TurnEventRow> events) {
    ObjectMapper json = new ObjectMapper();
    List<String> pieces = new ArrayList<>();
    for (TurnEventRow event : events) {
      if (event.type() == TurnEventType.MESSAGE_DELTA) {
        try {
          pieces.add(json.readTree(event.dataJson()).path("text").asText());
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return String.join("", pieces);
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
