package dev.saturn.common.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.saturn.common.mcp.testing.McpStandIn;
import dev.saturn.common.mcp.testing.PythonMcpServer;
import dev.saturn.common.outbound.GuardedHttpClient;
import dev.saturn.common.outbound.SsrfGuard;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MCP client against the official Python SDK's server (real) and a stand-in for the corner cases. */
class McpClientTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static McpClient client(String allowed) {
    return new McpClient(new GuardedHttpClient(new SsrfGuard(allowed), 3));
  }

  static McpClient.Endpoint endpoint(String url, Map<String, String> headers, Duration timeout) {
    return new McpClient.Endpoint(URI.create(url), headers, timeout, 256 * 1024);
  }

  @Test
  void givenTheSdksServer_whenListingTools_itShouldGetEveryToolWithItsSchemaAndHints() throws Exception {
    try (PythonMcpServer server = PythonMcpServer.start();
        McpClient.Session session = client("127.0.0.1:" + server.port())
            .open(endpoint(server.url(), Map.of(), Duration.ofSeconds(10)))) {
      List<McpClient.ListedTool> tools = session.listTools();

      assertThat(session.server().name()).isEqualTo("saturn-test-tools");
      assertThat(session.server().protocolVersion()).isEqualTo(McpClient.PROTOCOL_VERSION);
      assertThat(tools).extracting(McpClient.ListedTool::name)
          .contains("echo", "add", "slow", "fail", "whoami", "price", "count", "lookup", "retired");
      McpClient.ListedTool add = tools.stream().filter(t -> t.name().equals("add")).findFirst().orElseThrow();
      assertThat(add.description()).isEqualTo("Adds two integers.");
      assertThat(add.inputSchema().path("required").toString()).isEqualTo("[\"a\",\"b\"]");
      assertThat(add.idempotentHint()).isNull();
      McpClient.ListedTool price = tools.stream().filter(t -> t.name().equals("price")).findFirst().orElseThrow();
      assertThat(price.idempotentHint()).isTrue();
      assertThat(price.readOnlyHint()).isTrue();
    }
  }

  @Test
  void givenTheSdksServer_whenCallingTools_itShouldReturnResultsAndToolErrors() throws Exception {
    try (PythonMcpServer server = PythonMcpServer.start();
        McpClient.Session session = client("127.0.0.1:" + server.port())
            .open(endpoint(server.url(), Map.of(), Duration.ofSeconds(10)))) {
      McpClient.CallResult sum = session.callTool("add", JSON.readTree("{\"a\": 2, \"b\": 3}"));
      McpClient.CallResult failed = session.callTool("fail", JSON.readTree("{\"reason\": \"the disk is full\"}"));

      assertThat(sum.isError()).isFalse();
      assertThat(sum.content()).isEqualTo("{\"result\":5}");
      assertThat(sum.httpStatus()).isEqualTo(200);
      assertThat(failed.isError()).isTrue();
      assertThat(failed.content()).contains("the disk is full");
    }
  }

  @Test
  void givenAServerThatWantsAToken_whenCalledWithAndWithoutIt_itShouldSendTheHeadersOrFail() throws Exception {
    try (PythonMcpServer server = PythonMcpServer.start("t0ken")) {
      McpClient client = client("127.0.0.1:" + server.port());
      try (McpClient.Session session = client.open(
          endpoint(server.url(), Map.of("Authorization", "Bearer t0ken"), Duration.ofSeconds(10)))) {
        assertThat(session.callTool("whoami", JSON.createObjectNode()).content()).contains("Bearer t0ken");
      }

      assertThatThrownBy(() -> client.open(endpoint(server.url(), Map.of(), Duration.ofSeconds(10))))
          .isInstanceOfSatisfying(McpException.class, e -> {
            assertThat(e.kind()).isEqualTo(McpException.Kind.TRANSPORT);
            assertThat(e.httpStatus()).isEqualTo(401);
            assertThat(e.getMessage()).contains("HTTP 401");
          });
    }
  }

  @Test
  void givenASlowTool_whenTheSessionsDeadlinePasses_itShouldFailAsTransient() throws Exception {
    try (PythonMcpServer server = PythonMcpServer.start();
        McpClient.Session session = client("127.0.0.1:" + server.port())
            .open(endpoint(server.url(), Map.of(), Duration.ofSeconds(3)))) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> session.callTool("slow", JSON.readTree("{\"seconds\": 20}")))
          .isInstanceOfSatisfying(McpException.class, e -> {
            assertThat(e.kind()).isEqualTo(McpException.Kind.TRANSPORT);
            assertThat(e.transientFailure()).isTrue();
            assertThat(e.getMessage()).contains("no answer within 3000 ms");
          });
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void givenTheDefaultGuard_whenTheServerIsOnLoopback_itShouldRefuseWithoutARequest() {
    try (McpStandIn standIn = McpStandIn.start()) {
      for (String url : List.of(standIn.url(), "http://localhost:" + standIn.port() + "/mcp")) {
        assertThatThrownBy(() -> client("").open(endpoint(url, Map.of(), Duration.ofSeconds(5))))
            .isInstanceOfSatisfying(McpException.class, e -> {
              assertThat(e.kind()).isEqualTo(McpException.Kind.REFUSED);
              assertThat(e.getMessage()).contains("loopback");
            });
      }
      assertThat(standIn.requests()).isZero();
    }
  }

  @Test
  void givenPlainJsonAnswers_whenASessionRuns_itShouldInitializeCallAndEndTheSession() throws Exception {
    try (McpStandIn standIn = McpStandIn.start()) {
      McpClient client = client("127.0.0.1:" + standIn.port());
      try (McpClient.Session session = client.open(endpoint(standIn.url(), Map.of(), Duration.ofSeconds(5)))) {
        assertThat(session.callTool("echo", JSON.readTree("{\"text\": \"hi\"}")).content()).isEqualTo("hi");
        assertThatThrownBy(() -> session.callTool("rpc_error", JSON.createObjectNode()))
            .isInstanceOfSatisfying(McpException.class, e -> {
              assertThat(e.kind()).isEqualTo(McpException.Kind.RPC_ERROR);
              assertThat(e.getMessage()).contains("-32603").contains("the stand-in refuses rpc_error");
            });
      }
      assertThat(standIn.methods())
          .containsExactly("initialize", "notifications/initialized", "tools/call", "tools/call", "DELETE");
    }
  }

  @Test
  void givenAnEventStreamThatStaysOpen_whenTheAnswerArrived_itShouldNotWaitForTheStreamToEnd() throws Exception {
    try (McpStandIn standIn = McpStandIn.start().holdingStreamsOpen()) {
      long started = System.nanoTime();
      try (McpClient.Session session = client("127.0.0.1:" + standIn.port())
          .open(endpoint(standIn.url(), Map.of(), Duration.ofSeconds(20)))) {
        assertThat(session.callTool("echo", JSON.readTree("{\"text\": \"streamed\"}")).content()).isEqualTo("streamed");
      }
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void givenAServerOfAnotherRevisionOrTooLargeAnswers_whenOpening_itShouldFail() {
    try (McpStandIn standIn = McpStandIn.start().speaking("2024-11-05")) {
      assertThatThrownBy(() -> client("127.0.0.1:" + standIn.port())
          .open(endpoint(standIn.url(), Map.of(), Duration.ofSeconds(5))))
          .isInstanceOfSatisfying(McpException.class, e -> {
            assertThat(e.kind()).isEqualTo(McpException.Kind.PROTOCOL);
            assertThat(e.getMessage()).contains("2024-11-05");
          });
    }
    try (McpStandIn standIn = McpStandIn.start()) {
      assertThatThrownBy(() -> client("127.0.0.1:" + standIn.port())
          .open(new McpClient.Endpoint(URI.create(standIn.url()), Map.of(), Duration.ofSeconds(5), 20)))
          .isInstanceOfSatisfying(McpException.class, e -> assertThat(e.getMessage()).contains("larger than 20 bytes"));
    }
  }
}
