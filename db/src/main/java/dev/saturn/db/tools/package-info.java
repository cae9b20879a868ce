/**
 * The company's tool registry: tool definitions (HTTP tools, and the tools of registered MCP
 * servers, whose definitions are versioned and pinned by agent versions), and the at-rest
 * encryption of secret header values. Which agents may call a tool is
 * {@code dev.saturn.db.agents.AgentAllowlist}.
 */
package dev.saturn.db.tools;
