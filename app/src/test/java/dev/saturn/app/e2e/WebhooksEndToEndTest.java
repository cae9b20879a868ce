package dev.saturn.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.saturn.activities.llm.testing.OpenAiStandIn;
import dev.saturn.activities.llm.testing.OpenAiStandIn.ScriptedCall;
import dev.saturn.activities.webhooks.testing.SpecVerifier;
import dev.saturn.activities.webhooks.testing.WebhookReceiver;
import dev.saturn.app.SaturnApplication;
import dev.saturn.app.e2e.TestApp.Tenant;
import dev.saturn.db.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Webhooks and inbound channels over real HTTP: the whole application (Temporal's Java server, a
 * real MariaDB, the tenant guard on every statement), a receiver on loopback that
 * SATURN_OUTBOUND_ALLOWED_HOSTS opens, a retry schedule of half-second steps. Every signature is
 * checked, and every inbound message signed, with {@link SpecVerifier}: code written from the
 * specification, not SATURN's signer.
 */
@Import(GuardEverySql.class)
@SpringBootTest(classes = SaturnApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebhooksEndToEndTest {

  static final String ADMIN = "e2e-webhooks-operator-token";
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration WAIT = Duration.ofSeconds(30);

  static TestDatabase database;
  static WebhookReceiver receiver;
  /** A loopback port the allowlist does not open. */
  static WebhookReceiver forbidden;
  static OpenAiStandIn model;

  @LocalServerPort int port;

  @BeforeAll
  static void startServers() {
    database = TestDatabase.create();
    receiver = WebhookReceiver.start();
    forbidden = WebhookReceiver.start();
    model = OpenAiStandIn.start();
  }

  @AfterAll
  static void stopServers() {
    receiver.close();
    forbidden.close();
    model.close();
    database.close();
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    TestApp.embeddedDefaults(registry, () -> database.jdbcUrl(), "e2e-webhooks-data", ADMIN);
    registry.add("saturn.llm.openai.base-url", () -> model.baseUrl());
    registry.add("saturn.outbound.allowed-hosts", () -> "127.0.0.1:" + receiver.port());
    registry.add("saturn.webhooks.delivery.retry-schedule", () -> "500ms,500ms,500ms,500ms,500ms,500ms");
    registry.add("saturn.webhooks.delivery.jitter", () -> "0");
    registry.add("saturn.webhooks.delivery.disable-after", () -> "1500ms");
    // A plan change applies to the next request.
    registry.add("saturn.rate-limit.plan-cache-ttl", () -> "0s");
  }

  HttpJson http() {
    return new HttpJson("http://127.0.0.1:" + port);
  }

  record Hook(String id, String secret, String path) {}

  Hook webhook(Tenant tenant, String path, String... events) {
    HttpJson.Response created = http().post("/v1/webhooks", tenant.apiKey(),
        Map.of("url", receiver.url(path), "events", List.of(events), "description", "test " + path));
    assertThat(created.status()).as("create webhook: %s", created.body()).isEqualTo(201);
    return new Hook(created.text("id"), created.text("secret"), path);
  }

  String chat(Tenant tenant, String agentId, String message) {
    HttpJson.Response turn = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(), Map.of("message", message));
    assertThat(turn.status()).as("chat: %s", turn.body()).isIn(200, 202);
    return turn.text("turn_id");
  }

  static void assertSigned(String secret, WebhookReceiver.Received got) {
    assertThat(SpecVerifier.verifies(secret, got.header("webhook-id"), got.header("webhook-timestamp"),
        got.header("webhook-signature"), got.body())).as("signed with the endpoint's secret: %s", got.headers()).isTrue();
  }

  static JsonNode json(WebhookReceiver.Received got) throws Exception {
    return JSON.readTree(got.body());
  }

  /** The first received request on {@code path} whose payload matches, waiting for it. */
  static WebhookReceiver.Received awaitEvent(String path, Predicate<JsonNode> match) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (WebhookReceiver.Received got : receiver.received(path)) {
        try {
          if (match.test(JSON.readTree(got.body()))) {
            return got;
          }
        } catch (java.io.IOException e) {
          throw new AssertionError(e);
        }
      }
      sleep(50);
    }
    throw new AssertionError("no matching event on " + path + " within " + WAIT + "; got " + receiver.received(path).size());
  }

  JsonNode awaitDeliveries(Tenant tenant, String listPath, Predicate<JsonNode> done) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode items = null;
    while (System.nanoTime() < deadline) {
      HttpJson.Response list = http().get(listPath, tenant.apiKey());
      assertThat(list.status()).as(list.body().toString()).isEqualTo(200);
      items = list.body().path("items");
      if (done.test(items)) {
        return items;
      }
      sleep(100);
    }
    throw new AssertionError("deliveries at " + listPath + " never got there: " + items);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void givenAWebhook_whenATurnCompletes_itShouldDeliverOneSignedEventThatCanBeRedeliveredWithTheSameWebhookId()
      throws Exception {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "hookco");
    Hook hook = webhook(tenant, "/hookco", "turn.completed");
    assertThat(hook.secret()).startsWith("whsec_");
    HttpJson.Response shown = http().get("/v1/webhooks/" + hook.id(), tenant.apiKey());
    assertThat(shown.body().has("secret")).as("the secret is shown once").isFalse();
    assertThat(shown.body().path("events").get(0).asText()).isEqualTo("turn.completed");
    String agentId = TestApp.newAgent(http(), tenant, Map.of());

    String turnId = chat(tenant, agentId, "hello");
    WebhookReceiver.Received got = awaitEvent("/hookco", e -> turnId.equals(e.path("data").path("turn_id").asText()));

    assertSigned(hook.secret(), got);
    JsonNode event = json(got);
    assertThat(event.path("type").asText()).isEqualTo("turn.completed");
    assertThat(Instant.parse(event.path("timestamp").asText())).isBefore(Instant.now().plusSeconds(1));
    assertThat(event.path("data").path("agent_id").asText()).isEqualTo(agentId);
    String deliveries = "/v1/webhooks/" + hook.id() + "/deliveries";
    JsonNode first = awaitDeliveries(tenant, deliveries, items -> items.size() == 1
        && items.get(0).path("status").asText().equals("delivered")).get(0);
    assertThat(first.path("attempts").asInt()).isEqualTo(1);
    assertThat(first.path("last_status_code").asInt()).isEqualTo(200);
    assertThat(first.path("webhook_id").asText()).isEqualTo(got.header("webhook-id"));
    assertThat(first.path("event_type").asText()).isEqualTo("turn.completed");

    HttpJson.Response redelivered = http().post(deliveries + "/" + first.path("id").asText() + "/redeliver",
        tenant.apiKey(), Map.of());

    assertThat(redelivered.status()).as(redelivered.body().toString()).isEqualTo(202);
    assertThat(redelivered.body().path("redelivery").asInt()).isEqualTo(1);
    List<WebhookReceiver.Received> both = receiver.await("/hookco", 2, WAIT);
    assertThat(both).extracting(r -> r.header("webhook-id")).containsOnly(got.header("webhook-id"));
    assertThat(both.get(1).text()).isEqualTo(got.text());
    assertSigned(hook.secret(), both.get(1));
    awaitDeliveries(tenant, deliveries, items -> items.size() == 2
        && items.findValuesAsText("status").stream().allMatch("delivered"::equals));
  }

  @Test
  void givenAReceiverAnswering500Then200_whenDelivering_itShouldRetryWithTheSameWebhookId() {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "flakyco");
    receiver.script("/flakyco", 500);
    Hook hook = webhook(tenant, "/flakyco", "turn.completed");
    chat(tenant, TestApp.newAgent(http(), tenant, Map.of()), "hello");

    List<WebhookReceiver.Received> got = receiver.await("/flakyco", 2, WAIT);

    assertThat(got.get(0).header("webhook-id")).isEqualTo(got.get(1).header("webhook-id"));
    got.forEach(r -> assertSigned(hook.secret(), r));
    JsonNode delivery = awaitDeliveries(tenant, "/v1/webhooks/" + hook.id() + "/deliveries",
        items -> items.size() == 1 && items.get(0).path("status").asText().equals("delivered")).get(0);
    assertThat(delivery.path("attempts").asInt()).isEqualTo(2);
    assertThat(delivery.path("last_status_code").asInt()).isEqualTo(200);
  }

  @Test
  void givenAnEndpointThatKeepsFailing_whenItFailsLongEnough_itShouldBeDisabledAndTheCompanyTold() throws Exception {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "downco");
    receiver.always("/downco", 503);
    Hook down = webhook(tenant, "/downco", "turn.completed");
    Hook notices = webhook(tenant, "/downco-notices", "invoice.finalized");
    chat(tenant, TestApp.newAgent(http(), tenant, Map.of()), "hello");

    WebhookReceiver.Received notice = awaitEvent("/downco-notices", e -> e.path("type").asText().equals("webhook.disabled"));

    assertSigned(notices.secret(), notice);
    assertThat(json(notice).path("data").path("webhook_id").asText()).isEqualTo(down.id());
    JsonNode shown = http().get("/v1/webhooks/" + down.id(), tenant.apiKey()).body();
    assertThat(shown.path("status").asText()).isEqualTo("disabled");
    assertThat(shown.path("disabled_reason").asText()).contains("every attempt failed");
    JsonNode audit = http().get("/v1/audit-logs?action=webhook.disable", tenant.apiKey()).body().path("items");
    assertThat(audit).hasSize(1);
    assertThat(audit.get(0).path("target_id").asText()).isEqualTo(down.id());

    HttpJson.Response enabled = http().send("PATCH", "/v1/webhooks/" + down.id(), tenant.apiKey(), Map.of("enabled", true), Map.of());
    assertThat(enabled.text("status")).isEqualTo("active");
    assertThat(enabled.body().path("failing_since").isNull()).isTrue();
  }

  @Test
  void givenPrivateOrMalformedUrls_whenRegistered_itShouldRefuseThemAndAcceptTheAllowlistedReceiver() {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "ssrfco");
    for (String url : List.of("http://10.0.0.7/hook", "http://169.254.169.254/latest/meta-data",
        "http://127.0.0.1:" + forbidden.port() + "/hook", "http://[::1]/hook", "ftp://example.com/hook",
        "https://user:pw@example.com/hook", "/relative")) {
      HttpJson.Response refused = http().post("/v1/webhooks", tenant.apiKey(), Map.of("url", url, "events", List.of("turn.completed")));
      assertThat(refused.status()).as("%s: %s", url, refused.body()).isEqualTo(400);
      assertThat(refused.body().path("field_errors").findValuesAsText("field")).as(url).contains("url");
    }
    HttpJson.Response unknownEvent = http().post("/v1/webhooks", tenant.apiKey(),
        Map.of("url", receiver.url("/ok"), "events", List.of("turn.completed", "message.reply", "nope")));
    assertThat(unknownEvent.body().path("field_errors").findValuesAsText("field")).containsExactly("events[1]", "events[2]");
    assertThat(http().post("/v1/webhooks", tenant.apiKey(), Map.of("url", receiver.url("/ok"), "events",
        List.of("turn.completed"))).status()).isEqualTo(201);
    assertThat(forbidden.received("/hook")).isEmpty();
  }

  @Test
  void givenARotatedSecret_whenTheNextEventIsDelivered_itShouldCarryBothSignaturesAndAnOriginChangeReplacesThem() {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "rotateco");
    Hook hook = webhook(tenant, "/rotateco", "turn.completed");
    String agentId = TestApp.newAgent(http(), tenant, Map.of());

    HttpJson.Response rotated = http().post("/v1/webhooks/" + hook.id() + "/rotate-secret", tenant.apiKey(), Map.of());
    assertThat(rotated.status()).as(rotated.body().toString()).isEqualTo(200);
    String newSecret = rotated.text("secret");
    assertThat(newSecret).startsWith("whsec_").isNotEqualTo(hook.secret());
    assertThat(Instant.parse(rotated.text("previous_secret_expires_at"))).isAfter(Instant.now().plus(Duration.ofHours(23)));
    chat(tenant, agentId, "after the rotation");
    WebhookReceiver.Received got = receiver.await("/rotateco", 1, WAIT).get(0);
    assertThat(got.header("webhook-signature").split(" ")).hasSize(2);
    assertSigned(newSecret, got);
    assertSigned(hook.secret(), got);

    // Another origin (host localhost instead of 127.0.0.1): a new secret at once, the old ones stop signing.
    HttpJson.Response moved = http().send("PATCH", "/v1/webhooks/" + hook.id(), tenant.apiKey(),
        Map.of("url", "http://localhost:" + receiver.port() + "/rotateco-moved"), Map.of());
    assertThat(moved.status()).as(moved.body().toString()).isEqualTo(200);
    String movedSecret = moved.text("secret");
    assertThat(movedSecret).startsWith("whsec_").isNotIn(newSecret, hook.secret());
    assertThat(moved.body().path("previous_secret_expires_at").isNull()).isTrue();
    chat(tenant, agentId, "after the move");
    WebhookReceiver.Received afterMove = receiver.await("/rotateco-moved", 1, WAIT).get(0);
    assertSigned(movedSecret, afterMove);
    assertThat(SpecVerifier.verifies(newSecret, afterMove.header("webhook-id"), afterMove.header("webhook-timestamp"),
        afterMove.header("webhook-signature"), afterMove.body())).isFalse();
    // Same origin, other path: the secret stays.
    HttpJson.Response samePlace = http().send("PATCH", "/v1/webhooks/" + hook.id(), tenant.apiKey(),
        Map.of("url", "http://localhost:" + receiver.port() + "/rotateco-again"), Map.of());
    assertThat(samePlace.body().has("secret")).isFalse();
  }

  @Test
  void givenFactsOfDocumentsInvoicesAndApprovals_whenTheyHappen_itShouldDeliverTheirEvents() {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "factsco");
    Hook hook = webhook(tenant, "/factsco", "kb.document.ready", "invoice.drafted", "invoice.finalized",
        "approval.requested", "approval.decided");
    String agentId = TestApp.newAgent(http(), tenant, Map.of());
    HttpJson.Response document = http().upload("/v1/agents/" + agentId + "/kb/documents", tenant.apiKey(), "notes.txt",
        "text/plain", "The launch is on Monday.".getBytes(StandardCharsets.UTF_8), Map.of(), Map.of());
    assertThat(document.status()).as(document.body().toString()).isEqualTo(202);
    awaitEvent("/factsco", e -> e.path("type").asText().equals("kb.document.ready")
        && e.path("data").path("document_id").asText().equals(document.text("id")));

    chat(tenant, agentId, "usage for the invoice");
    HttpJson.Response invoice = http().post("/v1/invoices/generate", tenant.apiKey(),
        Map.of("period", YearMonth.now(ZoneOffset.UTC).toString()));
    assertThat(invoice.status()).as(invoice.body().toString()).isEqualTo(200);
    String invoiceId = invoice.body().path("invoice").path("id").asText();
    awaitEvent("/factsco", e -> e.path("type").asText().equals("invoice.drafted")
        && e.path("data").path("invoice_id").asText().equals(invoiceId));
    assertThat(http().post("/v1/invoices/" + invoiceId + "/finalize", tenant.apiKey(), Map.of()).status()).isEqualTo(200);
    awaitEvent("/factsco", e -> e.path("type").asText().equals("invoice.finalized")
        && e.path("data").path("status").asText().equals("finalized"));

    HttpJson.Response tool = http().post("/v1/tools", tenant.apiKey(), Map.of(
        "name", "guarded", "description", "needs a person", "method", "POST",
        "url", "https://tools.example.test/guarded", "requires_approval", true));
    assertThat(tool.status()).as(tool.body().toString()).isEqualTo(201);
    String toolAgent = TestApp.newAgent(http(), tenant, Map.of("provider", "openai"));
    assertThat(http().post("/v1/agents/" + toolAgent + "/tools/" + tool.text("id"), tenant.apiKey(), Map.of()).status())
        .isEqualTo(200);
    model.enqueueToolCalls(new ScriptedCall("call_facts_1", "guarded", "{}")).enqueueReply("Done.");
    String turnId = chat(tenant, toolAgent, "do it");
    awaitEvent("/factsco", e -> e.path("type").asText().equals("approval.requested")
        && e.path("data").path("call_id").asText().equals("call_facts_1"));
    HttpJson.Response denied = http().post("/v1/turns/" + turnId + "/approvals/call_facts_1", tenant.apiKey(),
        Map.of("decision", "deny", "reason", "not today"));
    assertThat(denied.status()).as(denied.body().toString()).isEqualTo(200);
    WebhookReceiver.Received decided = awaitEvent("/factsco", e -> e.path("type").asText().equals("approval.decided"));
    assertSigned(hook.secret(), decided);
    awaitDeliveries(tenant, "/v1/webhooks/" + hook.id() + "/deliveries", items -> items.size() == 5);
  }

  @Test
  void givenAChannel_whenASignedMessageArrivesTwice_itShouldStartOneTurnAndDeliverTheSignedReply() throws Exception {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "chanco");
    String agentId = TestApp.newAgent(http(), tenant, Map.of());
    HttpJson.Response channel = http().post("/v1/channels", tenant.apiKey(),
        Map.of("name", "support inbox", "agent_id", agentId, "reply_url", receiver.url("/chanco-replies")));
    assertThat(channel.status()).as(channel.body().toString()).isEqualTo(201);
    String channelId = channel.text("id");
    String secret = channel.text("secret");
    assertThat(http().get("/v1/channels/" + channelId, tenant.apiKey()).body().has("secret")).isFalse();
    String body = SignedMessages.message("ticket-42", "Where is my order?");

    HttpJson.Response first = SignedMessages.send(http(), channelId, secret, "msg_first", body);
    HttpJson.Response retry = SignedMessages.send(http(), channelId, secret, "msg_first", body);

    assertThat(first.status()).as(first.body().toString()).isEqualTo(202);
    assertThat(retry.status()).as(retry.body().toString()).isEqualTo(202);
    assertThat(retry.text("turn_id")).isEqualTo(first.text("turn_id"));
    assertThat(retry.text("session_id")).isEqualTo(first.text("session_id"));
    assertThat(database.dsl().fetchCount(dev.saturn.db.jooq.Tables.TURNS,
        dev.saturn.db.jooq.Tables.TURNS.COMPANY_ID.eq(tenant.companyId()))).as("one turn for both deliveries").isEqualTo(1);
    WebhookReceiver.Received reply = awaitEvent("/chanco-replies", e -> e.path("type").asText().equals("message.reply"));
    assertSigned(secret, reply);
    JsonNode data = json(reply).path("data");
    assertThat(data.path("in_reply_to").asText()).isEqualTo("msg_first");
    assertThat(data.path("session_key").asText()).isEqualTo("ticket-42");
    assertThat(data.path("turn_id").asText()).isEqualTo(first.text("turn_id"));
    assertThat(data.path("status").asText()).isEqualTo("completed");
    assertThat(data.path("message").path("content").asText()).isNotBlank();
    awaitDeliveries(tenant, "/v1/channels/" + channelId + "/deliveries",
        items -> items.size() == 1 && items.get(0).path("status").asText().equals("delivered"));

    // The conversation continues in its session; another conversation gets its own.
    HttpJson.Response next = SignedMessages.send(http(), channelId, secret, "msg_second",
        SignedMessages.message("ticket-42", "And the invoice?"));
    HttpJson.Response other = SignedMessages.send(http(), channelId, secret, "msg_third",
        SignedMessages.message("ticket-43", "Hello"));
    assertThat(next.text("session_id")).isEqualTo(first.text("session_id"));
    assertThat(next.text("turn_id")).isNotEqualTo(first.text("turn_id"));
    assertThat(other.text("session_id")).isNotEqualTo(first.text("session_id"));
    // The same webhook-id with another body is not a retry.
    HttpJson.Response conflict = SignedMessages.send(http(), channelId, secret, "msg_first",
        SignedMessages.message("ticket-42", "Something else"));
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.text("code")).isEqualTo("IDEMPOTENCY_CONFLICT");
  }

  @Test
  void givenBadExpiredOrMissingSignatures_whenAMessageArrives_itShouldAnswer401AndStartNothing() {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "forgeco");
    String agentId = TestApp.newAgent(http(), tenant, Map.of());
    HttpJson.Response channel = http().post("/v1/channels", tenant.apiKey(),
        Map.of("name", "inbox", "agent_id", agentId, "reply_url", receiver.url("/forgeco-replies")));
    String channelId = channel.text("id");
    String secret = channel.text("secret");
    String body = SignedMessages.message("c1", "hi");
    long now = Instant.now().getEpochSecond();

    List<HttpJson.Response> refused = List.of(
        SignedMessages.send(http(), channelId, "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]), "m1", body),
        SignedMessages.send(http(), channelId, secret, "m2", now - 600, body),
        SignedMessages.send(http(), channelId, secret, "m3", now + 600, body),
        SignedMessages.send(http(), java.util.UUID.randomUUID().toString(), secret, "m4", body),
        http().send("POST", "/v1/channels/" + channelId + "/messages", null, body, Map.of()),
        http().send("POST", "/v1/channels/" + channelId + "/messages", null, body, Map.of("webhook-id", "m5",
            "webhook-timestamp", Long.toString(now), "webhook-signature",
            SpecVerifier.sign(secret, "m5", Long.toString(now), "{\"session_key\":\"c1\",\"message\":\"bye\"}"
                .getBytes(StandardCharsets.UTF_8)))));

    assertThat(refused).allSatisfy(r -> {
      assertThat(r.status()).as(r.body().toString()).isEqualTo(401);
      assertThat(r.text("code")).isEqualTo("WEBHOOK_SIGNATURE_INVALID");
    });
    assertThat(refused.get(1).text("detail")).contains("webhook-timestamp");
    assertThat(database.dsl().fetchCount(dev.saturn.db.jooq.Tables.TURNS,
        dev.saturn.db.jooq.Tables.TURNS.COMPANY_ID.eq(tenant.companyId()))).isZero();
    assertThat(SignedMessages.send(http(), channelId, secret, "m6", body).status()).isEqualTo(202);
  }

  @Test
  void givenAChannelAtItsPlansTurnRate_whenMoreSignedMessagesArrive_itShouldAnswer429AndForgeriesShouldNotCount() {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "rateco");
    String plan = "plan-" + java.util.UUID.randomUUID();
    database.dsl().execute("INSERT INTO plans (id, name, currency, base_fee_minor, included_tokens, monthly_token_quota,"
        + " tool_call_price_minor, model_prices, rate_limits, created_at) VALUES (?, ?, 'USD', 0, 0, NULL, 0, '{}',"
        + " '{\"chat_turns_per_minute\": 2}', NOW(6))", plan, plan);
    database.dsl().execute("UPDATE companies SET plan_id = ? WHERE id = ?", plan, tenant.companyId());
    String agentId = TestApp.newAgent(http(), tenant, Map.of());
    HttpJson.Response channel = http().post("/v1/channels", tenant.apiKey(),
        Map.of("name", "inbox", "agent_id", agentId, "reply_url", receiver.url("/rateco-replies")));
    String channelId = channel.text("id");
    String forged = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);

    for (int i = 0; i < 3; i++) {
      assertThat(SignedMessages.send(http(), channelId, forged, "forged-" + i, SignedMessages.message("c", "hi")).status())
          .isEqualTo(401);
    }
    List<Integer> statuses = new java.util.ArrayList<>();
    HttpJson.Response last = null;
    for (int i = 0; i < 3; i++) {
      last = SignedMessages.send(http(), channelId, channel.text("secret"), "real-" + i, SignedMessages.message("c", "hi " + i));
      statuses.add(last.status());
    }

    assertThat(statuses).containsExactly(202, 202, 429);
    assertThat(last.text("code")).isEqualTo("RATE_LIMITED");
    assertThat(last.header("Retry-After")).isNotBlank();
    assertThat(last.text("detail")).contains("channel");
  }
}
