package dev.saturn.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.saturn.activities.llm.testing.OpenAiStandIn;
import dev.saturn.activities.llm.testing.OpenAiStandIn.ScriptedCall;
import dev.saturn.app.SaturnApplication;
import dev.saturn.app.e2e.TestApp.Tenant;
import dev.saturn.common.mcp.testing.McpStandIn;
import dev.saturn.common.mcp.testing.PythonMcpServer;
import dev.saturn.db.testing.TestDatabase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * MCP servers as tool sources over real HTTP: the application (Temporal's Java server, a real
 * MariaDB), an OpenAI-format stand-in scripted to call tools, and real MCP servers run by the
 * official Python SDK ({@code mcp/tool_server.py}), which demand a bearer token that SATURN keeps
 * as a sealed header. The operator allowlist (SATURN_OUTBOUND_ALLOWED_HOSTS) opens exactly their
 * two ports. Skipped without Python and the SDK, unless SATURN_REQUIRE_MCP=1.
 */
@Import(GuardEverySql.class)
@SpringBootTest(classes = SaturnApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class McpToolsEndToEndTest {

  static final String ADMIN = "e2e-mcp-operator-token";
  static final String TOKEN = "planted-mcp-token-7731";

  static TestDatabase database;
  static OpenAiStandIn model;
  /** The server most tests use. */
  static PythonMcpServer mcp;
  /** A server of its own for the refresh test, whose tools change. */
  static PythonMcpServer evolving;

  @LocalServerPort int port;

  @BeforeAll
  static void startServers() {
    mcp = PythonMcpServer.start(TOKEN);
    evolving = PythonMcpServer.start(TOKEN);
    database = TestDatabase.create();
    model = OpenAiStandIn.start().withUsage(11, 2);
  }

  @AfterAll
  static void stopServers() {
    if (model != null) {
      model.close();
    }
    if (database != null) {
      database.close();
    }
    if (evolving != null) {
      evolving.close();
    }
    if (mcp != null) {
      mcp.close();
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    TestApp.embeddedDefaults(registry, () -> database.jdbcUrl(), "e2e-mcp-data", ADMIN);
    registry.add("saturn.llm.openai.base-url", () -> model.baseUrl());
    registry.add("saturn.outbound.allowed-hosts", () -> "127.0.0.1:" + mcp.port() + ",127.0.0.1:" + evolving.port());
  }

  HttpJson http() {
    return new HttpJson("http://127.0.0.1:" + port);
  }

  HttpJson.Response register(Tenant tenant, String name, PythonMcpServer server, String token) {
    return http().post("/v1/mcp-servers", tenant.apiKey(), Map.of(
        "name", name, "url", server.url(),
        "headers", Map.of("Authorization", Map.of("secret", "Bearer " + token), "X-Client", "saturn-e2e")));
  }

  /** Tool ids of a registered server's answer, by SATURN tool name. */
  static Map<String, String> toolIds(HttpJson.Response server) {
    Map<String, String> ids = new HashMap<>();
    server.body().path("tools").forEach(tool -> ids.put(tool.path("name").asText(), tool.path("id").asText()));
    return ids;
  }

  String agentWith(Tenant tenant, String... toolIds) {
    String agentId = TestApp.newAgent(http(), tenant, Map.of("provider", "openai", "max_tool_calls", 5));
    for (String toolId : toolIds) {
      HttpJson.Response attach = http().post("/v1/agents/" + agentId + "/tools/" + toolId, tenant.apiKey(), Map.of());
      assertThat(attach.status()).as("attach: %s", attach.body()).isEqualTo(200);
    }
    return agentId;
  }

  @Test
  void givenAnMcpServer_whenRegistered_itShouldListItsToolsAsToolsOfKindMcpWithTheSecretSealed() {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "mcpreg");

    HttpJson.Response created = register(tenant, "dict", mcp, TOKEN);

    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    assertThat(created.body().path("headers").path("Authorization").toString()).isEqualTo("{\"secret\":true}");
    assertThat(created.body().path("headers").path("X-Client").asText()).isEqualTo("saturn-e2e");
    assertThat(created.body().path("server").path("name").asText()).isEqualTo("saturn-test-tools");
    assertThat(created.body().path("listing").path("added").size()).isEqualTo(9);
    Map<String, JsonNode> tools = new HashMap<>();
    created.body().path("tools").forEach(tool -> tools.put(tool.path("name").asText(), tool));
    assertThat(tools).containsKeys("dict_echo", "dict_add", "dict_price", "dict_whoami", "dict_lookup");
    JsonNode add = tools.get("dict_add");
    assertThat(add.path("kind").asText()).isEqualTo("mcp");
    assertThat(add.path("mcp_tool_name").asText()).isEqualTo("add");
    assertThat(add.path("mcp_server_id").asText()).isEqualTo(created.text("id"));
    assertThat(add.path("version").asInt()).isEqualTo(1);
    assertThat(add.path("status").asText()).isEqualTo("active");
    assertThat(add.path("parameters").path("required").toString()).isEqualTo("[\"a\",\"b\"]");
    assertThat(add.has("method")).isFalse();
    assertThat(add.path("idempotent").asBoolean()).isFalse();
    assertThat(tools.get("dict_price").path("idempotent").asBoolean()).as("readOnly and idempotent hints").isTrue();

    JsonNode listed = http().get("/v1/tools?limit=200", tenant.apiKey()).body().path("items");
    assertThat(listed.findValuesAsText("kind")).containsOnly("mcp").hasSize(9);
    assertThat(http().get("/v1/mcp-servers", tenant.apiKey()).body().path("items").findValuesAsText("name"))
        .contains("dict");
    assertThat(http().get("/v1/mcp-servers/" + created.text("id"), tenant.apiKey()).body().path("tools").size()).isEqualTo(9);
    assertThat(stored("SELECT CAST(headers AS CHAR) FROM mcp_servers")).doesNotContain(TOKEN);
    assertThat(stored("SELECT CAST(diff AS CHAR) FROM audit_logs WHERE action = 'mcp_server.create'"))
        .contains("dict_add").doesNotContain(TOKEN);

    // The wrong token: the server answers 401, nothing is stored.
    HttpJson.Response refused = register(tenant, "dict2", mcp, "wrong-token");
    assertThat(refused.status()).as(refused.body().toString()).isEqualTo(502);
    assertThat(refused.text("code")).isEqualTo("MCP_SERVER_UNAVAILABLE");
    assertThat(refused.text("detail")).contains("HTTP 401").doesNotContain("wrong-token");
    // The same name again: a conflict.
    assertThat(register(tenant, "dict", mcp, TOKEN).status()).isEqualTo(409);
  }

  @Test
  void givenAnAgentWithMcpTools_whenTheModelCallsThem_itShouldRunThemFeedResultsBackAndMeterOnce(CapturedOutput output) {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "mcpchat");
    Map<String, String> ids = toolIds(register(tenant, "dict", mcp, TOKEN));
    String agentId = agentWith(tenant, ids.get("dict_add"), ids.get("dict_whoami"), ids.get("dict_fail"));
    model.enqueueToolCalls(
            new ScriptedCall("call_add_1", "dict_add", "{\"a\": 2, \"b\": 3}"),
            new ScriptedCall("call_who_1", "dict_whoami", "{}"),
            new ScriptedCall("call_fail_1", "dict_fail", "{\"reason\": \"the index is rebuilding\"}"))
        .enqueueReply("Five.");

    HttpJson.Response reply = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(), Map.of("message", "2+3?"));

    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    assertThat(reply.body().path("message").path("content").asText()).isEqualTo("Five.");
    Map<String, String> results = model.lastRequest().toolResults();
    assertThat(results.get("call_add_1")).contains("5");
    // The server echoes the sealed Authorization header: redacted before anything stores or shows it.
    assertThat(results.get("call_who_1")).contains("authorization").doesNotContain(TOKEN);
    assertThat(results.get("call_fail_1")).contains("TOOL_EXECUTION_FAILED").contains("the index is rebuilding");
    JsonNode messages = http().get("/v1/sessions/" + reply.text("session_id") + "/messages", tenant.apiKey()).body().path("items");
    assertThat(messages.findValuesAsText("role")).containsExactly("user", "assistant", "tool", "tool", "tool", "assistant");
    // Each call answered by the server is billed and audited once.
    assertThat(count("SELECT COUNT(*) FROM usage_events WHERE company_id = ? AND kind = 'tool_call'", tenant.companyId())).isEqualTo(3);
    assertThat(count("SELECT COUNT(*) FROM audit_logs WHERE company_id = ? AND action = 'tool.execute'", tenant.companyId())).isEqualTo(3);
    for (String query : List.of("SELECT CAST(diff AS CHAR) FROM audit_logs", "SELECT data FROM turn_events",
        "SELECT CONCAT_WS('|', content, CAST(tool_calls AS CHAR)) FROM messages")) {
      assertThat(stored(query)).as(query).doesNotContain(TOKEN);
    }
    assertThat(output.getAll()).doesNotContain(TOKEN);
  }

  @Test
  void givenAnMcpToolThatRequiresApproval_whenTheModelCallsIt_itShouldWaitThenRunItOnce() {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "mcpapprove");
    Map<String, String> ids = toolIds(register(tenant, "dict", mcp, TOKEN));
    String count = ids.get("dict_count");
    HttpJson.Response patched = http().send("PATCH", "/v1/tools/" + count, tenant.apiKey(),
        Map.of("requires_approval", true, "approval_timeout", "PT1H"), Map.of());
    assertThat(patched.status()).as(patched.body().toString()).isEqualTo(200);
    assertThat(patched.body().path("requires_approval").asBoolean()).isTrue();
    HttpJson.Response schemaChange = http().send("PATCH", "/v1/tools/" + count, tenant.apiKey(),
        Map.of("parameters", Map.of("type", "object")), Map.of());
    assertThat(schemaChange.status()).isEqualTo(400);
    assertThat(schemaChange.body().path("field_errors").path(0).path("field").asText()).isEqualTo("parameters");
    String agentId = agentWith(tenant, count);
    model.enqueueToolCalls(new ScriptedCall("call_count_1", "dict_count", "{}")).enqueueReply("Counted.");

    HttpJson.Response accepted = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(), Map.of("message", "count"));

    assertThat(accepted.status()).as(accepted.body().toString()).isEqualTo(202);
    assertThat(accepted.text("status")).isEqualTo("awaiting_approval");
    assertThat(accepted.body().path("pending_approvals").path(0).path("tool").asText()).isEqualTo("dict_count");
    String turnId = accepted.text("turn_id");
    HttpJson.Response approved = http().post("/v1/turns/" + turnId + "/approvals/call_count_1", tenant.apiKey(),
        Map.of("decision", "approve"));
    assertThat(approved.status()).as(approved.body().toString()).isEqualTo(200);
    JsonNode done = awaitTurn(tenant, turnId);
    assertThat(done.path("status").asText()).isEqualTo("completed");
    assertThat(model.lastRequest().toolResults().get("call_count_1")).contains("called 1 times");
    assertThat(count("SELECT COUNT(*) FROM usage_events WHERE company_id = ? AND kind = 'tool_call'", tenant.companyId())).isEqualTo(1);
  }

  @Test
  void givenARefreshAfterTheServerChangedASchema_whenChatting_itShouldKeepThePinnedSchemaForOldAgentVersions() {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "mcprefresh");
    HttpJson.Response created = register(tenant, "words", evolving, TOKEN);
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    Map<String, String> ids = toolIds(created);
    String lookup = ids.get("words_lookup");
    String agentId = agentWith(tenant, lookup, ids.get("words_retired"));

    evolving.evolve();
    HttpJson.Response refreshed = http().post("/v1/mcp-servers/" + created.text("id") + "/refresh", tenant.apiKey(), Map.of());

    assertThat(refreshed.status()).as(refreshed.body().toString()).isEqualTo(200);
    assertThat(refreshed.body().path("listing").path("changed").toString()).isEqualTo("[\"words_lookup\"]");
    assertThat(refreshed.body().path("listing").path("unavailable").toString()).isEqualTo("[\"words_retired\"]");
    JsonNode tool = http().get("/v1/tools/" + lookup, tenant.apiKey()).body();
    assertThat(tool.path("version").asInt()).isEqualTo(2);
    assertThat(tool.path("parameters").path("required").toString()).isEqualTo("[\"word\",\"language\"]");
    assertThat(http().get("/v1/tools/" + ids.get("words_retired"), tenant.apiKey()).body().path("status").asText())
        .isEqualTo("unavailable");
    assertThat(count("SELECT COUNT(*) FROM audit_logs WHERE company_id = ? AND action = 'mcp_server.refresh'", tenant.companyId()))
        .isEqualTo(1);

    // The agent's current version pinned v1: the model sees v1's schema, and v1's arguments pass SATURN's check
    // (the server, already at v2, then refuses them: its error is the result). The retired tool is not offered.
    model.enqueueToolCalls(new ScriptedCall("call_old_1", "words_lookup", "{\"word\": \"tree\"}"),
            new ScriptedCall("call_gone_1", "words_retired", "{}"))
        .enqueueReply("Old schema.");
    HttpJson.Response old = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(), Map.of("message", "tree?"));
    assertThat(old.status()).as(old.body().toString()).isEqualTo(200);
    assertThat(requiredOf(model.requests().get(model.requests().size() - 2).body(), "words_lookup")).isEqualTo("[\"word\"]");
    assertThat(model.lastRequest().toolNames()).containsExactly("words_lookup");
    Map<String, String> results = model.lastRequest().toolResults();
    assertThat(results.get("call_old_1")).doesNotContain("TOOL_SCHEMA_INVALID").contains("TOOL_EXECUTION_FAILED");
    assertThat(results.get("call_gone_1")).contains("TOOL_NOT_ALLOWED");

    // A new agent version pins v2: its schema is shown and checked.
    HttpJson.Response renamed = http().send("PATCH", "/v1/agents/" + agentId, tenant.apiKey(), Map.of("name", "renamed"), Map.of());
    assertThat(renamed.status()).as(renamed.body().toString()).isEqualTo(200);
    model.enqueueToolCalls(new ScriptedCall("call_new_1", "words_lookup", "{\"word\": \"tree\"}"),
            new ScriptedCall("call_new_2", "words_lookup", "{\"word\": \"tree\", \"language\": \"en\"}"))
        .enqueueReply("New schema.");
    HttpJson.Response fresh = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(), Map.of("message", "tree?"));
    assertThat(fresh.status()).as(fresh.body().toString()).isEqualTo(200);
    assertThat(requiredOf(model.requests().get(model.requests().size() - 2).body(), "words_lookup"))
        .isEqualTo("[\"word\",\"language\"]");
    assertThat(model.lastRequest().toolResults().get("call_new_1")).contains("TOOL_SCHEMA_INVALID");
    assertThat(model.lastRequest().toolResults().get("call_new_2")).contains("tree (en): a word");
  }

  @Test
  void givenAnMcpServerOnATargetTheGuardRefuses_whenRegistered_itShouldBeRefusedWithoutAConnection() {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "mcpssrf");
    try (McpStandIn notAllowlisted = McpStandIn.start()) {
      HttpJson.Response loopback = http().post("/v1/mcp-servers", tenant.apiKey(),
          Map.of("name", "local", "url", notAllowlisted.url()));
      HttpJson.Response byName = http().post("/v1/mcp-servers", tenant.apiKey(),
          Map.of("name", "local", "url", "http://localhost:" + notAllowlisted.port() + "/mcp"));
      HttpJson.Response privateNetwork = http().post("/v1/mcp-servers", tenant.apiKey(),
          Map.of("name", "private", "url", "http://10.20.30.40/mcp"));

      for (HttpJson.Response refused : List.of(loopback, byName, privateNetwork)) {
        assertThat(refused.status()).as(refused.body().toString()).isEqualTo(400);
        assertThat(refused.text("code")).isEqualTo("VALIDATION_FAILED");
        assertThat(refused.body().path("field_errors").path(0).path("field").asText()).isEqualTo("url");
        assertThat(refused.body().path("field_errors").path(0).path("message").asText()).contains("is refused");
      }
      assertThat(notAllowlisted.requests()).isZero();
      assertThat(http().get("/v1/mcp-servers", tenant.apiKey()).body().path("items")).isEmpty();
    }
  }

  @Test
  void givenAnotherCompanysServer_whenReadOrChanged_itShouldBeMissingAndDeletingKeepsOnlyAttachedTools() {
    Tenant owner = TestApp.newCompany(http(), ADMIN, "mcpowner");
    Tenant other = TestApp.newCompany(http(), ADMIN, "mcpother");
    HttpJson.Response created = register(owner, "dict", mcp, TOKEN);
    String serverId = created.text("id");
    Map<String, String> ids = toolIds(created);

    assertThat(http().get("/v1/mcp-servers/" + serverId, other.apiKey()).status()).isEqualTo(404);
    assertThat(http().post("/v1/mcp-servers/" + serverId + "/refresh", other.apiKey(), Map.of()).status()).isEqualTo(404);
    assertThat(http().send("DELETE", "/v1/mcp-servers/" + serverId, other.apiKey(), null, Map.of()).status()).isEqualTo(404);
    assertThat(http().get("/v1/tools/" + ids.get("dict_add"), other.apiKey()).status()).isEqualTo(404);
    assertThat(http().get("/v1/tools", other.apiKey()).body().path("items")).isEmpty();

    String agentId = agentWith(owner, ids.get("dict_add"));
    HttpJson.Response deleted = http().send("DELETE", "/v1/mcp-servers/" + serverId, owner.apiKey(), null, Map.of());
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(http().get("/v1/mcp-servers/" + serverId, owner.apiKey()).status()).isEqualTo(404);
    List<String> left = new ArrayList<>();
    http().get("/v1/tools", owner.apiKey()).body().path("items").forEach(t -> left.add(t.path("name").asText() + ":" + t.path("status").asText()));
    assertThat(left).containsExactly("dict_add:unavailable");
    model.enqueueToolCalls(new ScriptedCall("call_deleted_1", "dict_add", "{\"a\": 1, \"b\": 1}")).enqueueReply("Gone.");
    HttpJson.Response reply = http().post("/v1/agents/" + agentId + "/chat", owner.apiKey(), Map.of("message", "1+1?"));
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    assertThat(model.lastRequest().toolResults().get("call_deleted_1")).contains("TOOL_NOT_ALLOWED");
  }

  static String requiredOf(JsonNode openAiRequest, String toolName) {
    for (JsonNode tool : openAiRequest.path("tools")) {
      if (tool.path("function").path("name").asText().equals(toolName)) {
        return tool.path("function").path("parameters").path("required").toString();
      }
    }
    return null;
  }

  JsonNode awaitTurn(Tenant tenant, String turnId) {
    return TestApp.awaitTurn(http(), tenant, turnId);
  }

  /** Whole tables, every tenant: plain jOOQ without the tenant guard, which would refuse that. */
  static String stored(String query) {
    // Each value whole (a Result's toString cuts long values short).
    return DSL.using(database.dataSource(), SQLDialect.MARIADB).fetch(query).stream()
        .map(row -> String.valueOf(row.get(0))).collect(java.util.stream.Collectors.joining("\n"));
  }

  static long count(String query, String companyId) {
    return DSL.using(database.dataSource(), SQLDialect.MARIADB).fetchOne(query, companyId).get(0, Long.class);
  }
}
