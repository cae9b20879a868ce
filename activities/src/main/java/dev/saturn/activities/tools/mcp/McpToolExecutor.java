package dev.saturn.activities.tools.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.saturn.activities.tools.SealedHeaders;
import dev.saturn.activities.tools.ToolCallContext;
import dev.saturn.activities.tools.ToolCallResult;
import dev.saturn.activities.tools.ToolExecutor;
import dev.saturn.activities.tools.ToolsProperties;
import dev.saturn.common.mcp.McpClient;
import dev.saturn.common.mcp.McpException;
import dev.saturn.activities.tracing.HttpClientSpans;
import dev.saturn.common.outbound.GuardedHttpClient;
import dev.saturn.common.outbound.SsrfGuard;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.tools.McpServerRepository;
import dev.saturn.db.tools.McpServerRow;
import dev.saturn.db.tools.ToolRow;
import dev.saturn.db.tools.ToolSecrets;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Tools of kind {@code mcp}: one MCP session per call (initialize, {@code tools/call} of the
 * tool's name on its server, session end) with the server's URL and headers as they are now,
 * secret values decrypted at the moment of the call, through the guarded client. The tool's
 * timeout bounds the whole session and its response cap every answer. A tool that reports a
 * failure ({@code isError}) or a JSON-RPC error is a failed call; the server answered, so it is
 * billed. Calls are retried only for tools the server annotates {@code idempotentHint} or
 * {@code readOnlyHint} (the registry stores that as the tool's {@code idempotent}).
 */
@Component
public class McpToolExecutor implements ToolExecutor {

  private static final int MAX_ERROR_EXCERPT = 500;

  private final McpClient client;
  private final McpServerRepository servers;
  private final ToolSecrets secrets;

  @Autowired
  McpToolExecutor(
      SsrfGuard guard, McpServerRepository servers, ToolSecrets secrets, ToolsProperties properties, HttpClientSpans spans) {
    // Each MCP message (initialize, tools/call, the session's end) its own client span with
    // traceparent; the span names the server's host, never its URL's path (it may hold a token).
    this(new McpClient(new GuardedHttpClient(guard, properties.maxRedirects(),
        (method, uri, template) -> spans.start(method, uri, "{mcp-server}"))), servers, secrets);
  }

  public McpToolExecutor(McpClient client, McpServerRepository servers, ToolSecrets secrets) {
    this.client = client;
    this.servers = servers;
    this.secrets = secrets;
  }

  @Override
  public String kind() {
    return ToolRow.MCP;
  }

  @Override
  public boolean idempotent(ToolRow tool) {
    return tool.idempotent();
  }

  @Override
  public List<String> secretValues(CompanyId company, ToolRow tool) {
    return server(company, tool).map(server -> headers(company, server).secretValues()).orElse(List.of());
  }

  @Override
  public ToolCallResult execute(CompanyId company, ToolRow tool, JsonNode arguments, ToolCallContext context) {
    long started = System.nanoTime();
    Optional<McpServerRow> server = server(company, tool);
    if (server.isEmpty()) {
      return new ToolCallResult(ToolCallResult.Status.REFUSED, 0, null,
          "the MCP server of tool " + tool.name() + " was deleted", false, 0);
    }
    McpClient.Endpoint endpoint = new McpClient.Endpoint(URI.create(server.get().url()),
        headers(company, server.get()).values(), context.timeout(), context.maxResponseBytes());
    try (McpClient.Session session = client.open(endpoint)) {
      McpClient.CallResult result = session.callTool(tool.remoteName(), arguments);
      if (result.isError()) {
        return new ToolCallResult(ToolCallResult.Status.FAILED, result.httpStatus(), result.content(),
            "the MCP tool reported an error: " + excerpt(result.content()), false, millisSince(started));
      }
      return new ToolCallResult(ToolCallResult.Status.OK, result.httpStatus(), result.content(), null, false,
          millisSince(started));
    } catch (McpException e) {
      ToolCallResult.Status status = e.kind() == McpException.Kind.REFUSED
          ? ToolCallResult.Status.REFUSED : ToolCallResult.Status.FAILED;
      return new ToolCallResult(status, e.httpStatus(), null, e.getMessage(), e.transientFailure(), millisSince(started));
    }
  }

  private Optional<McpServerRow> server(CompanyId company, ToolRow tool) {
    return tool.mcpServerId() == null ? Optional.empty() : servers.find(company, tool.mcpServerId());
  }

  private SealedHeaders headers(CompanyId company, McpServerRow server) {
    return SealedHeaders.open(server.headersJson(), company, server.id(), secrets, "MCP server " + server.name());
  }

  private static String excerpt(String text) {
    String flat = text == null ? "" : text.replaceAll("\\s+", " ").strip();
    return flat.length() <= MAX_ERROR_EXCERPT ? flat : flat.substring(0, MAX_ERROR_EXCERPT) + "…";
  }

  private static long millisSince(long started) {
    return (System.nanoTime() - started) / 1_000_000;
  }
}
