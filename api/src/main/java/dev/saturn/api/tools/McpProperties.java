package dev.saturn.api.tools;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the API lists an MCP server's tools (registration and refresh), bound from {@code saturn.mcp}.
 *
 * @param listTimeout the whole listing's deadline: connecting, {@code initialize}, every page of
 *     {@code tools/list}
 * @param maxListBytes the largest answer to one message of the listing
 * @param maxTools the most tools one server may bring; more are reported as skipped
 * @param maxRedirects redirects followed per message, each checked by the SSRF guard again
 */
@Validated
@ConfigurationProperties("saturn.mcp")
record McpProperties(
    @NotNull @DefaultValue("30s") Duration listTimeout,
    @Min(1024) @DefaultValue("4194304") int maxListBytes,
    @Min(1) @Max(1000) @DefaultValue("200") int maxTools,
    @Min(0) @Max(10) @DefaultValue("3") int maxRedirects) {

  McpProperties {
    if (listTimeout != null && (listTimeout.isNegative() || listTimeout.isZero())) {
      throw new IllegalArgumentException("saturn.mcp.list-timeout must be positive");
    }
  }
}
