package dev.saturn.api.mcp;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The MCP server at {@code /mcp}.
 *
 * @param resultWait how long a {@code chat_with_agent} call waits for its turn before answering that
 *     the turn is still running (with its id); under the 60 s many MCP clients give a tool call
 * @param sessionIdleTimeout an MCP session with no request for this long (at most twice as long) is
 *     forgotten; its client gets 404 and initializes a new one, as the protocol says
 */
@ConfigurationProperties("saturn.mcp")
public record McpProperties(
    @DefaultValue("50s") Duration resultWait,
    @DefaultValue("30m") Duration sessionIdleTimeout) {

  public McpProperties {
    if (resultWait == null || resultWait.isNegative()) {
      throw new IllegalArgumentException("saturn.mcp.result-wait must be zero or more");
    }
    if (sessionIdleTimeout == null || sessionIdleTimeout.isNegative() || sessionIdleTimeout.isZero()) {
      throw new IllegalArgumentException("saturn.mcp.session-idle-timeout must be positive");
    }
  }
}
