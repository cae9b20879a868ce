package dev.saturn.workflows.chat;

import java.util.List;

/**
 * The agent version the turn runs with, the sequence number of its user message, and that
 * version's tool allowlist (tool names) and per-turn tool-call maximum.
 */
public record TurnStarted(int agentVersion, long userMessageSeq, List<String> allowedTools, int maxToolCalls) {

  public TurnStarted {
    allowedTools = allowedTools == null ? List.of() : List.copyOf(allowedTools);
  }

  /** A turn of an agent without tools. */
  public TurnStarted(int agentVersion, long userMessageSeq) {
    this(agentVersion, userMessageSeq, List.of(), 0);
  }
}
