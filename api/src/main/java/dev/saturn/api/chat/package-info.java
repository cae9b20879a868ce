/**
 * Chat turns at the HTTP edge: {@link dev.saturn.api.chat.TurnStarter}, the one public way to start
 * a turn, which every channel adapter calls (REST's {@code ChatController}, and the inbound channels
 * of {@code dev.saturn.api.channels}; the OpenAI-compatible endpoints, WebSocket and the MCP server
 * live in packages of their own and call it too, with a {@link dev.saturn.api.chat.TurnChannel} of
 * their own); sessions,
 * turns, their events and views.
 */
package dev.saturn.api.chat;
