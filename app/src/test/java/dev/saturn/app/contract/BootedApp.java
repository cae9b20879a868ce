package dev.saturn.app.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.activities.llm.testing.OpenAiStandIn;
import dev.saturn.app.SaturnApplication;
import dev.saturn.app.e2e.HttpJson;
import dev.saturn.app.e2e.SignedMessages;
import dev.saturn.app.e2e.TestApp;
import dev.saturn.common.mcp.testing.McpStandIn;
import dev.saturn.db.testing.TenantGuard;
import dev.saturn.db.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import org.jooq.ExecuteListenerProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The whole application on a real port (offline model, embedded Temporal, a real MariaDB, every
 * SQL statement through the tenant guard), shared by the contract suites: they declare nothing of
 * their own, so Spring boots it once for all of them.
 */
@SpringBootTest(classes = SaturnApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(BootedApp.GuardEverySql.class)
abstract class BootedApp {

  static final String ADMIN = "contract-operator-token";

  /** saturn.mcp.result-wait here: long enough for the offline model, short enough to test the deadline. */
  static final int MCP_RESULT_WAIT_SECONDS = 8;

  @LocalServerPort int port;

  @Autowired HandlerProbe probe;

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  @TestConfiguration
  static class GuardEverySql {
    @Bean
    ExecuteListenerProvider tenantGuard() {
      return TenantGuard.provider();
    }

    @Bean
    HandlerProbe handlerProbe() {
      return new HandlerProbe();
    }
  }

  /** One database for the JVM: the context that uses it is cached across the suites. */
  private static final class Database {
    static final TestDatabase INSTANCE = start();

    private static TestDatabase start() {
      TestDatabase database = TestDatabase.create();
      Runtime.getRuntime().addShutdownHook(new Thread(database::close));
      return database;
    }
  }

  /** One OpenAI-format stand-in for the JVM: it scripts the tool call each fixture's approval waits on. */
  private static final class Model {
    static final OpenAiStandIn INSTANCE = start();

    private static OpenAiStandIn start() {
      OpenAiStandIn model = OpenAiStandIn.start();
      Runtime.getRuntime().addShutdownHook(new Thread(model::close));
      return model;
    }
  }

  /** One MCP server for the JVM (an in-process stand-in): each fixture registers it, so its id is there to name. */
  private static final class Mcp {
    static final McpStandIn INSTANCE = start();

    private static McpStandIn start() {
      McpStandIn server = McpStandIn.start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      return server;
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    TestApp.embeddedDefaults(registry, () -> Database.INSTANCE.jdbcUrl(), "contract-data", ADMIN);
    registry.add("saturn.llm.openai.base-url", () -> Model.INSTANCE.baseUrl());
    registry.add("saturn.outbound.allowed-hosts", () -> "127.0.0.1:" + Mcp.INSTANCE.port());
    // A plan change (putOnPlan) applies to the next request.
    registry.add("saturn.rate-limit.plan-cache-ttl", () -> "0s");
    registry.add("saturn.mcp.result-wait", () -> MCP_RESULT_WAIT_SECONDS + "s");
  }

  static OpenAiStandIn model() {
    return Model.INSTANCE;
  }

  /** Moves the fixture's company to a new plan with these {@code rate_limits}. */
  static void putOnPlan(Fixture tenant, String rateLimitsJson) {
    putOnPlan(tenant.companyId(), rateLimitsJson, null);
  }

  /** Moves a company to a new plan with these {@code rate_limits} and monthly token quota (null: none). */
  static void putOnPlan(String companyId, String rateLimitsJson, Long monthlyTokenQuota) {
    String plan = "plan-" + java.util.UUID.randomUUID();
    org.jooq.DSLContext sql = sql();
    sql.execute(
        "INSERT INTO plans (id, name, currency, base_fee_minor, included_tokens, monthly_token_quota, tool_call_price_minor,"
            + " model_prices, rate_limits, created_at) VALUES (?, ?, 'USD', 0, 0, ?, 0, '{}', ?, NOW(6))",
        plan, plan, monthlyTokenQuota, rateLimitsJson);
    sql.execute("UPDATE companies SET plan_id = ? WHERE id = ?", plan, companyId);
  }

  /** The shared database, without the tenant guard (tests count rows across what they made). */
  static org.jooq.DSLContext sql() {
    return Database.INSTANCE.dsl();
  }

  HttpJson http() {
    return new HttpJson(baseUrl());
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  Endpoints endpoints() {
    return Endpoints.of(mappings);
  }

  /** A company built through the API, with one of each thing the id registry can name. */
  Fixture newFixture(String name) {
    HttpJson.Response company = http().post("/v1/companies", ADMIN,
        Map.of("name", name, "owner", Map.of("email", "owner@" + name + ".test")));
    assertThat(company.status()).as("create company %s: %s", name, company.body()).isEqualTo(201);
    String key = company.text("api_key");
    // Before the first turn, so that its turn.completed event has a delivery (to a host that never answers).
    HttpJson.Response webhook = http().post("/v1/webhooks", key, Map.of(
        "url", "https://hooks.example.test/" + name, "events", List.of("turn.completed"), "description", name));
    assertThat(webhook.status()).as("create webhook: %s", webhook.body()).isEqualTo(201);
    HttpJson.Response agent = http().post("/v1/agents", key, Map.of("name", name + " bot", "config", Map.of()));
    assertThat(agent.status()).as("create agent: %s", agent.body()).isEqualTo(201);
    HttpJson.Response turn = http().post("/v1/agents/" + agent.text("id") + "/chat", key, Map.of("message", "hello"));
    assertThat(turn.status()).as("chat: %s", turn.body()).isIn(200, 202);
    HttpJson.Response channel = http().post("/v1/channels", key, Map.of(
        "name", name + " inbox", "agent_id", agent.text("id"), "reply_url", "https://replies.example.test/" + name));
    assertThat(channel.status()).as("create channel: %s", channel.body()).isEqualTo(201);
    HttpJson.Response inbound = SignedMessages.send(http(), channel.text("id"), channel.text("secret"), "msg-" + name,
        SignedMessages.message("conversation-1", "hello from outside"));
    assertThat(inbound.status()).as("channel message: %s", inbound.body()).isEqualTo(202);
    HttpJson.Response tool = http().post("/v1/tools", key, Map.of(
        "name", "lookup", "description", "looks things up", "method", "GET",
        "url", "https://tools.example.test/lookup?q={q}",
        "parameters", Map.of("type", "object", "properties", Map.of("q", Map.of("type", "string")))));
    assertThat(tool.status()).as("create tool: %s", tool.body()).isEqualTo(201);
    HttpJson.Response attach = http().post("/v1/agents/" + agent.text("id") + "/tools/" + tool.text("id"), key, Map.of());
    assertThat(attach.status()).as("attach tool: %s", attach.body()).isEqualTo(200);
    HttpJson.Response apiKey = http().post("/v1/api-keys", key, Map.of("name", name + " chat key", "scopes", List.of("chat")));
    assertThat(apiKey.status()).as("create key: %s", apiKey.body()).isEqualTo(201);
    HttpJson.Response invoice = http().post("/v1/invoices/generate", key,
        Map.of("period", java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString()));
    assertThat(invoice.status()).as("generate invoice: %s", invoice.body()).isEqualTo(200);
    HttpJson.Response document = http().upload("/v1/agents/" + agent.text("id") + "/kb/documents", key, "notes.txt",
        "text/plain", ("Notes of " + name + ": the quarterly report is due on Friday.").getBytes(java.nio.charset.StandardCharsets.UTF_8),
        Map.of(), Map.of());
    assertThat(document.status()).as("upload document: %s", document.body()).isEqualTo(202);
    // Ollama settings only: the fixture's turns use the server's openai stand-in and must stay there.
    String providerKey = "ollama-key-" + name.replaceAll("[^A-Za-z0-9]", "");
    HttpJson.Response provider = http().send("PUT", "/v1/providers/ollama", key, Map.of(
        "base_url", "https://ollama." + name.replaceAll("[^A-Za-z0-9]", "") + ".test", "api_key", providerKey,
        "default_model", "llama3.1"), Map.of());
    assertThat(provider.status()).as("set provider: %s", provider.body()).isEqualTo(200);
    HttpJson.Response audit = http().get("/v1/audit-logs?limit=1", key);
    assertThat(audit.status()).as("audit log: %s", audit.body()).isEqualTo(200);
    // A turn that waits for a person: its model (the stand-in) asks for a tool that requires approval.
    HttpJson.Response guarded = http().post("/v1/tools", key, Map.of(
        "name", "guarded", "description", "needs a person", "method", "POST", "url", "https://tools.example.test/guarded",
        "requires_approval", true));
    assertThat(guarded.status()).as("create tool: %s", guarded.body()).isEqualTo(201);
    HttpJson.Response toolAgent = http().post("/v1/agents", key, Map.of("name", name + " tool bot", "config", Map.of("provider", "openai")));
    assertThat(toolAgent.status()).as("create agent: %s", toolAgent.body()).isEqualTo(201);
    assertThat(http().post("/v1/agents/" + toolAgent.text("id") + "/tools/" + guarded.text("id"), key, Map.of()).status()).isEqualTo(200);
    String callId = "call_" + name.replaceAll("[^A-Za-z0-9]", "");
    Model.INSTANCE.enqueueToolCalls(new OpenAiStandIn.ScriptedCall(callId, "guarded", "{}"));
    HttpJson.Response waiting = http().post("/v1/agents/" + toolAgent.text("id") + "/chat", key, Map.of("message", "do it"));
    assertThat(waiting.text("status")).as("turn awaiting approval: %s", waiting.body()).isEqualTo("awaiting_approval");
    HttpJson.Response mcpServer = http().post("/v1/mcp-servers", key, Map.of("name", "stand-in", "url", Mcp.INSTANCE.url()));
    assertThat(mcpServer.status()).as("register MCP server: %s", mcpServer.body()).isEqualTo(201);
    String deliveryId = firstDelivery(key, "/v1/webhooks/" + webhook.text("id") + "/deliveries");
    firstDelivery(key, "/v1/channels/" + channel.text("id") + "/deliveries");
    return new Fixture(
        name,
        key,
        company.body().path("company").path("id").asText(),
        company.body().path("owner").path("id").asText(),
        agent.text("id"),
        turn.text("session_id"),
        turn.text("turn_id"),
        turn.body().path("message").path("id").asText(null),
        tool.text("id"),
        apiKey.body().path("key").path("id").asText(),
        audit.body().path("items").path(0).path("id").asText(),
        waiting.text("turn_id"),
        callId,
        invoice.body().path("invoice").path("id").asText(),
        document.text("id"),
        mcpServer.text("id"),
        webhook.text("id"),
        webhook.text("secret"),
        deliveryId,
        channel.text("id"),
        channel.text("secret"),
        providerKey);
  }

  /** The id of the first delivery the list shows, once the event's fan-out (started after its commit) made it. */
  private String firstDelivery(String key, String path) {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (true) {
      HttpJson.Response list = http().get(path, key);
      assertThat(list.status()).as("deliveries: %s", list.body()).isEqualTo(200);
      if (!list.body().path("items").isEmpty()) {
        return list.body().path("items").path(0).path("id").asText();
      }
      assertThat(System.nanoTime()).as("a delivery listed at %s within 30 s", path).isLessThan(deadline);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

}
