package dev.saturn.activities.tools;

import dev.saturn.workflows.tools.ApprovalTimeouts;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How tools are called, bound from {@code saturn.tools.*} ({@code saturn.tools.secret-key} is read
 * by {@code ToolSecrets}; where tools may connect is {@code saturn.outbound.allowed-hosts}, of
 * which {@code saturn.tools.allowed-hosts} is a deprecated alias, read by {@code OutboundConfig}).
 *
 * @param approvalTimeout how long a call waits for a decision when its tool names no timeout; within
 *     the bounds of {@link ApprovalTimeouts} (1 minute to 30 days), like a tool's own
 * @param maxResponseBytes the largest response body a tool may return; a larger one fails the call.
 *     At most {@link #MAX_RESPONSE_BYTES}: when the database cannot take a result, the result
 *     travels once in a workflow payload, and Temporal refuses payloads over 2 MiB
 * @param maxRedirects redirects followed per call, each checked like the first target
 */
@ConfigurationProperties("saturn.tools")
public record ToolsProperties(
    @DefaultValue("24h") Duration approvalTimeout,
    @DefaultValue("262144") int maxResponseBytes,
    @DefaultValue("3") int maxRedirects) {

  /** Half a MiB: even fully JSON-escaped, a result stays well inside Temporal's 2 MiB payload limit. */
  public static final int MAX_RESPONSE_BYTES = 512 * 1024;

  public ToolsProperties {
    approvalTimeout = approvalTimeout == null ? Duration.ofHours(24) : approvalTimeout;
    if (!ApprovalTimeouts.allowed(approvalTimeout)) {
      throw new IllegalArgumentException("saturn.tools.approval-timeout must be between "
          + ApprovalTimeouts.MIN + " and " + ApprovalTimeouts.MAX);
    }
    maxResponseBytes = maxResponseBytes <= 0 ? 262_144 : maxResponseBytes;
    if (maxResponseBytes > MAX_RESPONSE_BYTES) {
      throw new IllegalArgumentException("saturn.tools.max-response-bytes must be at most " + MAX_RESPONSE_BYTES);
    }
    maxRedirects = Math.max(0, maxRedirects);
  }

  public static ToolsProperties defaults() {
    return new ToolsProperties(Duration.ofHours(24), 262_144, 3);
  }
}
