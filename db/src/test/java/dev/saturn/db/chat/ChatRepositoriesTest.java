package dev.saturn.db.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Cursors;
import dev.saturn.db.common.Page;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.Repositories;
import dev.saturn.db.testing.TestDatabase;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChatRepositoriesTest {

  static TestDatabase database;
  static DSLContext db;
  static Repositories repos;

  CompanyId companyA;
  CompanyId companyB;
  String agentA;

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    db = database.dsl();
    Clock clock = Clock.systemUTC();
    repos = Repositories.over(db, clock);
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @BeforeEach
  void tenants() {
    companyA = Fixtures.company(db);
    companyB = Fixtures.company(db);
    agentA = Fixtures.agent(db, companyA, "{}");
  }

  @Test
  void givenRowsOfCompanyA_whenCompanyBReads_itShouldSeeNothing() {
    SessionRow session = repos.sessions().create(companyA, agentA);
    String turnId = UUID.randomUUID().toString();
    repos.turns().insertRunning(companyA, turnId, session.id(), agentA, "wf-" + turnId);
    MessageRow message = repos.messages().insertOnce(companyA, session.id(), turnId, "user", "hello", 1);

    assertThat(repos.sessions().find(companyB, session.id())).isEmpty();
    assertThat(repos.turns().find(companyB, turnId)).isEmpty();
    assertThat(repos.messages().find(companyB, message.id())).isEmpty();
    assertThat(repos.messages().list(companyB, session.id(), null, 10).items()).isEmpty();
    assertThat(repos.messages().history(companyB, session.id(), Long.MAX_VALUE, 10)).isEmpty();

    assertThat(repos.sessions().find(companyA, session.id())).isPresent();
    assertThat(repos.messages().list(companyA, session.id(), null, 10).items()).extracting(MessageRow::content).containsExactly("hello");
  }

  @Test
  void givenSessionsOfTwoAgentsAndCompanies_whenListedForAnAgent_itShouldGiveOnlyThatAgentsNewestFirst() {
    SessionRow first = repos.sessions().create(companyA, agentA);
    SessionRow second = repos.sessions().create(companyA, agentA);
    String otherAgent = Fixtures.agent(db, companyA, "{}");
    repos.sessions().create(companyA, otherAgent);
    String agentB = Fixtures.agent(db, companyB, "{}");
    repos.sessions().create(companyB, agentB);

    assertThat(repos.sessions().listForAgent(companyA, agentA, 10)).extracting(SessionRow::id)
        .containsExactlyInAnyOrder(first.id(), second.id());
    assertThat(repos.sessions().listForAgent(companyA, agentA, 1)).hasSize(1);
    assertThat(repos.sessions().listForAgent(companyB, agentA, 10)).isEmpty();
    assertThat(repos.sessions().listForAgent(companyA, agentA, 10).get(0).createdAt())
        .isAfterOrEqualTo(repos.sessions().listForAgent(companyA, agentA, 10).get(1).createdAt());
  }

  @Test
  void givenRetriedInsert_whenSameTurnAndRole_itShouldKeepTheFirstRow() {
    SessionRow session = repos.sessions().create(companyA, agentA);
    String turnId = UUID.randomUUID().toString();
    repos.turns().insertRunning(companyA, turnId, session.id(), agentA, "wf-" + turnId);

    MessageRow first = repos.messages().insertOnce(companyA, session.id(), turnId, "assistant", "answer one", 2);
    MessageRow retried = repos.messages().insertOnce(companyA, session.id(), turnId, "assistant", "answer two", 2);

    assertThat(retried.id()).isEqualTo(first.id());
    assertThat(retried.content()).isEqualTo("answer one");
    assertThat(repos.messages().countByTurn(companyA, turnId)).isEqualTo(1);
  }

  @Test
  void givenSessionHistory_whenWindowed_itShouldReturnTheLastMessagesBeforeTheTurnOldestFirst() {
    SessionRow session = repos.sessions().create(companyA, agentA);
    long lastSeq = 0;
    for (int i = 1; i <= 4; i++) {
      String turnId = UUID.randomUUID().toString();
      repos.turns().insertRunning(companyA, turnId, session.id(), agentA, "wf-" + turnId);
      repos.messages().insertOnce(companyA, session.id(), turnId, "user", "q" + i, 1);
      lastSeq = repos.messages().insertOnce(companyA, session.id(), turnId, "assistant", "a" + i, 1).seq();
    }

    List<MessageRow> window = repos.messages().history(companyA, session.id(), lastSeq, 3);

    assertThat(window).extracting(MessageRow::content).containsExactly("q3", "a3", "q4");
  }

  @Test
  void givenManyMessages_whenPaged_itShouldWalkAllWithoutDuplicates() {
    SessionRow session = repos.sessions().create(companyA, agentA);
    for (int i = 0; i < 5; i++) {
      String turnId = UUID.randomUUID().toString();
      repos.turns().insertRunning(companyA, turnId, session.id(), agentA, "wf-" + turnId);
      repos.messages().insertOnce(companyA, session.id(), turnId, "user", "m" + i, 1);
    }
    Page<MessageRow> first = repos.messages().list(companyA, session.id(), null, 2);
    Page<MessageRow> second = repos.messages().list(companyA, session.id(), first.nextCursor(), 2);
    Page<MessageRow> third = repos.messages().list(companyA, session.id(), second.nextCursor(), 2);

    assertThat(first.items()).extracting(MessageRow::content).containsExactly("m0", "m1");
    assertThat(second.items()).extracting(MessageRow::content).containsExactly("m2", "m3");
    assertThat(third.items()).extracting(MessageRow::content).containsExactly("m4");
    assertThat(third.nextCursor()).isNull();
    assertThatThrownBy(() -> repos.messages().list(companyA, session.id(), "not-a-cursor!", 2))
        .isInstanceOf(Cursors.InvalidCursorException.class);
    assertThatThrownBy(() -> repos.messages().list(companyA, session.id(), Cursors.encode("no-such-message"), 2))
        .isInstanceOf(Cursors.InvalidCursorException.class);
    // A cursor is only good in the tenant that got it.
    assertThatThrownBy(() -> repos.messages().list(companyB, session.id(), first.nextCursor(), 2))
        .isInstanceOf(Cursors.InvalidCursorException.class);
  }

  @Test
  void givenPriorMessagesOfATurn_whenStoredTwiceAndReadBack_itShouldKeepOneCopyInHistoryAndNoneAmongToolMessages() {
    SessionRow session = repos.sessions().create(companyA, agentA);
    String turnId = UUID.randomUUID().toString();
    repos.turns().insertRunning(companyA, turnId, session.id(), agentA, "wf-" + turnId, "Answer in French.");
    repos.messages().insertPriorOnce(companyA, session.id(), turnId, 0, "user", "earlier question");
    repos.messages().insertPriorOnce(companyA, session.id(), turnId, 1, "assistant", "earlier answer");
    MessageRow again = repos.messages().insertPriorOnce(companyA, session.id(), turnId, 1, "assistant", "a retry's copy");
    MessageRow question = repos.messages().insertOnce(companyA, session.id(), turnId, "user", "now this", null);

    assertThat(again.content()).isEqualTo("earlier answer");
    assertThat(repos.messages().history(companyA, session.id(), question.seq(), 10))
        .extracting(MessageRow::role, MessageRow::content)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("user", "earlier question"),
            org.assertj.core.groups.Tuple.tuple("assistant", "earlier answer"));
    assertThat(repos.messages().toolMessages(companyA, turnId)).isEmpty();
    assertThat(repos.turns().find(companyA, turnId).orElseThrow().instructions()).isEqualTo("Answer in French.");
  }

  @Test
  void givenPinnedVersion_whenPinnedAgain_itShouldKeepTheFirst() {
    SessionRow session = repos.sessions().create(companyA, agentA);
    String turnId = UUID.randomUUID().toString();
    repos.turns().insertRunning(companyA, turnId, session.id(), agentA, "wf-" + turnId);

    assertThat(repos.turns().pinVersion(companyA, turnId, 1)).isEqualTo(1);
    assertThat(repos.turns().pinVersion(companyA, turnId, 2)).isEqualTo(1);
  }

  @Test
  void givenCompletedTurn_whenMarkedFailedLater_itShouldStayCompleted() {
    SessionRow session = repos.sessions().create(companyA, agentA);
    String turnId = UUID.randomUUID().toString();
    repos.turns().insertRunning(companyA, turnId, session.id(), agentA, "wf-" + turnId);

    repos.turns().markCompleted(companyA, turnId, "m1", 10, 5);
    repos.turns().markFailed(companyA, turnId, "LLM_TIMEOUT", "late failure");

    TurnRow row = repos.turns().find(companyA, turnId).orElseThrow();
    assertThat(row.status()).isEqualTo(TurnStatus.COMPLETED);
    assertThat(row.inputTokens()).isEqualTo(10);
    assertThat(row.errorCode()).isNull();
  }

  @Test
  void givenIdempotencyKey_whenInsertedTwice_itShouldKeepTheFirstRecordPerCompany() {
    IdempotencyRecord first = new IdempotencyRecord("chat", "key-1", "a".repeat(64), "turn", "t1");
    IdempotencyRecord second = new IdempotencyRecord("chat", "key-1", "b".repeat(64), "turn", "t2");

    assertThat(repos.idempotency().insertIfAbsent(companyA, first)).isTrue();
    assertThat(repos.idempotency().insertIfAbsent(companyA, second)).isFalse();
    assertThat(repos.idempotency().find(companyA, "chat", "key-1")).contains(first);
    // The same key in another tenant is a different request.
    assertThat(repos.idempotency().insertIfAbsent(companyB, second)).isTrue();
  }

  /**
   * Parallel tool calls append to one turn's log, each in its own transaction that has already read
   * (so holds a REPEATABLE READ snapshot). Every append must get its own seq, none may fail.
   */
  @Test
  void givenTransactionsWithOldSnapshots_whenTheyAppendToOneTurnAtOnce_itShouldGiveEachItsOwnSeq() throws Exception {
    SessionRow session = repos.sessions().create(companyA, agentA);
    String turnId = UUID.randomUUID().toString();
    repos.turns().insertRunning(companyA, turnId, session.id(), agentA, "wf-" + turnId);
    repos.events().appendOnce(companyA, turnId, "turn:started", TurnEventType.TURN_STARTED, "{}");
    int writers = 6;
    java.util.concurrent.CyclicBarrier allRead = new java.util.concurrent.CyclicBarrier(writers);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
    try {
      List<java.util.concurrent.Future<Integer>> seqs = new java.util.ArrayList<>();
      for (int i = 0; i < writers; i++) {
        String key = "call:" + i + ":executed";
        seqs.add(pool.submit(() -> database.transactions().execute(status -> {
          repos.events().after(companyA, turnId, 0, 10); // the snapshot is taken here, before anyone appends
          await(allRead);
          return repos.events().appendOnce(companyA, turnId, key, TurnEventType.TOOL_EXECUTED, "{}");
        })));
      }
      java.util.Set<Integer> distinct = new java.util.TreeSet<>();
      for (java.util.concurrent.Future<Integer> seq : seqs) {
        distinct.add(seq.get(60, java.util.concurrent.TimeUnit.SECONDS));
      }
      assertThat(distinct).containsExactly(2, 3, 4, 5, 6, 7);
      assertThat(repos.events().after(companyA, turnId, 0, 100)).extracting(TurnEventRow::seq)
          .containsExactly(1, 2, 3, 4, 5, 6, 7);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void givenTheLastSeq_whenAppendingAfterIt_itShouldWriteTheEventsInOrderAndReturnTheLast() {
    String turnId = runningTurn();
    repos.events().appendOnce(companyA, turnId, "turn:started", TurnEventType.TURN_STARTED, "{}");

    int last = database.transactions().execute(status -> repos.events().appendAfter(companyA, turnId, 1, List.of(
        new TurnEventRepository.NewEvent("a", TurnEventType.MESSAGE_DELTA, "{\"text\":\"a\"}"),
        new TurnEventRepository.NewEvent("b", TurnEventType.STEP_FINISHED, "{}"))));

    assertThat(last).isEqualTo(3);
    assertThat(repos.events().after(companyA, turnId, 0, 10)).extracting(TurnEventRow::seq, TurnEventRow::type)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1, TurnEventType.TURN_STARTED),
            org.assertj.core.groups.Tuple.tuple(2, TurnEventType.MESSAGE_DELTA),
            org.assertj.core.groups.Tuple.tuple(3, TurnEventType.STEP_FINISHED));
  }

  /** More events than the pre-rendered inserts cover: the statement is built for the row count. */
  @Test
  void givenMoreEventsThanThePreRenderedInserts_whenAppendingAfter_itShouldWriteEveryOneInOrder() {
    String turnId = runningTurn();
    List<TurnEventRepository.NewEvent> six = java.util.stream.IntStream.rangeClosed(1, 6)
        .mapToObj(i -> new TurnEventRepository.NewEvent("delta:" + i, TurnEventType.MESSAGE_DELTA,
            "{\"text\":\"" + i + "\"}"))
        .toList();

    int last = database.transactions().execute(status -> repos.events().appendAfter(companyA, turnId, 0, six));

    assertThat(last).isEqualTo(6);
    assertThat(repos.events().after(companyA, turnId, 0, 10)).extracting(TurnEventRow::seq, TurnEventRow::dataJson)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "{\"text\":\"1\"}"),
            org.assertj.core.groups.Tuple.tuple(2, "{\"text\":\"2\"}"),
            org.assertj.core.groups.Tuple.tuple(3, "{\"text\":\"3\"}"),
            org.assertj.core.groups.Tuple.tuple(4, "{\"text\":\"4\"}"),
            org.assertj.core.groups.Tuple.tuple(5, "{\"text\":\"5\"}"),
            org.assertj.core.groups.Tuple.tuple(6, "{\"text\":\"6\"}"));
    assertThat(repos.events().after(companyB, turnId, 0, 10)).as("another company sees none").isEmpty();
  }

  /** A guess that someone else's append made stale, and a retry of events written already: no gap, no copy. */
  @Test
  void givenAStaleLastSeqOrKeysWrittenAlready_whenAppendingAfter_itShouldFallBackToTheNextFreeSeqsOnce() {
    String turnId = runningTurn();
    repos.events().appendOnce(companyA, turnId, "turn:started", TurnEventType.TURN_STARTED, "{}");
    repos.events().appendOnce(companyA, turnId, "approval", TurnEventType.APPROVAL_REQUESTED, "{}");
    List<TurnEventRepository.NewEvent> step = List.of(
        new TurnEventRepository.NewEvent("step:1:started", TurnEventType.STEP_STARTED, "{}"),
        new TurnEventRepository.NewEvent("step:1:finished", TurnEventType.STEP_FINISHED, "{}"));

    int stale = database.transactions().execute(status -> repos.events().appendAfter(companyA, turnId, 1, step));
    int retried = database.transactions().execute(status -> repos.events().appendAfter(companyA, turnId, 4, step));

    assertThat(stale).isEqualTo(4);
    assertThat(retried).as("a retry gets the first write's seq").isEqualTo(4);
    assertThat(repos.events().after(companyA, turnId, 0, 10)).extracting(TurnEventRow::seq)
        .containsExactly(1, 2, 3, 4);
  }

  /**
   * A writer that knows the last seq and writers that lock, at once: each event once, seqs 1..n
   * without a gap. A guesser that collided holds a share lock on the row it hit while it waits for
   * the turn's lock, so it can deadlock with a locking writer; the database then rolls one back,
   * which retries (as the store activities do), so the writers here retry a deadlocked transaction.
   */
  @Test
  void givenAppendsAfterAKnownSeqRacingLockingAppends_whenAllCommit_itShouldKeepSeqsContiguous() throws Exception {
    String turnId = runningTurn();
    repos.events().appendOnce(companyA, turnId, "turn:started", TurnEventType.TURN_STARTED, "{}");
    int writers = 4;
    java.util.concurrent.CyclicBarrier ready = new java.util.concurrent.CyclicBarrier(writers * 2);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers * 2);
    try {
      List<java.util.concurrent.Future<Integer>> done = new java.util.ArrayList<>();
      for (int i = 0; i < writers; i++) {
        String key = "guess:" + i;
        String locked = "lock:" + i;
        done.add(pool.submit(() -> {
          await(ready);
          return retryingDeadlocks(() -> database.transactions().execute(status -> repos.events().appendAfter(
              companyA, turnId, 1, List.of(new TurnEventRepository.NewEvent(key, TurnEventType.MESSAGE_DELTA, "{}")))));
        }));
        done.add(pool.submit(() -> {
          await(ready);
          return retryingDeadlocks(() -> database.transactions().execute(status ->
              repos.events().appendOnce(companyA, turnId, locked, TurnEventType.TOOL_EXECUTED, "{}")));
        }));
      }
      for (java.util.concurrent.Future<Integer> f : done) {
        f.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
      assertThat(repos.events().after(companyA, turnId, 0, 100)).extracting(TurnEventRow::seq)
          .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 1 + writers * 2).boxed().toList());
    } finally {
      pool.shutdownNow();
    }
  }

  private static int retryingDeadlocks(java.util.function.Supplier<Integer> transaction) {
    for (int attempt = 1; ; attempt++) {
      try {
        return transaction.get();
      } catch (RuntimeException e) {
        boolean deadlock = String.valueOf(e.getMessage()).contains("Deadlock found");
        if (!deadlock || attempt == 10) {
          throw e;
        }
      }
    }
  }

  private String runningTurn() {
    SessionRow session = repos.sessions().create(companyA, agentA);
    String turnId = UUID.randomUUID().toString();
    repos.turns().insertRunning(companyA, turnId, session.id(), agentA, "wf-" + turnId);
    return turnId;
  }

  /** One query for many turns of several companies: each turn's events after its own position, in order. */
  @Test
  void givenPositionsInTwoCompanies_whenReadingAfterEach_itShouldReturnEachTurnsLaterEventsOnly() {
    String agentB = Fixtures.agent(db, companyB, "{}");
    String turnA = runningTurn(companyA, agentA);
    String turnB = runningTurn(companyB, agentB);
    for (int i = 1; i <= 3; i++) {
      repos.events().appendOnce(companyA, turnA, "a" + i, TurnEventType.MESSAGE_DELTA, "{\"text\":\"a" + i + "\"}");
      repos.events().appendOnce(companyB, turnB, "b" + i, TurnEventType.MESSAGE_DELTA, "{\"text\":\"b" + i + "\"}");
    }

    List<TurnEventRow> rows = repos.events().afterEach(List.of(
        new TurnEventRepository.Position(companyA, turnA, 1),
        new TurnEventRepository.Position(companyB, turnB, 2),
        // the wrong company for a turn reads nothing of it
        new TurnEventRepository.Position(companyB, turnA, 0)), 100);

    assertThat(rows).extracting(r -> r.turnId() + "#" + r.seq())
        .containsExactlyInAnyOrder(turnA + "#2", turnA + "#3", turnB + "#3");
    assertThat(rows.stream().filter(r -> r.turnId().equals(turnA))).extracting(TurnEventRow::seq).containsExactly(2, 3);
    assertThat(repos.events().lastSeq(companyA, turnA)).isEqualTo(3);
    assertThat(repos.events().lastSeq(companyB, turnA)).isZero();
    assertThat(repos.events().anyWithKeyPrefix(companyA, turnA, "a")).isTrue();
    assertThat(repos.events().anyWithKeyPrefix(companyB, turnA, "a")).isFalse();
  }

  @Test
  void givenAListener_whenAnEventIsAppendedInATransaction_itShouldHearOfItOnlyAfterTheCommit() {
    String turnId = runningTurn(companyA, agentA);
    List<TurnEventRow> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    TurnEventListener listener = (company, event) -> heard.add(event);
    var factory = new org.springframework.beans.factory.support.DefaultListableBeanFactory();
    factory.registerSingleton("listener", listener);
    TurnEventRepository events = new TurnEventRepository(db, Clock.systemUTC(), factory.getBeanProvider(TurnEventListener.class));

    database.transactions().executeWithoutResult(status -> {
      events.appendOnce(companyA, turnId, "k1", TurnEventType.TURN_STARTED, "{}");
      assertThat(heard).as("not before the commit").isEmpty();
    });
    assertThat(heard).extracting(TurnEventRow::seq, TurnEventRow::type).containsExactly(
        org.assertj.core.groups.Tuple.tuple(1, TurnEventType.TURN_STARTED));

    database.transactions().executeWithoutResult(status -> {
      events.appendOnce(companyA, turnId, "k2", TurnEventType.MESSAGE_DELTA, "{}");
      status.setRollbackOnly();
    });
    events.appendOnce(companyA, turnId, "k1", TurnEventType.TURN_STARTED, "{}");
    assertThat(heard).as("neither a rolled-back event nor a repeated key").hasSize(1);
  }

  @Test
  void givenTheListenersResolvedOnceTheContextIsUp_whenAnEventCommits_eachShouldHearItOnceInOrder() {
    String turnId = runningTurn(companyA, agentA);
    List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    var factory = new org.springframework.beans.factory.support.DefaultListableBeanFactory();
    factory.registerSingleton("second", new OrderedListener(2, "second", heard));
    factory.registerSingleton("first", new OrderedListener(1, "first", heard));
    TurnEventRepository events = new TurnEventRepository(db, Clock.systemUTC(), factory.getBeanProvider(TurnEventListener.class));
    events.afterSingletonsInstantiated();

    database.transactions().executeWithoutResult(status -> {
      events.appendOnce(companyA, turnId, "k1", TurnEventType.TURN_STARTED, "{}");
      assertThat(heard).as("not before the commit").isEmpty();
    });
    database.transactions().executeWithoutResult(status -> {
      events.appendOnce(companyA, turnId, "k2", TurnEventType.MESSAGE_DELTA, "{}");
      status.setRollbackOnly();
    });

    assertThat(heard).containsExactly("first:1", "second:1");
  }

  private record OrderedListener(int order, String name, List<String> heard)
      implements TurnEventListener, org.springframework.core.Ordered {
    @Override
    public void appended(CompanyId company, TurnEventRow event) {
      heard.add(name + ":" + event.seq());
    }

    @Override
    public int getOrder() {
      return order;
    }
  }

  @Test
  void givenARowWithAPreV30TypeName_whenRead_itShouldCarryTheNewType() {
    String turnId = runningTurn(companyA, agentA);
    db.insertInto(dev.saturn.db.jooq.Tables.TURN_EVENTS)
        .set(dev.saturn.db.jooq.Tables.TURN_EVENTS.COMPANY_ID, companyA.value())
        .set(dev.saturn.db.jooq.Tables.TURN_EVENTS.TURN_ID, turnId)
        .set(dev.saturn.db.jooq.Tables.TURN_EVENTS.SEQ, 1)
        .set(dev.saturn.db.jooq.Tables.TURN_EVENTS.EVENT_KEY, "turn:completed")
        .set(dev.saturn.db.jooq.Tables.TURN_EVENTS.EVENT_TYPE, "turn_completed")
        .set(dev.saturn.db.jooq.Tables.TURN_EVENTS.DATA, "{}")
        .set(dev.saturn.db.jooq.Tables.TURN_EVENTS.CREATED_AT, java.time.LocalDateTime.now())
        .execute();

    assertThat(repos.events().after(companyA, turnId, 0, 10)).extracting(TurnEventRow::type)
        .containsExactly(TurnEventType.TURN_COMPLETED);
    assertThat(TurnEventType.TURN_COMPLETED.isTerminal()).isTrue();
    assertThatThrownBy(() -> TurnEventType.fromStored("turn_exploded")).isInstanceOf(IllegalArgumentException.class);
  }

  private String runningTurn(CompanyId company, String agent) {
    SessionRow session = repos.sessions().create(company, agent);
    String turnId = UUID.randomUUID().toString();
    repos.turns().insertRunning(company, turnId, session.id(), agent, "wf-" + turnId);
    return turnId;
  }

  private static void await(java.util.concurrent.CyclicBarrier barrier) {
    try {
      barrier.await(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
