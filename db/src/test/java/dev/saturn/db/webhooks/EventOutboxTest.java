package dev.saturn.db.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.transaction.support.TransactionTemplate;

class EventOutboxTest {

  static TestDatabase database;
  static DSLContext db;
  static TransactionTemplate transaction;

  final List<String> heard = new CopyOnWriteArrayList<>();
  CompanyId company;
  EventOutbox outbox;
  WebhookEventRepository events;
  WebhookEndpointRepository endpoints;

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    db = database.dsl();
    transaction = database.transactions();
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @BeforeEach
  void setUp() {
    company = Fixtures.company(db);
    StaticListableBeanFactory beans = new StaticListableBeanFactory();
    beans.addBean("listener", (EventOutbox.Listener) (c, id) -> heard.add(id));
    events = new WebhookEventRepository(db);
    endpoints = new WebhookEndpointRepository(db);
    outbox = new EventOutbox(events, endpoints, beans.getBeanProvider(EventOutbox.Listener.class), Clock.systemUTC());
    subscribe("turn.completed", "kb.document.ready", "invoice.finalized");
  }

  void subscribe(String... types) {
    Instant now = Instant.now();
    endpoints.insert(company, new WebhookEndpointRow(dev.saturn.db.common.Ids.newId(), company.value(),
        WebhookEndpointRow.WEBHOOK, "https://hooks.example.test/x", null, List.of(types), WebhookEndpointRow.ACTIVE, null,
        null, "v1:unused", null, null, null, null, now, now));
  }

  @Test
  void givenTheSameFactRecordedTwice_whenCommitted_itShouldHoldOneEventAndTellTheListenerOnce() {
    Optional<String> first = transaction.execute(s ->
        outbox.record(company, WebhookEventType.TURN_COMPLETED, "turn.completed:t1", "{\"turn_id\":\"t1\"}"));
    Optional<String> again = transaction.execute(s ->
        outbox.record(company, WebhookEventType.TURN_COMPLETED, "turn.completed:t1", "{\"turn_id\":\"t1\"}"));

    assertThat(first).isPresent();
    assertThat(again).isEmpty();
    assertThat(heard).containsExactly(first.get());
    WebhookEventRow row = events.findByFact(company, "turn.completed:t1").orElseThrow();
    assertThat(row.payload()).startsWith("{\"type\":\"turn.completed\",\"timestamp\":\"")
        .endsWith("\",\"data\":{\"turn_id\":\"t1\"}}");
    String timestamp = row.payload().substring(row.payload().indexOf("\"timestamp\":\"") + 13, row.payload().indexOf("\",\"data\""));
    assertThat(Instant.parse(timestamp)).isEqualTo(row.occurredAt());
  }

  @Test
  void givenTheFactsTransactionRollsBack_whenRecorded_itShouldLeaveNoEventAndTellNoOne() {
    transaction.executeWithoutResult(s -> {
      outbox.record(company, WebhookEventType.KB_DOCUMENT_READY, "kb.document.ready:d1:1", "{}");
      s.setRollbackOnly();
    });

    assertThat(events.findByFact(company, "kb.document.ready:d1:1")).isEmpty();
    assertThat(heard).isEmpty();
  }

  @Test
  void givenNoTransaction_whenRecorded_itShouldRefuseBecauseTheEventMustCommitWithItsFact() {
    assertThatThrownBy(() -> outbox.record(company, WebhookEventType.TURN_FAILED, "turn.failed:t2", "{}"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void givenAListenerThatThrows_whenTheEventCommits_itShouldStillBeRecordedForTheSweep() {
    StaticListableBeanFactory beans = new StaticListableBeanFactory();
    beans.addBean("broken", (EventOutbox.Listener) (c, id) -> {
      throw new IllegalStateException("temporal unreachable");
    });
    EventOutbox failing = new EventOutbox(events, endpoints, beans.getBeanProvider(EventOutbox.Listener.class),
        Clock.systemUTC());

    Optional<String> id = transaction.execute(s ->
        failing.record(company, WebhookEventType.INVOICE_FINALIZED, "invoice.finalized:i1", "{}"));

    assertThat(id).isPresent();
    assertThat(events.undispatched(company, Instant.now().plusSeconds(1), 10)).extracting(WebhookEventRow::id)
        .containsExactly(id.get());
  }

  @Test
  void givenNoEndpointForTheEventsType_whenRecorded_itShouldKeepItAsDispatchedAndStartNothing() {
    Optional<String> id = transaction.execute(s ->
        outbox.record(company, WebhookEventType.APPROVAL_REQUESTED, "approval.requested:t3:c1", "{}"));

    assertThat(id).isPresent();
    assertThat(events.find(company, id.get()).orElseThrow().dispatchedAt()).isNotNull();
    assertThat(heard).isEmpty();
    assertThat(events.undispatched(company, Instant.now().plusSeconds(1), 10)).isEmpty();
  }
}
