package dev.saturn.activities.tools.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.saturn.activities.tools.ToolCallContext;
import dev.saturn.activities.tools.ToolCallResult;
import dev.saturn.common.mcp.McpClient;
import dev.saturn.common.mcp.testing.McpStandIn;
import dev.saturn.common.mcp.testing.PythonMcpServer;
import dev.saturn.common.outbound.GuardedHttpClient;
import dev.saturn.common.outbound.SsrfGuard;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.TestDatabase;
import dev.saturn.db.tools.McpServerRepository;
import dev.saturn.db.tools.McpServerRow;
import dev.saturn.db.tools.ToolRow;
import dev.saturn.db.tools.ToolSecrets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The MCP executor against the official Python SDK's server over real HTTP, and a stand-in where Python is not the point. */
class McpToolExecutorTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final ToolSecrets SECRETS = ToolSecrets.withKey(Base64.getEncoder().encodeToString(new byte[32]));
  static TestDatabase database;
  static DSLContext db;
  static McpServerRepository servers;

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    db = database.dsl();
    servers = new McpServerRepository(db);
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  static McpToolExecutor executor(String allowed) {
    return new McpToolExecutor(new McpClient(new GuardedHttpClient(new SsrfGuard(allowed), 3)), servers, SECRETS);
  }

  /** A server row whose Authorization header is sealed (bound to the server's id), as the registry stores it. */
  static McpServerRow server(CompanyId company, String url, String token) {
    String id = Ids.newId();
    String headers = token == null ? "{}"
        : "{\"Authorization\": {\"encrypted\": \"" + SECRETS.encrypt("Bearer " + token, company.value(), id, "Authorization") + "\"}}";
    Instant now = Instant.now();
    McpServerRow row = new McpServerRow(id, company.value(), "s" + id.substring(0, 8), url, headers, null, now, now, now);
    assertThat(servers.insert(company, row)).isTrue();
    return row;
  }

  static ToolRow tool(CompanyId company, McpServerRow server, String remoteName, boolean idempotent) {
    Instant now = Instant.now();
    return new ToolRow(Ids.newId(), company.value(), remoteName, "", "MCP", "", "{}", "{\"type\":\"object\"}", 5000,
        false, null, ToolRow.ACTIVE, now, now, idempotent, ToolRow.MCP, server.id(), remoteName, 1);
  }

  static ToolCallContext context(Duration timeout) {
    return new ToolCallContext("turn", "call", "saturn-key", 1, timeout, 4096);
  }

  static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void givenTheSdksServer_whenAToolAnswers_itShouldBeTheResultAndSecretHeadersShouldFeedRedaction() throws Exception {
    CompanyId company = Fixtures.company(db);
    try (PythonMcpServer mcp = PythonMcpServer.start("s3cret-token")) {
      McpToolExecutor executor = executor("127.0.0.1:" + mcp.port());
      McpServerRow server = server(company, mcp.url(), "s3cret-token");

      ToolCallResult sum = executor.execute(company, tool(company, server, "add", false), json("{\"a\": 40, \"b\": 2}"),
          context(Duration.ofSeconds(10)));
      ToolCallResult whoami = executor.execute(company, tool(company, server, "whoami", false), json("{}"),
          context(Duration.ofSeconds(10)));

      assertThat(sum.ok()).isTrue();
      assertThat(sum.body()).isEqualTo("{\"result\":42}");
      assertThat(sum.httpStatus()).isEqualTo(200);
      assertThat(whoami.body()).contains("Bearer s3cret-token");
      assertThat(executor.secretValues(company, tool(company, server, "whoami", false)))
          .contains("Bearer s3cret-token", "s3cret-token");
    }
  }

  @Test
  void givenTheSdksServer_whenAToolFailsOrIsTooSlow_itShouldFailTheCallSayingWhy() throws Exception {
    CompanyId company = Fixtures.company(db);
    try (PythonMcpServer mcp = PythonMcpServer.start()) {
      McpToolExecutor executor = executor("127.0.0.1:" + mcp.port());
      McpServerRow server = server(company, mcp.url(), null);

      ToolCallResult failed = executor.execute(company, tool(company, server, "fail", false),
          json("{\"reason\": \"quota exceeded\"}"), context(Duration.ofSeconds(10)));
      ToolCallResult slow = executor.execute(company, tool(company, server, "slow", false), json("{\"seconds\": 10}"),
          context(Duration.ofMillis(1500)));

      assertThat(failed.status()).isEqualTo(ToolCallResult.Status.FAILED);
      assertThat(failed.failure()).startsWith("the MCP tool reported an error: ").contains("quota exceeded");
      assertThat(failed.httpStatus()).as("the server answered: billed").isEqualTo(200);
      assertThat(failed.transientFailure()).isFalse();
      assertThat(slow.status()).isEqualTo(ToolCallResult.Status.FAILED);
      assertThat(slow.failure()).contains("no answer within 1500 ms");
      assertThat(slow.transientFailure()).isTrue();
      assertThat(slow.httpStatus()).isZero();
    }
  }

  @Test
  void givenAJsonRpcError_whenCalled_itShouldFailTheCallWithTheServersMessage() throws Exception {
    CompanyId company = Fixtures.company(db);
    try (McpStandIn standIn = McpStandIn.start()) {
      McpServerRow server = server(company, standIn.url(), null);

      ToolCallResult result = executor("127.0.0.1:" + standIn.port())
          .execute(company, tool(company, server, "rpc_error", false), json("{}"), context(Duration.ofSeconds(5)));

      assertThat(result.status()).isEqualTo(ToolCallResult.Status.FAILED);
      assertThat(result.failure()).contains("error -32603: the stand-in refuses rpc_error");
      assertThat(result.transientFailure()).isFalse();
    }
  }

  @Test
  void givenALoopbackServerWithoutAllowlist_orADeletedServer_whenCalled_itShouldRefuseWithoutARequest() throws Exception {
    CompanyId company = Fixtures.company(db);
    try (McpStandIn standIn = McpStandIn.start()) {
      McpServerRow server = server(company, standIn.url(), null);
      ToolRow echo = tool(company, server, "echo", true);

      ToolCallResult refused = executor("").execute(company, echo, json("{\"text\": \"x\"}"), context(Duration.ofSeconds(5)));
      servers.delete(company, server.id());
      ToolCallResult orphaned = executor("127.0.0.1:" + standIn.port())
          .execute(company, echo, json("{\"text\": \"x\"}"), context(Duration.ofSeconds(5)));

      assertThat(refused.status()).isEqualTo(ToolCallResult.Status.REFUSED);
      assertThat(refused.failure()).contains("loopback");
      assertThat(orphaned.status()).isEqualTo(ToolCallResult.Status.REFUSED);
      assertThat(orphaned.failure()).contains("was deleted");
      assertThat(standIn.requests()).isZero();
    }
  }

  @Test
  void givenHints_whenAskedWhetherToRetry_itShouldFollowTheStoredIdempotency() {
    CompanyId company = Fixtures.company(db);
    McpServerRow server = server(company, "https://mcp.example.test/mcp", null);
    McpToolExecutor executor = executor("");

    assertThat(executor.kind()).isEqualTo("mcp");
    assertThat(executor.idempotent(tool(company, server, "price", true))).isTrue();
    assertThat(executor.idempotent(tool(company, server, "count", false))).isFalse();
  }
}
