/**
 * The tool registry's HTTP edge: {@code /v1/tools} (tools a model may call: HTTP tools validated on
 * save, and the tools of MCP servers), {@code /v1/mcp-servers} (MCP servers as tool sources,
 * listed when registered and refreshed) and {@code /v1/agents/{id}/tools} (an agent's versioned
 * allowlist).
 */
package dev.saturn.api.tools;
