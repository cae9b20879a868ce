package dev.saturn.activities.webhooks;

import dev.saturn.workflows.common.SaturnSearchAttributes;
import static dev.saturn.db.jooq.Tables.AUDIT_LOGS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.saturn.activities.webhooks.testing.SpecVerifier;
import dev.saturn.activities.webhooks.testing.TestWebhookFacts;
import dev.saturn.activities.webhooks.testing.WebhookReceiver;
import dev.saturn.common.outbound.SsrfGuard;
import dev.saturn.common.webhooks.WebhookSignatures;
import dev.saturn.db.audit.AuditLogRepository;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.common.Times;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.TestDatabase;
import dev.saturn.db.tools.ToolSecrets;
import dev.saturn.db.webhooks.DeliveryStatus;
import dev.saturn.db.webhooks.EventOutbox;
import dev.saturn.db.webhooks.WebhookDeliveryRepository;
import dev.saturn.db.webhooks.WebhookDeliveryRow;
import dev.saturn.db.webhooks.WebhookEndpointRepository;
import dev.saturn.db.webhooks.WebhookEndpointRow;
import dev.saturn.db.webhooks.WebhookEventRepository;
import dev.saturn.db.webhooks.WebhookEventType;
import dev.saturn.db.webhooks.WebhookSecrets;
import dev.saturn.db.webhooks.WebhookSweep;
import dev.saturn.workflows.common.TaskQueues;
import dev.saturn.workflows.webhooks.RelayResult;
import dev.saturn.workflows.webhooks.WebhookDeliveryWorkflowImpl;
import dev.saturn.workflows.webhooks.WebhookFanoutWorkflowImpl;
import dev.saturn.workflows.webhooks.WebhookRelayWorkflowImpl;
import dev.saturn.workflows.webhooks.WebhookStarts;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Events recorded in the outbox, fanned out and delivered by the real activities and workflows on
 * Temporal's test server (real time: the retry schedule is half a second a step) over MariaDB, to a
 * receiver on loopback that the SSRF guard's allowlist opens. Signatures are checked with
 * {@link SpecVerifier}, written from the specification.
 */
class WebhookDeliveryTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final WebhookSecrets SECRETS = new WebhookSecrets(ToolSecrets.withKey(Base64.getEncoder().encodeToString(new byte[32])));
  static final Duration WAIT = Duration.ofSeconds(20);

  static TestDatabase database;
  static DSLContext db;
  static TransactionTemplate transaction;
  static WebhookReceiver receiver;
  /** A second receiver whose port the allowlist does not open. */
  static WebhookReceiver forbidden;

  final Clock clock = Clock.systemUTC();
  final WebhookEndpointRepository endpoints = new WebhookEndpointRepository(db);
  final WebhookEventRepository events = new WebhookEventRepository(db);
  final WebhookDeliveryRepository deliveries = new WebhookDeliveryRepository(db);
  TestWorkflowEnvironment env;
  WebhookActivitiesImpl activities;
  /** Starts the fan-out after each commit, as the application's kick does; off to lose the kick. */
  volatile boolean kick = true;
  EventOutbox outbox;
  CompanyId company;

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    db = database.dsl();
    transaction = database.transactions();
    receiver = WebhookReceiver.start();
    forbidden = WebhookReceiver.start();
  }

  @AfterAll
  static void stop() {
    receiver.close();
    forbidden.close();
    database.close();
  }

  @BeforeEach
  void setUp() {
    company = Fixtures.company(db);
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    SaturnSearchAttributes.definitions().forEach(env::registerSearchAttribute);
    outbox = TestWebhookFacts.outbox(db, clock, (c, eventId) -> {
      if (kick) {
        WebhookStarts.fanOut(env.getWorkflowClient(), c.value(), eventId);
      }
    });
    // "rebound.example.test" resolves to loopback at attempt time (a name that was public when it was registered)
    SsrfGuard guard = new SsrfGuard("127.0.0.1:" + receiver.port(), host -> host.equals("rebound.example.test")
        ? new InetAddress[] {InetAddress.getLoopbackAddress()} : InetAddress.getAllByName(host));
    activities = new WebhookActivitiesImpl(events, endpoints, deliveries, new WebhookSweep(db), SECRETS,
        new WebhookSender(guard, clock), outbox, new AuditLogRepository(db), transaction, env.getWorkflowClient(),
        new WebhookDeliveryProperties(List.of(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofMillis(500),
            Duration.ofMillis(500), Duration.ofMillis(500)), 0, Duration.ofSeconds(5), Duration.ofHours(1),
            Duration.ofMillis(1200)),
        new WebhookRelayProperties(true, "* * * * *", Duration.ZERO, 100), clock);
    Worker worker = env.newWorker(TaskQueues.WEBHOOKS);
    worker.registerWorkflowImplementationTypes(
        WebhookFanoutWorkflowImpl.class, WebhookDeliveryWorkflowImpl.class, WebhookRelayWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities);
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  record Endpoint(String id, String secret, String path) {}

  Endpoint endpointAt(String url, String path, String... events) {
    String id = Ids.newId();
    String secret = WebhookSignatures.newSecret();
    Instant now = Times.now(clock);
    endpoints.insert(company, new WebhookEndpointRow(id, company.value(), WebhookEndpointRow.WEBHOOK, url, null,
        List.of(events), WebhookEndpointRow.ACTIVE, null, null, SECRETS.seal(secret, company.value(), id), null, null, null,
        null, now, now));
    return new Endpoint(id, secret, path);
  }

  Endpoint endpoint(String path, String... events) {
    return endpointAt(receiver.url(path), path, events);
  }

  String record(String turnId) {
    return transaction.execute(s -> outbox.record(company, WebhookEventType.TURN_COMPLETED, "turn.completed:" + turnId,
        "{\"turn_id\":\"" + turnId + "\"}")).orElseThrow();
  }

  List<WebhookDeliveryRow> deliveriesOf(Endpoint endpoint) {
    return deliveries.list(company, endpoint.id(), null, 50).items();
  }

  WebhookDeliveryRow awaitDelivery(Endpoint endpoint, DeliveryStatus status) {
    return await(() -> deliveriesOf(endpoint).stream().filter(d -> d.status() == status).findFirst(),
        "a " + status + " delivery to " + endpoint.path());
  }

  static <T> T await(Supplier<Optional<T>> probe, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("no " + what + " within " + WAIT);
  }

  @Test
  void givenASubscribedEndpoint_whenAFactIsRecorded_itShouldDeliverItOnceSignedAsTheSpecificationSays() throws Exception {
    Endpoint subscribed = endpoint("/signed", "turn.completed");
    Endpoint other = endpoint("/other", "invoice.finalized");
    String eventId = record("t-signed");

    WebhookReceiver.Received got = receiver.await("/signed", 1, WAIT).get(0);
    WebhookDeliveryRow delivery = awaitDelivery(subscribed, DeliveryStatus.DELIVERED);

    assertThat(got.header("webhook-id")).isEqualTo(eventId);
    assertThat(Long.parseLong(got.header("webhook-timestamp"))).isCloseTo(Instant.now().getEpochSecond(),
        org.assertj.core.data.Offset.offset(30L));
    assertThat(SpecVerifier.verifies(subscribed.secret(), got.header("webhook-id"), got.header("webhook-timestamp"),
        got.header("webhook-signature"), got.body())).isTrue();
    assertThat(SpecVerifier.verifies(other.secret(), got.header("webhook-id"), got.header("webhook-timestamp"),
        got.header("webhook-signature"), got.body())).as("another endpoint's secret").isFalse();
    assertThat(got.header("content-type")).startsWith("application/json");
    JsonNode body = JSON.readTree(got.body());
    assertThat(body.path("type").asText()).isEqualTo("turn.completed");
    assertThat(body.path("data").path("turn_id").asText()).isEqualTo("t-signed");
    assertThat(got.text()).isEqualTo(events.find(company, eventId).orElseThrow().payload());
    assertThat(delivery.attempts()).isEqualTo(1);
    assertThat(delivery.lastStatusCode()).isEqualTo(200);
    assertThat(delivery.deliveredAt()).isNotNull();
    assertThat(events.find(company, eventId).orElseThrow().dispatchedAt()).isNotNull();
    Thread.sleep(500);
    assertThat(receiver.received("/signed")).hasSize(1);
    assertThat(receiver.received("/other")).isEmpty();
    assertThat(deliveriesOf(other)).isEmpty();
  }

  @Test
  void givenAReceiverAnswering500Then200_whenDelivering_itShouldRetryWithTheSameWebhookIdAndRecordTheAttempts() {
    receiver.script("/flaky", 500);
    Endpoint flaky = endpoint("/flaky", "turn.completed");
    String eventId = record("t-flaky");

    List<WebhookReceiver.Received> got = receiver.await("/flaky", 2, WAIT);
    WebhookDeliveryRow delivery = awaitDelivery(flaky, DeliveryStatus.DELIVERED);

    assertThat(got).extracting(r -> r.header("webhook-id")).containsExactly(eventId, eventId);
    assertThat(got).allSatisfy(r -> assertThat(SpecVerifier.verifies(flaky.secret(), r.header("webhook-id"),
        r.header("webhook-timestamp"), r.header("webhook-signature"), r.body())).isTrue());
    assertThat(got.get(0).text()).isEqualTo(got.get(1).text());
    assertThat(delivery.attempts()).isEqualTo(2);
    assertThat(delivery.lastStatusCode()).isEqualTo(200);
    assertThat(endpoints.find(company, flaky.id()).orElseThrow().failingSince()).as("the streak ended").isNull();
  }

  @Test
  void givenAnEventWhoseStartWasLost_whenTheRelaySweeps_itShouldDeliverItOnceAndNothingMoreOnRepeats() throws Exception {
    kick = false;
    Endpoint endpoint = endpoint("/swept", "turn.completed");
    String eventId = record("t-swept");
    Thread.sleep(300);
    assertThat(receiver.received("/swept")).as("nothing without the kick").isEmpty();

    RelayResult sweep = activities.relayUndispatchedEvents();
    receiver.await("/swept", 1, WAIT);
    awaitDelivery(endpoint, DeliveryStatus.DELIVERED);
    RelayResult again = activities.relayUndispatchedEvents();
    activities.fanOutEvent(new dev.saturn.workflows.webhooks.WebhookEventRef(company.value(), eventId));
    Thread.sleep(1000);

    assertThat(sweep.found()).isGreaterThanOrEqualTo(1);
    assertThat(again.found()).as("the event was marked dispatched").isZero();
    assertThat(deliveriesOf(endpoint)).as("one delivery, whatever starts it again").hasSize(1);
    assertThat(receiver.received("/swept")).hasSize(1);
  }

  @Test
  void givenAnEndpointFailingLongerThanTheLimit_whenItFailsAgain_itShouldBeDisabledAuditedAndTheOtherEndpointsTold()
      throws Exception {
    receiver.always("/down", 500);
    Endpoint down = endpoint("/down", "turn.completed");
    Endpoint notices = endpoint("/notices", "invoice.finalized");
    record("t-down");

    WebhookEndpointRow disabled = await(() -> endpoints.find(company, down.id()).filter(e -> !e.active()), "a disabled endpoint");
    WebhookReceiver.Received notice = receiver.await("/notices", 1, WAIT).get(0);

    assertThat(disabled.disabledReason()).contains("every attempt failed");
    assertThat(receiver.received("/down").size()).as("attempts until failing for 1.2 s").isBetween(3, 5);
    assertThat(awaitDelivery(down, DeliveryStatus.FAILED).lastStatusCode()).isEqualTo(500);
    JsonNode body = JSON.readTree(notice.body());
    assertThat(body.path("type").asText()).isEqualTo("webhook.disabled");
    assertThat(body.path("data").path("webhook_id").asText()).isEqualTo(down.id());
    assertThat(SpecVerifier.verifies(notices.secret(), notice.header("webhook-id"), notice.header("webhook-timestamp"),
        notice.header("webhook-signature"), notice.body())).isTrue();
    assertThat(db.fetchCount(AUDIT_LOGS, AUDIT_LOGS.COMPANY_ID.eq(company.value())
        .and(AUDIT_LOGS.ACTION.eq("webhook.disable")).and(AUDIT_LOGS.TARGET_ID.eq(down.id())))).isEqualTo(1);
    int attempts = receiver.received("/down").size();
    record("t-after");
    Thread.sleep(1000);
    assertThat(receiver.received("/down")).as("a disabled endpoint gets nothing new").hasSize(attempts);
  }

  @Test
  void givenA410_whenDelivering_itShouldDisableTheEndpointAtOnce() {
    receiver.always("/gone", 410);
    Endpoint gone = endpoint("/gone", "turn.completed");
    record("t-gone");

    WebhookEndpointRow disabled = await(() -> endpoints.find(company, gone.id()).filter(e -> !e.active()), "a disabled endpoint");

    assertThat(disabled.disabledReason()).contains("410");
    assertThat(receiver.received("/gone")).hasSize(1);
    assertThat(awaitDelivery(gone, DeliveryStatus.FAILED).attempts()).isEqualTo(1);
  }

  @Test
  void givenANameThatNowResolvesToANonAllowlistedPrivateAddress_whenAttempted_itShouldBeRefusedWithoutAConnection() {
    Endpoint rebound = endpointAt("http://rebound.example.test:" + forbidden.port() + "/ssrf", "/ssrf", "turn.completed");
    record("t-ssrf");

    WebhookDeliveryRow delivery = await(() -> deliveriesOf(rebound).stream().filter(d -> d.attempts() >= 2).findFirst(),
        "two refused attempts");

    assertThat(delivery.lastError()).startsWith("refused: ").contains("loopback");
    assertThat(delivery.lastStatusCode()).isNull();
    assertThat(forbidden.received("/ssrf")).isEmpty();
  }

  @Test
  void givenARotatedSecretInItsGrace_whenDelivering_itShouldSignWithBothSecrets() {
    Endpoint rotated = endpoint("/rotated", "turn.completed");
    String newSecret = WebhookSignatures.newSecret();
    WebhookEndpointRow row = endpoints.find(company, rotated.id()).orElseThrow();
    Instant now = Times.now(clock);
    endpoints.update(company, new WebhookEndpointRow(row.id(), row.companyId(), row.kind(), row.url(), row.description(),
        row.eventTypes(), row.status(), null, null, SECRETS.seal(newSecret, company.value(), row.id()), row.secretSealed(),
        now.plus(Duration.ofHours(1)), null, null, row.createdAt(), now));
    record("t-rotated");

    WebhookReceiver.Received got = receiver.await("/rotated", 1, WAIT).get(0);

    assertThat(got.header("webhook-signature").split(" ")).hasSize(2);
    for (String secret : List.of(newSecret, rotated.secret())) {
      assertThat(SpecVerifier.verifies(secret, got.header("webhook-id"), got.header("webhook-timestamp"),
          got.header("webhook-signature"), got.body())).isTrue();
    }
  }
}
