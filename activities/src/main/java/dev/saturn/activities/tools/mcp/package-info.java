/**
 * Tools of kind {@code mcp}: the executor that calls a tool of a registered MCP server over
 * Streamable HTTP ({@code dev.saturn.common.mcp.McpClient}), through the SSRF guard.
 */
package dev.saturn.activities.tools.mcp;
