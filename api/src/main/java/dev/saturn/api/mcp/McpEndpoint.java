package dev.saturn.api.mcp;

import dev.saturn.api.ApiController;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.jackson3.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.annotation.PreDestroy;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.stereotype.Component;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * The official MCP Java SDK's server behind {@code /mcp}: its Streamable HTTP servlet transport
 * (sessions with {@code Mcp-Session-Id}, JSON-RPC, answers as one-event SSE streams) and a sync
 * server with SATURN's {@link AgentTools}.
 *
 * <p>The transport is an {@code HttpServlet} but deliberately not a bean: Spring Boot would
 * register a servlet bean under a path of its own, outside our handlers and their access rules.
 * Only {@link McpController} (a handler with {@code @Requires}) hands it requests.
 *
 * <p>Tool handlers run on the request thread ({@code immediateExecution}), like every other
 * handler of ours: the turn waits hold that thread as REST's chat does, counted by the company's
 * ceiling of waiting chat requests.
 */
@Component
@ConditionalOnExpression(ApiController.API_ROLE_ENABLED)
class McpEndpoint {

  /**
   * MCP's own wire JSON: camelCase members as the protocol names them, not the API's snake_case
   * mapper. The transport writes its refusals (no session id, wrong Accept, ...) by serialising the
   * {@link McpError} exception itself, which would show its stack trace: written here as the
   * JSON-RPC error response it stands for.
   */
  static final McpJsonMapper JSON = new JacksonMcpJsonMapper(JsonMapper.builder()
      .addModule(new SimpleModule("saturn-mcp-errors").addSerializer(McpError.class, new ErrorResponse()))
      .build());

  private final HttpServletStreamableServerTransportProvider transport;
  private final McpSyncServer server;

  McpEndpoint(AgentTools tools, McpProperties properties) {
    this.transport = HttpServletStreamableServerTransportProvider.builder()
        .jsonMapper(JSON)
        .mcpEndpoint(McpController.PATH)
        .contextExtractor(McpCall::context)
        // No GET stream is offered (nothing is sent unasked), so there is no stream to keep alive.
        .keepAliveInterval(null)
        .sessionSweepInterval(properties.sessionIdleTimeout())
        .build();
    this.server = McpServer.sync(transport)
        .serverInfo(McpSchema.Implementation.builder("saturn", version()).title("SATURN").build())
        .instructions("SATURN runs a company's AI agents. list_agents shows them; chat_with_agent talks to one,"
            + " keeping the conversation when you pass the session_id back.")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .jsonMapper(JSON)
        .jsonSchemaValidator(new DefaultJsonSchemaValidator(JsonMapper.builder().build()))
        .immediateExecution(true)
        .tools(tools.specifications())
        .build();
  }

  void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
    transport.service(request, response);
  }

  @PreDestroy
  void close() {
    server.closeGracefully();
  }

  /** {@code {"jsonrpc": "2.0", "id": null, "error": {"code": ..., "message": ...}}}, nothing of the exception. */
  private static final class ErrorResponse extends ValueSerializer<McpError> {
    @Override
    public void serialize(McpError error, JsonGenerator json, SerializationContext context) {
      json.writeStartObject();
      json.writeStringProperty("jsonrpc", "2.0");
      json.writeNullProperty("id");
      json.writeObjectPropertyStart("error");
      json.writeNumberProperty("code", error.getJsonRpcError().code());
      json.writeStringProperty("message", error.getJsonRpcError().message());
      json.writeEndObject();
      json.writeEndObject();
    }
  }

  private static String version() {
    String version = McpEndpoint.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
