package dev.saturn.app.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.saturn.activities.llm.PromptMessage;
import dev.saturn.activities.llm.testing.OpenAiStandIn;
import dev.saturn.activities.llm.testing.OpenAiStandIn.ScriptedCall;
import dev.saturn.app.durability.DurabilityInfra;
import dev.saturn.app.durability.SaturnProcess;
import dev.saturn.app.e2e.HttpJson;
import dev.saturn.app.e2e.TestApp;
import dev.saturn.app.runtime.LocalPorts;
import dev.saturn.db.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SATURN's MCP server as an outside MCP client sees it: the packaged jar as its own process, and
 * the official MCP Python SDK's client ({@code mcp/saturn_client.py}) over Streamable HTTP with the
 * company key as bearer. Skipped without a Python that has the SDK, unless SATURN_REQUIRE_MCP is
 * set (CI installs it with .ci/install-mcp.sh).
 */
class McpPythonClientIT {

  static final String ADMIN = "mcp-python-it-operator-token";
  static final Path WORK = Path.of("target", "mcp-python-it").toAbsolutePath();
  static final ObjectMapper JSON = new ObjectMapper();

  String python;
  TestDatabase database;
  OpenAiStandIn model;
  SaturnProcess saturn;

  @BeforeEach
  void start() throws Exception {
    python = RequiredMcpPython.locateOrSkip();
    assertThat(DurabilityInfra.JAR).as("packaged jar (this is a failsafe test: run after package)").exists();
    Files.createDirectories(WORK);
    database = TestDatabase.create();
    // Every unscripted answer repeats what the user said so far in the session: proof of the history it was given.
    model = OpenAiStandIn.start().respondWith(request -> "Heard: " + request.messages().stream()
        .filter(m -> m.role().equals("user")).map(PromptMessage::content).collect(Collectors.joining(" | ")));
    Map<String, String> env = new HashMap<>();
    env.put("SATURN_DB_URL", database.jdbcUrl());
    env.put("SATURN_DB_USERNAME", "root");
    env.put("SATURN_TEMPORAL_MODE", "embedded");
    env.put("SATURN_TEMPORAL_PORT", Integer.toString(LocalPorts.pickFree()));
    env.put("SATURN_ADMIN_TOKEN", ADMIN);
    env.put("SATURN_DATA_DIR", Files.createTempDirectory(WORK, "data-").toString());
    env.put("SATURN_OPENAI_BASE_URL", model.baseUrl());
    env.put("SATURN_MCP_RESULT_WAIT", "30s");
    saturn = SaturnProcess.start("saturn", DurabilityInfra.JAR, WORK, LocalPorts.pickFree(), env)
        .awaitReady(SaturnProcess.STARTUP);
  }

  @AfterEach
  void stop() throws Exception {
    DurabilityInfra.closeAll(saturn, model, database);
  }

  @Test
  void givenTheOfficialPythonClient_whenItUsesSaturnsMcpServer_itShouldListAgentsChatWithHistoryWaitForApprovalAndRefuseForeignAgents()
      throws Exception {
    HttpJson http = new HttpJson(saturn.baseUrl());
    TestApp.Tenant acme = TestApp.newCompany(http, ADMIN, "acme");
    TestApp.Tenant globex = TestApp.newCompany(http, ADMIN, "globex");
    String agent = agent(http, acme, "concierge", Map.of("provider", "openai", "system_prompt", "You are the concierge."));
    String refunder = agent(http, acme, "refunder", Map.of("provider", "openai"));
    HttpJson.Response refund = http.post("/v1/tools", acme.apiKey(), Map.of(
        "name", "refund", "description", "refunds an order", "method", "POST",
        "url", "https://tools.example.test/refund", "requires_approval", true));
    assertThat(refund.status()).as(refund.body().toString()).isEqualTo(201);
    assertThat(http.post("/v1/agents/" + refunder + "/tools/" + refund.text("id"), acme.apiKey(), Map.of()).status())
        .isEqualTo(200);
    String foreign = agent(http, globex, "globex bot", Map.of());
    // The client's first chat is the refund: the model asks for the tool that needs a person.
    model.enqueueToolCalls(new ScriptedCall("call_refund", "refund", "{\"order\": 9}"));

    JsonNode report = runClient(List.of(
        "--url", saturn.baseUrl() + "/mcp", "--key", acme.apiKey(),
        "--agent", agent, "--approval-agent", refunder, "--foreign-agent", foreign));

    assertThat(report.has("error")).as("client error: %s", report.path("error").asText()).isFalse();
    // No or a bad key: 401 before any MCP; the SDK's client fails to initialize.
    assertThat(report.path("no_key").path("status").asInt()).isEqualTo(401);
    assertThat(report.path("bad_key").path("status").asInt()).isEqualTo(401);
    assertThat(report.path("no_key").path("sdk").asText()).isNotEqualTo("initialized");
    assertThat(report.path("bad_key").path("sdk").asText()).isNotEqualTo("initialized");

    assertThat(report.path("server_name").asText()).isEqualTo("saturn");
    assertThat(report.path("protocol_version").asText()).isNotBlank();
    assertThat(report.path("tools").path("chat_with_agent").path("output_schema").asBoolean()).isTrue();
    assertThat(report.path("tools").path("chat_with_agent").path("input_required").toString())
        .isEqualTo("[\"agent_id\",\"message\"]");

    JsonNode listed = report.path("list_agents");
    assertThat(listed.path("is_error").asBoolean()).isFalse();
    assertThat(listed.path("structured").path("agents").findValuesAsText("id")).containsExactlyInAnyOrder(agent, refunder);
    assertThat(listed.path("text").path(0).asText()).contains("concierge", "You are the concierge.");

    JsonNode first = report.path("first_chat");
    JsonNode second = report.path("second_chat");
    assertThat(first.path("is_error").asBoolean()).isFalse();
    assertThat(first.path("structured").path("status").asText()).isEqualTo("completed");
    assertThat(first.path("text").path(0).asText()).isEqualTo("Heard: My name is Ada.");
    String sessionId = first.path("structured").path("session_id").asText();
    assertThat(second.path("structured").path("session_id").asText()).isEqualTo(sessionId);
    assertThat(second.path("structured").path("answer").asText())
        .as("the second turn saw the first in its history").isEqualTo("Heard: My name is Ada. | What is my name?");
    HttpJson.Response messages = http.get("/v1/sessions/" + sessionId + "/messages", acme.apiKey());
    assertThat(messages.body().path("items").findValuesAsText("role")).containsExactly("user", "assistant", "user", "assistant");
    String secondTurn = second.path("structured").path("turn_id").asText();
    assertThat(http.get("/v1/turns/" + secondTurn, acme.apiKey()).text("status")).isEqualTo("completed");

    JsonNode waiting = report.path("approval_chat");
    assertThat(waiting.path("is_error").asBoolean()).as("waiting for a person is not an error").isFalse();
    assertThat(waiting.path("structured").path("status").asText()).isEqualTo("awaiting_approval");
    String waitingTurn = waiting.path("structured").path("turn_id").asText();
    assertThat(waiting.path("text").path(0).asText()).contains(waitingTurn, "/v1/turns/" + waitingTurn + "/approvals/call_refund");
    HttpJson.Response turn = http.get("/v1/turns/" + waitingTurn, acme.apiKey());
    assertThat(turn.text("status")).isEqualTo("awaiting_approval");
    assertThat(turn.body().path("pending_approvals").path(0).path("call_id").asText()).isEqualTo("call_refund");

    JsonNode refused = report.path("foreign_chat");
    assertThat(refused.path("is_error").asBoolean()).isTrue();
    assertThat(refused.path("text").path(0).asText()).isEqualTo("NOT_FOUND: agent " + foreign + " not found");
    assertThat(refused.toString()).doesNotContain("globex bot");
  }

  private static String agent(HttpJson http, TestApp.Tenant tenant, String name, Map<String, Object> config) {
    HttpJson.Response created = http.post("/v1/agents", tenant.apiKey(), Map.of("name", name, "config", config));
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    return created.text("id");
  }

  /** Runs the client script; its report is the last line it prints. */
  private JsonNode runClient(List<String> arguments) throws IOException, InterruptedException {
    Path script = WORK.resolve("saturn_client.py");
    try (InputStream in = McpPythonClientIT.class.getResourceAsStream("/mcp/saturn_client.py")) {
      assertThat(in).as("mcp/saturn_client.py on the test classpath").isNotNull();
      Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Path output = WORK.resolve("saturn_client.out");
    List<String> command = new java.util.ArrayList<>(List.of(python, script.toString()));
    command.addAll(arguments);
    Process client = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
    if (!client.waitFor(5, TimeUnit.MINUTES)) {
      client.destroyForcibly();
      throw new AssertionError("the MCP client did not finish in 5 minutes; its output: " + Files.readString(output));
    }
    List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
    assertThat(client.exitValue()).as("client exit; output:%n%s", String.join("\n", lines)).isZero();
    assertThat(lines).as("client output").isNotEmpty();
    return JSON.readTree(lines.get(lines.size() - 1));
  }
}
