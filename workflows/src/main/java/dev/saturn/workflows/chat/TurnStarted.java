package dev.saturn.workflows.chat;

import java.util.List;

/**
 * The agent version the turn runs with, the sequence number of its user message, that version's
 * tool allowlist (tool names) and per-turn tool-call maximum, and whether it has a ready knowledge base.
 */
public record TurnStarted(
    int agentVersion, long userMessageSeq, List<String> allowedTools, int maxToolCalls, boolean knowledgeBase) {

  public TurnStarted {
    allowedTools = allowedTools == null ? List.of() : List.copyOf(allowedTools);
  }

  public TurnStarted(int agentVersion, long userMessageSeq, List<String> allowedTools, int maxToolCalls) {
    this(agentVersion, userMessageSeq, allowedTools, maxToolCalls, false);
  }

  public TurnStarted(int agentVersion, long userMessageSeq, boolean knowledgeBase) {
    this(agentVersion, userMessageSeq, List.of(), 0, knowledgeBase);
  }

  /** A turn of an agent without tools or knowledge base. */
  public TurnStarted(int agentVersion, long userMessageSeq) {
    this(agentVersion, userMessageSeq, List.of(), 0, false);
  }
}
