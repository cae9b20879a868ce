package dev.saturn.api.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.api.ratelimit.CompanyConcurrency;
import dev.saturn.db.chat.TurnEventListener;
import dev.saturn.db.chat.TurnEventRepository;
import dev.saturn.db.chat.TurnEventType;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.Repositories;
import dev.saturn.db.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The listener and its subscribers over a real MariaDB: events written by "another process" (a
 * repository the hub does not listen to) arrive by the hub's query, events of this process by the
 * fast path, a reader that falls behind reads on from the journal, and nothing arrives twice.
 */
class TurnEventHubTest {

  static TestDatabase database;
  static Repositories repos;
  CompanyId company;
  String turnId;
  TurnEventHub hub;
  final AtomicInteger permits = new AtomicInteger();

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
  void turn() {
    company = Fixtures.company(database.dsl());
    String agent = Fixtures.agent(database.dsl(), company, "{}");
    String session = repos.sessions().create(company, agent).id();
    turnId = UUID.randomUUID().toString();
    repos.turns().insertRunning(company, turnId, session, agent, "wf-" + turnId);
  }

  @AfterEach
  void stopHub() {
    if (hub != null) {
      hub.destroy();
    }
  }

  TurnEventHub hub(Duration pollEvery) {
    hub = new TurnEventHub(repos.events(), new TurnEventsProperties(pollEvery, 16, 1, null, null));
    return hub;
  }

  TurnSubscription subscribe(int afterSeq, boolean ended) {
    permits.incrementAndGet();
    CompanyConcurrency.Permit permit = permits::decrementAndGet;
    TurnSubscription subscription = new TurnSubscription(company, turnId, afterSeq, ended, 16, repos.events(),
        new TurnEventBodies(repos.turns(), null, JsonMapper.builder().build()), permit, hub::remove);
    hub.add(subscription);
    return subscription;
  }

  /** A journal writer that tells the hub at commit, as a worker in the same process does. */
  TurnEventRepository writerInThisProcess() {
    DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
    beans.registerSingleton("hub", hub);
    return new TurnEventRepository(database.dsl(), Clock.systemUTC(), beans.getBeanProvider(TurnEventListener.class));
  }

  void append(TurnEventRepository writer, int n, TurnEventType type) {
    database.transactions().executeWithoutResult(status ->
        writer.appendOnce(company, turnId, "k" + n, type, "{\"text\":\"" + n + "\"}"));
  }

  @Test
  void givenEventsWrittenElsewhere_whenTheHubPolls_itShouldDeliverThemInOrderAndEndAfterTheLast() throws Exception {
    hub(Duration.ofMillis(20));
    append(repos.events(), 1, TurnEventType.TURN_STARTED);
    TurnSubscription stream = subscribe(0, false);
    List<Integer> seen = new ArrayList<>();
    AtomicInteger ready = new AtomicInteger();
    stream.onReady(ready::incrementAndGet);

    for (int n = 2; n <= 6; n++) {
      append(repos.events(), n, TurnEventType.MESSAGE_DELTA);
    }
    while (seen.size() < 6) {
      Optional<TurnEvent> event = stream.next(Duration.ofSeconds(5));
      assertThat(event).as("event %s in time", seen.size() + 1).isPresent();
      seen.add(event.get().seq());
    }
    append(repos.events(), 7, TurnEventType.STEP_FINISHED);
    assertThat(stream.next(Duration.ofSeconds(5))).get().extracting(TurnEvent::type).isEqualTo(TurnEventType.STEP_FINISHED);
    assertThat(stream.isFinished()).isFalse();

    assertThat(seen).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(ready.get()).as("the reader was told events were ready").isPositive();
    assertThat(hub.topics()).isEqualTo(1);
    stream.close();
    assertThat(hub.topics()).isZero();
    assertThat(permits.get()).as("the stream's slot is free").isZero();
  }

  /** With the worker in this process, events arrive at commit: no poll is needed (it is set to 5 s here). */
  @Test
  void givenTheWorkerInThisProcess_whenItCommitsAnEvent_itShouldReachTheReaderWithoutAPoll() throws Exception {
    hub(Duration.ofSeconds(5));
    TurnEventRepository local = writerInThisProcess();
    TurnSubscription stream = subscribe(0, false);
    assertThat(stream.poll()).isEmpty();

    long start = System.nanoTime();
    append(local, 1, TurnEventType.MESSAGE_DELTA);
    Optional<TurnEvent> event = stream.next(Duration.ofSeconds(2));

    assertThat(event).get().extracting(TurnEvent::text).isEqualTo("1");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    append(local, 2, TurnEventType.TURN_FAILED);
    assertThat(stream.next(Duration.ofSeconds(2))).get().extracting(TurnEvent::type).isEqualTo(TurnEventType.TURN_FAILED);
    assertThat(stream.isFinished()).isTrue();
    assertThat(stream.poll()).isEmpty();
  }

  /** A caller waiting for the answer: woken by the approval request once, then by the end; events of another process. */
  @Test
  void givenAWatchedTurn_whenAnotherProcessWritesAnApprovalRequestAndTheEnd_itShouldWakeTheWatcherForEach() throws Exception {
    hub(Duration.ofMillis(20));
    try (TurnEventHub.Watch watch = hub.watch(company, turnId)) {
      append(repos.events(), 1, TurnEventType.TURN_STARTED);
      append(repos.events(), 2, TurnEventType.STEP_STARTED);
      assertThat(watch.await(Duration.ofMillis(300))).isEqualTo(TurnEventHub.Wake.NOTHING);

      append(repos.events(), 3, TurnEventType.APPROVAL_REQUESTED);
      assertThat(watch.await(Duration.ofSeconds(5))).isEqualTo(TurnEventHub.Wake.APPROVAL_REQUESTED);
      assertThat(watch.await(Duration.ofMillis(100))).as("reported once").isEqualTo(TurnEventHub.Wake.NOTHING);

      append(repos.events(), 4, TurnEventType.APPROVAL_APPROVED);
      append(repos.events(), 5, TurnEventType.TURN_COMPLETED);
      assertThat(watch.await(Duration.ofSeconds(5))).isEqualTo(TurnEventHub.Wake.ENDED);
      assertThat(hub.topics()).isEqualTo(1);
    }
    assertThat(hub.topics()).isZero();
  }

  /** Attaching to a turn that ended before the watch began: the listener's next pass finds its end. */
  @Test
  void givenATurnThatEndedBeforeTheWatch_whenWatched_itShouldWakeAtOnce() throws Exception {
    hub(Duration.ofMillis(20));
    append(repos.events(), 1, TurnEventType.TURN_STARTED);
    append(repos.events(), 2, TurnEventType.TURN_FAILED);

    try (TurnEventHub.Watch watch = hub.watch(company, turnId)) {
      assertThat(watch.await(Duration.ofSeconds(5))).isEqualTo(TurnEventHub.Wake.ENDED);
    }
  }

  /** With the worker in this process the end wakes the watcher at commit; the poll (every 5 s here) is not needed. */
  @Test
  void givenTheWorkerInThisProcess_whenTheTurnEnds_itShouldWakeTheWatcherWithoutAPoll() throws Exception {
    hub(Duration.ofSeconds(5));
    TurnEventRepository local = writerInThisProcess();
    // A stream of the same turn is open too: the watch shares its topic.
    TurnSubscription stream = subscribe(0, false);
    try (TurnEventHub.Watch watch = hub.watch(company, turnId)) {
      append(local, 1, TurnEventType.TURN_STARTED);
      append(local, 2, TurnEventType.TURN_COMPLETED);

      assertThat(watch.await(Duration.ofSeconds(2))).isEqualTo(TurnEventHub.Wake.ENDED);
      assertThat(stream.next(Duration.ofSeconds(2))).get().extracting(TurnEvent::seq).isEqualTo(1);
    }
    assertThat(hub.topics()).as("the stream still holds the topic").isEqualTo(1);
    stream.close();
    assertThat(hub.topics()).isZero();
  }

  /** A reader that does not read costs at most its buffer; it then reads the rest from the journal. */
  @Test
  void givenASlowReader_whenMoreEventsComeThanItsBuffer_itShouldHoldAtMostTheBufferAndLoseNothing() throws Exception {
    hub(Duration.ofMillis(10));
    TurnSubscription stream = subscribe(0, false);
    assertThat(stream.poll()).as("caught up with an empty journal").isEmpty();

    for (int n = 1; n <= 60; n++) {
      append(repos.events(), n, TurnEventType.MESSAGE_DELTA);
    }
    Thread.sleep(300);
    assertThat(stream.buffered()).isLessThanOrEqualTo(16);

    List<Integer> seen = new ArrayList<>();
    Optional<TurnEvent> event;
    while ((event = stream.next(Duration.ofSeconds(2))).isPresent()) {
      seen.add(event.get().seq());
      if (seen.size() == 30) {
        append(repos.events(), 61, TurnEventType.MESSAGE_DELTA); // more keeps coming while it catches up
      }
      if (seen.size() == 61) {
        break;
      }
    }
    assertThat(seen).hasSize(61).isSorted().doesNotHaveDuplicates();
    assertThat(seen.get(60)).isEqualTo(61);
  }

  /** A turn that had ended: its journal after the position, then the end, even without a last event. */
  @Test
  void givenAnEndedTurn_whenResumingAfterAnEvent_itShouldGiveTheRestAndFinish() throws Exception {
    hub(Duration.ofMillis(20));
    for (int n = 1; n <= 5; n++) {
      append(repos.events(), n, TurnEventType.MESSAGE_DELTA);
    }
    TurnSubscription stream = subscribe(3, true);

    assertThat(stream.next(Duration.ofSeconds(2))).get().extracting(TurnEvent::seq).isEqualTo(4);
    assertThat(stream.next(Duration.ofSeconds(2))).get().extracting(TurnEvent::seq).isEqualTo(5);
    assertThat(stream.next(Duration.ofMillis(200))).isEmpty();
    assertThat(stream.isFinished()).isTrue();
  }
}
