package dev.saturn.workflows.chat;

/** The agent version the turn runs with and the sequence number of its user message. */
public record TurnStarted(int agentVersion, long userMessageSeq, boolean knowledgeBase) {

  /** A turn of an agent without a ready knowledge base (also what older histories deserialize to). */
  public TurnStarted(int agentVersion, long userMessageSeq) {
    this(agentVersion, userMessageSeq, false);
  }
}
