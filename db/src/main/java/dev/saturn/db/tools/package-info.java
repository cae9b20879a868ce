/**
 * The company's tool registry: HTTP tool definitions, and the at-rest encryption of their secret
 * header values. Which agents may call a tool is {@code dev.saturn.db.agents.AgentAllowlist}.
 */
package dev.saturn.db.tools;
