/**
 * Chat turns at the HTTP edge: {@link dev.saturn.api.chat.TurnStarter}, the one public way to start
 * a turn, which every channel adapter calls (REST's {@code ChatController} today; the
 * OpenAI-compatible endpoints, WebSocket, the MCP server and inbound webhooks live in packages of
 * their own and call it too, with a {@link dev.saturn.api.chat.TurnChannel} of their own); sessions,
 * turns, their events and views.
 */
package dev.saturn.api.chat;
