/**
 * MCP (Model Context Protocol) servers as tool sources: a client of the Streamable HTTP transport
 * that opens a session, lists tools and calls one, every exchange through the outbound guard
 * ({@link dev.saturn.common.outbound.GuardedHttpClient}). The API lists a server's tools with it
 * when a tenant registers or refreshes the server; the worker calls them.
 */
package dev.saturn.common.mcp;
