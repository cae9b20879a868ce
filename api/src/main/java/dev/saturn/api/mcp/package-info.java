/**
 * SATURN as an MCP server at {@code /mcp} (Streamable HTTP, the official MCP Java SDK): tools
 * {@code list_agents} and {@code chat_with_agent} for a company's API key. Turns start through
 * {@link dev.saturn.api.chat.TurnStarter} with {@link dev.saturn.api.chat.TurnChannel#MCP}; see
 * docs/api.md for clients and docs/architecture.md for the decisions.
 */
package dev.saturn.api.mcp;
