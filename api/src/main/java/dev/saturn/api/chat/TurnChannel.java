package dev.saturn.api.chat;

/**
 * Where a turn came from. Each channel has its own space of idempotency keys (a sender's key on
 * one channel never answers with another channel's turn), and its keyed turns get workflow ids of
 * their own. A new channel is a new constant here and an adapter on {@link TurnStarter}.
 */
public enum TurnChannel {

  /** {@code POST /v1/agents/{id}/chat}. Its key space and workflow ids predate channels and keep their form. */
  REST("chat", ""),

  /** {@code POST /v1/chat/completions} and {@code POST /v1/responses}, the OpenAI-compatible endpoints. */
  OPENAI("openai", "openai:"),

  /**
   * {@code chat_with_agent} on the MCP server ({@code /mcp}). Its key is derived from the MCP
   * session id and the JSON-RPC request id, so a client that sends the same request again in the
   * same session attaches to the same turn.
   */
  MCP("mcp", "mcp-"),


  /**
   * {@code POST /v1/channels/{id}/messages}: the key is the channel's id and a digest of the
   * sender's {@code webhook-id}, so a sender's retry finds its turn and two channels never share keys.
   */
  WEBHOOK("channel", "channel:"),

  /** A {@code chat} frame on the WebSocket at {@code /v1/ws}, with the frame's {@code idempotency_key}. */
  WEBSOCKET("websocket", "ws:"),

  /**
   * The web console's Chat page ({@code POST /console/chat}), with the key of the form the page
   * rendered: a double submit of one form starts one turn.
   */
  CONSOLE("console", "console:");

  private final String idempotencyScope;
  private final String turnKeyPrefix;

  TurnChannel(String idempotencyScope, String turnKeyPrefix) {
    this.idempotencyScope = idempotencyScope;
    this.turnKeyPrefix = turnKeyPrefix;
  }

  /** The {@code idempotency_records.scope} of this channel's keys. */
  String idempotencyScope() {
    return idempotencyScope;
  }

  /** The turn key (last part of the workflow id) of a turn this channel started with {@code idempotencyKey}. */
  String turnKey(String idempotencyKey) {
    return turnKeyPrefix + idempotencyKey;
  }
}
