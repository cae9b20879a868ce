package dev.saturn.app.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.saturn.activities.llm.PromptMessage;
import dev.saturn.activities.llm.testing.OpenAiStandIn;
import dev.saturn.app.e2e.HttpJson;
import dev.saturn.app.e2e.TestApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The MCP server at {@code /mcp} over the wire, as an MCP client speaks it: the handshake, both
 * tools, what a turn that waits or fails or outlasts {@code saturn.mcp.result-wait} answers, retries
 * of the same JSON-RPC request, tenant isolation of agents, sessions and MCP sessions, access
 * rules and bad input. (The official Python client is {@code McpPythonClientIT}'s.)
 */
class McpServerTest extends BootedApp {

  static final Duration RESULT_WAIT = Duration.ofSeconds(MCP_RESULT_WAIT_SECONDS);

  McpWire mcp() {
    return new McpWire(baseUrl());
  }

  @AfterEach
  void releaseTheModel() {
    model().release();
  }

  TestApp.Tenant newCompany(String name) {
    return TestApp.newCompany(http(), ADMIN, name + "-" + System.nanoTime());
  }

  String newAgent(TestApp.Tenant tenant, String name, Map<String, Object> config) {
    HttpJson.Response agent = http().post("/v1/agents", tenant.apiKey(), Map.of("name", name, "config", config));
    assertThat(agent.status()).as(agent.body().toString()).isEqualTo(201);
    return agent.text("id");
  }

  static long turnsOf(String companyId) {
    return sql().fetchOne("SELECT COUNT(*) FROM turns WHERE company_id = ?", companyId).get(0, Long.class);
  }

  @Test
  void givenACompanyKey_whenItListsAgentsAndChatsTwiceInOneSession_itShouldAnswerWithTheTurnAndKeepTheHistory() {
    TestApp.Tenant acme = newCompany("mcp-acme");
    String agentId = newAgent(acme, "helper", Map.of("provider", "openai", "system_prompt", "You   help\nwith orders."));
    String disabled = newAgent(acme, "retired", Map.of());
    assertThat(http().post("/v1/agents/" + disabled + "/disable", acme.apiKey(), Map.of()).status()).isEqualTo(200);
    McpWire mcp = mcp();
    String session = mcp.initialize(acme.apiKey());

    McpWire.Exchange tools = mcp.send(acme.apiKey(), session, McpWire.request(1, "tools/list", Map.of()));
    List<String> toolNames = new ArrayList<>();
    tools.message().path("result").path("tools").forEach(tool -> toolNames.add(tool.path("name").asText()));
    assertThat(toolNames).containsExactly("list_agents", "chat_with_agent");
    JsonNode chatTool = tools.message().path("result").path("tools").path(1);
    assertThat(chatTool.path("inputSchema").path("required").toString()).isEqualTo("[\"agent_id\",\"message\"]");
    assertThat(chatTool.path("outputSchema").path("required").toString()).contains("session_id", "turn_id");

    McpWire.Exchange agents = mcp.callTool(acme.apiKey(), session, 2, "list_agents", Map.of());
    assertThat(agents.isToolError()).as(agents.body()).isFalse();
    assertThat(agents.structured().path("agents").findValuesAsText("id")).containsExactly(agentId);
    assertThat(agents.structured().path("agents").path(0).path("description").asText()).isEqualTo("You help with orders.");

    model().enqueueReply("Your order ships Monday.").enqueueReply("It was order 42.");
    McpWire.Exchange first = mcp.callTool(acme.apiKey(), session, 3, "chat_with_agent",
        Map.of("agent_id", agentId, "message", "When does order 42 ship?"));
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.isToolError()).as(first.body()).isFalse();
    assertThat(first.text()).isEqualTo("Your order ships Monday.");
    JsonNode answer = first.structured();
    assertThat(answer.path("status").asText()).isEqualTo("completed");
    assertThat(answer.path("answer").asText()).isEqualTo("Your order ships Monday.");
    assertThat(answer.path("agent_id").asText()).isEqualTo(agentId);
    String sessionId = answer.path("session_id").asText();
    String turnId = answer.path("turn_id").asText();
    // The structured content also travels as text, for clients that read text only.
    assertThat(first.result().path("content").path(1).path("text").asText()).contains(turnId, sessionId);

    McpWire.Exchange second = mcp.callTool(acme.apiKey(), session, 4, "chat_with_agent",
        Map.of("agent_id", agentId, "message", "Which order was that?", "session_id", sessionId));
    assertThat(second.structured().path("session_id").asText()).isEqualTo(sessionId);
    assertThat(second.text()).isEqualTo("It was order 42.");
    assertThat(model().lastRequest().messages()).containsExactly(
        new PromptMessage("system", "You   help\nwith orders."),
        new PromptMessage("user", "When does order 42 ship?"),
        new PromptMessage("assistant", "Your order ships Monday."),
        new PromptMessage("user", "Which order was that?"));

    HttpJson.Response turn = http().get("/v1/turns/" + turnId, acme.apiKey());
    assertThat(turn.text("status")).isEqualTo("completed");
    assertThat(turn.text("session_id")).isEqualTo(sessionId);
    assertThat(http().get("/v1/sessions/" + sessionId + "/messages", acme.apiKey()).body().path("items").size()).isEqualTo(4);

    McpWire.Exchange closed = mcp.send("DELETE", acme.apiKey(), session, null);
    assertThat(closed.status()).isEqualTo(200);
    McpWire.Exchange afterClose = mcp.callTool(acme.apiKey(), session, 5, "list_agents", Map.of());
    assertThat(afterClose.status()).as("a closed session").isEqualTo(404);
  }

  @Test
  void givenTheSameJsonRpcRequestSentAgainInTheSameSession_whenCalled_itShouldAttachToTheSameTurn() {
    TestApp.Tenant tenant = newCompany("mcp-retry");
    String agentId = newAgent(tenant, "echo", Map.of());
    McpWire mcp = mcp();
    String session = mcp.initialize(tenant.apiKey());
    Map<String, Object> hello = Map.of("agent_id", agentId, "message", "hello");

    McpWire.Exchange first = mcp.callTool(tenant.apiKey(), session, "req-7", "chat_with_agent", hello);
    McpWire.Exchange retried = mcp.callTool(tenant.apiKey(), session, "req-7", "chat_with_agent", hello);
    McpWire.Exchange numericId = mcp.callTool(tenant.apiKey(), session, 7, "chat_with_agent", hello);
    String otherSession = mcp.initialize(tenant.apiKey());
    McpWire.Exchange sameIdOtherSession = mcp.callTool(tenant.apiKey(), otherSession, "req-7", "chat_with_agent", hello);
    McpWire.Exchange sameIdOtherMessage = mcp.callTool(tenant.apiKey(), session, "req-7", "chat_with_agent",
        Map.of("agent_id", agentId, "message", "something else"));

    String turnId = first.structured().path("turn_id").asText();
    assertThat(first.structured().path("status").asText()).isEqualTo("completed");
    assertThat(retried.structured().path("turn_id").asText()).isEqualTo(turnId);
    assertThat(retried.text()).isEqualTo(first.text());
    assertThat(numericId.structured().path("turn_id").asText()).as("id 7 is not id \"req-7\"").isNotEqualTo(turnId);
    assertThat(sameIdOtherSession.structured().path("turn_id").asText()).isNotIn(turnId,
        numericId.structured().path("turn_id").asText());
    assertThat(turnsOf(tenant.companyId())).isEqualTo(3);
    assertThat(sameIdOtherMessage.isToolError()).isTrue();
    assertThat(sameIdOtherMessage.text()).startsWith("IDEMPOTENCY_CONFLICT: ");
    assertThat(turnsOf(tenant.companyId())).isEqualTo(3);
  }

  @Test
  void givenAnotherCompanysAgentSessionOrMcpSession_whenUsed_itShouldAnswerExactlyLikeAMissingOne() {
    Fixture a = newFixture("mcp-iso-a-" + System.nanoTime());
    TestApp.Tenant b = newCompany("mcp-iso-b");
    String bAgent = newAgent(b, "b bot", Map.of());
    McpWire mcp = mcp();
    String aSession = mcp.initialize(a.apiKey());
    String bSession = mcp.initialize(b.apiKey());
    String missing = UUID.randomUUID().toString();
    List<String> bodies = new ArrayList<>();

    McpWire.Exchange foreignAgent = mcp.callTool(b.apiKey(), bSession, 1, "chat_with_agent",
        Map.of("agent_id", a.agentId(), "message", "hi"));
    McpWire.Exchange missingAgent = mcp.callTool(b.apiKey(), bSession, 2, "chat_with_agent",
        Map.of("agent_id", missing, "message", "hi"));
    assertThat(foreignAgent.isToolError()).isTrue();
    assertThat(foreignAgent.text()).isEqualTo("NOT_FOUND: agent " + a.agentId() + " not found");
    assertThat(foreignAgent.text().replace(a.agentId(), "ID")).isEqualTo(missingAgent.text().replace(missing, "ID"));
    bodies.add(foreignAgent.body());

    McpWire.Exchange foreignSession = mcp.callTool(b.apiKey(), bSession, 3, "chat_with_agent",
        Map.of("agent_id", bAgent, "message", "hi", "session_id", a.sessionId()));
    McpWire.Exchange missingSession = mcp.callTool(b.apiKey(), bSession, 4, "chat_with_agent",
        Map.of("agent_id", bAgent, "message", "hi", "session_id", missing));
    assertThat(foreignSession.text()).startsWith("NOT_FOUND: ");
    assertThat(foreignSession.text().replace(a.sessionId(), "ID")).isEqualTo(missingSession.text().replace(missing, "ID"));
    bodies.add(foreignSession.body());

    // A's MCP session id, presented with B's key, is a session B does not have.
    McpWire.Exchange foreignMcpSession = mcp.callTool(b.apiKey(), aSession, 5, "list_agents", Map.of());
    McpWire.Exchange unknownMcpSession = mcp.callTool(b.apiKey(), missing, 5, "list_agents", Map.of());
    assertThat(foreignMcpSession.status()).isEqualTo(404).isEqualTo(unknownMcpSession.status());
    assertThat(foreignMcpSession.body().replace(aSession, "ID")).isEqualTo(unknownMcpSession.body().replace(missing, "ID"));
    assertThat(mcp.send("DELETE", b.apiKey(), aSession, null).status()).isEqualTo(404);
    assertThat(mcp.callTool(a.apiKey(), aSession, 6, "list_agents", Map.of()).status())
        .as("A's session, still A's after B's attempts").isEqualTo(200);

    McpWire.Exchange bAgents = mcp.callTool(b.apiKey(), bSession, 7, "list_agents", Map.of());
    assertThat(bAgents.structured().path("agents").findValuesAsText("id")).containsExactly(bAgent);
    bodies.add(bAgents.body());
    for (String body : bodies) {
      for (String secret : a.secretsAndIds()) {
        if (!secret.equals(a.agentId()) && !secret.equals(a.sessionId())) {
          assertThat(body).as("B's answer shows none of A's ids").doesNotContain(secret);
        }
      }
    }
    assertThat(turnsOf(b.companyId())).isZero();
  }

  @Test
  void givenATurnThatWaitsForAnApproval_whenChatting_itShouldAnswerThatItWaitsWithTheTurnIdAndHowToApprove() {
    TestApp.Tenant tenant = newCompany("mcp-approval");
    HttpJson.Response tool = http().post("/v1/tools", tenant.apiKey(), Map.of(
        "name", "refund", "description", "refunds", "method", "POST", "url", "https://tools.example.test/refund",
        "requires_approval", true));
    assertThat(tool.status()).as(tool.body().toString()).isEqualTo(201);
    String agentId = newAgent(tenant, "refunder", Map.of("provider", "openai"));
    assertThat(http().post("/v1/agents/" + agentId + "/tools/" + tool.text("id"), tenant.apiKey(), Map.of()).status())
        .isEqualTo(200);
    model().enqueueToolCalls(new OpenAiStandIn.ScriptedCall("call_refund", "refund", "{}"));
    McpWire mcp = mcp();
    String session = mcp.initialize(tenant.apiKey());

    McpWire.Exchange waiting = mcp.callTool(tenant.apiKey(), session, 1, "chat_with_agent",
        Map.of("agent_id", agentId, "message", "refund order 9"));

    assertThat(waiting.isToolError()).as("waiting is not an error").isFalse();
    JsonNode structured = waiting.structured();
    String turnId = structured.path("turn_id").asText();
    assertThat(structured.path("status").asText()).isEqualTo("awaiting_approval");
    assertThat(structured.path("pending_approvals").path(0).path("call_id").asText()).isEqualTo("call_refund");
    assertThat(structured.path("pending_approvals").path(0).path("tool").asText()).isEqualTo("refund");
    assertThat(structured.path("pending_approvals").path(0).path("approve").asText())
        .isEqualTo("POST /v1/turns/" + turnId + "/approvals/call_refund");
    assertThat(waiting.text()).contains(turnId, "/v1/turns/" + turnId + "/approvals/call_refund", "approve");
    assertThat(http().get("/v1/turns/" + turnId, tenant.apiKey()).text("status")).isEqualTo("awaiting_approval");
  }

  @Test
  void givenATurnLongerThanTheWait_whenChatting_itShouldAnswerStillRunningWithTheTurnId() {
    TestApp.Tenant tenant = newCompany("mcp-slow");
    String agentId = newAgent(tenant, "slow", Map.of("provider", "openai"));
    McpWire mcp = mcp();
    String session = mcp.initialize(tenant.apiKey());
    model().holdRequests();

    long started = System.nanoTime();
    McpWire.Exchange running = mcp.callTool(tenant.apiKey(), session, 1, "chat_with_agent",
        Map.of("agent_id", agentId, "message", "take your time"));
    Duration waited = Duration.ofNanos(System.nanoTime() - started);

    assertThat(running.isToolError()).isFalse();
    assertThat(running.structured().path("status").asText()).isEqualTo("running");
    String turnId = running.structured().path("turn_id").asText();
    assertThat(running.text()).contains(turnId, "GET /v1/turns/" + turnId);
    assertThat(waited).as("answered at saturn.mcp.result-wait (%s)", RESULT_WAIT)
        .isGreaterThanOrEqualTo(RESULT_WAIT).isLessThan(RESULT_WAIT.plusSeconds(20));
    model().release();
    assertThat(TestApp.awaitTurn(http(), tenant, turnId).path("status").asText()).isEqualTo("completed");
  }

  @Test
  void givenATurnThatFails_whenChatting_itShouldAnswerAToolErrorWithTheCodeAndNoProviderDetails() {
    TestApp.Tenant tenant = newCompany("mcp-fail");
    String agentId = newAgent(tenant, "broken", Map.of("provider", "openai"));
    model().enqueueError(401, "{\"error\":{\"message\":\"bad key\"}}");
    McpWire mcp = mcp();
    String session = mcp.initialize(tenant.apiKey());

    McpWire.Exchange failed = mcp.callTool(tenant.apiKey(), session, 1, "chat_with_agent",
        Map.of("agent_id", agentId, "message", "hi"));

    assertThat(failed.status()).isEqualTo(200);
    assertThat(failed.message().has("error")).as("a tool error, not a JSON-RPC error").isFalse();
    assertThat(failed.isToolError()).isTrue();
    assertThat(failed.text()).startsWith("LLM_PROVIDER_ERROR: turn ");
    assertThat(failed.structured().path("status").asText()).isEqualTo("failed");
    assertThat(failed.structured().path("error").path("code").asText()).isEqualTo("LLM_PROVIDER_ERROR");
    assertThat(failed.body()).doesNotContain("127.0.0.1").doesNotContain("bad key");
    String turnId = failed.structured().path("turn_id").asText();
    assertThat(http().get("/v1/turns/" + turnId, tenant.apiKey()).text("status")).isEqualTo("failed");
  }

  @Test
  void givenAPlanOfOneChatTurnPerMinute_whenChattingTwice_itShouldRefuseTheSecondAsRateLimited() {
    TestApp.Tenant tenant = newCompany("mcp-limited");
    putOnPlan(tenant.companyId(), "{\"chat_turns_per_minute\": 1}", null);
    String agentId = newAgent(tenant, "busy", Map.of());
    McpWire mcp = mcp();
    String session = mcp.initialize(tenant.apiKey());

    McpWire.Exchange first = mcp.callTool(tenant.apiKey(), session, 1, "chat_with_agent", Map.of("agent_id", agentId, "message", "one"));
    McpWire.Exchange second = mcp.callTool(tenant.apiKey(), session, 2, "chat_with_agent", Map.of("agent_id", agentId, "message", "two"));
    McpWire.Exchange listing = mcp.callTool(tenant.apiKey(), session, 3, "list_agents", Map.of());

    assertThat(first.isToolError()).as(first.body()).isFalse();
    assertThat(second.isToolError()).isTrue();
    assertThat(second.text()).startsWith("RATE_LIMITED: Rate limit of 1 chat turns per minute");
    assertThat(listing.isToolError()).as("listing starts no turn").isFalse();
    assertThat(turnsOf(tenant.companyId())).isEqualTo(1);
  }

  @Test
  void givenNoOrABadCredentialOrOneWithoutChat_whenCallingMcp_itShouldBeRefusedAtTheHttpLevel() {
    TestApp.Tenant tenant = newCompany("mcp-auth");
    HttpJson.Response billing = http().post("/v1/api-keys", tenant.apiKey(), Map.of("name", "books", "scopes", List.of("billing:read")));
    assertThat(billing.status()).as(billing.body().toString()).isEqualTo(201);
    HttpJson.Response chat = http().post("/v1/api-keys", tenant.apiKey(), Map.of("name", "bot", "scopes", List.of("chat")));
    String init = McpWire.request(0, "initialize", Map.of(
        "protocolVersion", "2025-06-18", "capabilities", Map.of(), "clientInfo", Map.of("name", "t", "version", "1")));
    McpWire mcp = mcp();

    McpWire.Exchange anonymous = mcp.send(null, null, init);
    McpWire.Exchange invalid = mcp.send("sat_not-a-real-key", null, init);
    McpWire.Exchange noChat = mcp.send(billing.text("api_key"), null, init);
    McpWire.Exchange operator = mcp.send(ADMIN, null, init);

    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.body()).contains("AUTH_INVALID");
    assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(invalid.status()).isEqualTo(401);
    assertThat(noChat.status()).isEqualTo(403);
    assertThat(noChat.body()).contains("AUTH_FORBIDDEN", "chat");
    assertThat(operator.status()).isEqualTo(403);
    // A key scoped to chat is enough: it may read agents too.
    String session = mcp.initialize(chat.text("api_key"));
    assertThat(mcp.callTool(chat.text("api_key"), session, 1, "list_agents", Map.of()).isToolError()).isFalse();
  }

  @Test
  void givenBadInput_whenSentToMcp_itShouldAnswer4xxOrAToolErrorNeverA5xxNorAStackTraceAndStartNoTurn() {
    TestApp.Tenant tenant = newCompany("mcp-bad");
    String agentId = newAgent(tenant, "target", Map.of());
    McpWire mcp = mcp();
    String session = mcp.initialize(tenant.apiKey());
    Map<String, String> bodies = new LinkedHashMap<>();
    bodies.put("malformed JSON", "{\"jsonrpc\": ");
    bodies.put("empty", "");
    bodies.put("an array (a batch)", "[" + McpWire.request(1, "tools/list", Map.of()) + "]");
    bodies.put("a number", "42");
    bodies.put("a string", "\"text\"");
    bodies.put("no jsonrpc", "{\"id\": 1, \"method\": \"tools/list\"}");
    bodies.put("jsonrpc 1.0", "{\"jsonrpc\": \"1.0\", \"id\": 1, \"method\": \"tools/list\"}");
    bodies.put("a fractional id", "{\"jsonrpc\": \"2.0\", \"id\": 1.5, \"method\": \"tools/list\"}");
    bodies.put("an object id", "{\"jsonrpc\": \"2.0\", \"id\": {}, \"method\": \"tools/list\"}");
    bodies.put("a numeric method", "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": 5}");
    bodies.put("string params", "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/call\", \"params\": \"x\"}");
    bodies.put("nothing", "{\"jsonrpc\": \"2.0\"}");
    bodies.put("an unknown method", McpWire.request(1, "no/such", Map.of()));
    bodies.put("an unknown tool", McpWire.request(1, "tools/call", Map.of("name", "no_such_tool", "arguments", Map.of())));
    bodies.put("tools/call without a name", McpWire.request(1, "tools/call", Map.of("arguments", Map.of())));
    bodies.put("a number for agent_id", McpWire.request(1, "tools/call",
        Map.of("name", "chat_with_agent", "arguments", Map.of("agent_id", 5, "message", "hi"))));
    bodies.put("no message", McpWire.request(1, "tools/call",
        Map.of("name", "chat_with_agent", "arguments", Map.of("agent_id", agentId))));
    bodies.put("a blank message", McpWire.request(1, "tools/call",
        Map.of("name", "chat_with_agent", "arguments", Map.of("agent_id", agentId, "message", " "))));
    bodies.put("an unknown argument", McpWire.request(1, "tools/call",
        Map.of("name", "chat_with_agent", "arguments", Map.of("agent_id", agentId, "message", "hi", "zz", 1))));
    bodies.put("a bad cursor", McpWire.request(1, "tools/call",
        Map.of("name", "list_agents", "arguments", Map.of("cursor", "%%%"))));
    bodies.put("a response nobody asked for", "{\"jsonrpc\": \"2.0\", \"id\": 99, \"result\": {}}");

    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, String> bad : bodies.entrySet()) {
      for (String withSession : new String[] {session, null}) {
        McpWire.Exchange answer = mcp.send(tenant.apiKey(), withSession, bad.getValue());
        String what = bad.getKey() + (withSession == null ? " without a session" : "") + " answered " + answer.status()
            + " " + answer.body();
        boolean refused = answer.status() >= 400 && answer.status() < 500;
        boolean toolError = answer.status() == 200 && answer.message() != null
            && (answer.message().has("error") || answer.isToolError());
        if (!(refused || toolError)) {
          failures.add(what);
        }
        if (answer.body().contains("stackTrace") || answer.body().contains("dev.saturn") || answer.body().contains("Exception")) {
          failures.add(what + ": shows internals");
        }
      }
    }
    McpWire.Exchange huge = mcp.send(tenant.apiKey(), session,
        McpWire.request(1, "tools/call", Map.of("name", "chat_with_agent",
            "arguments", Map.of("agent_id", agentId, "message", "x".repeat(BadInputTest.MAX_BODY_BYTES)))));
    assertThat(huge.status()).isEqualTo(413);
    assertThat(huge.body()).contains("PAYLOAD_TOO_LARGE");
    McpWire.Exchange get = mcp.send("GET", tenant.apiKey(), session, null);
    assertThat(get.status()).as("no server-to-client stream is offered").isEqualTo(405);
    assertThat(failures).isEmpty();
    assertThat(turnsOf(tenant.companyId())).isZero();
  }
}
