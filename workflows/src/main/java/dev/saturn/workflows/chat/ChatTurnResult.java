package dev.saturn.workflows.chat;

import dev.saturn.workflows.kb.KbCitation;
import java.util.List;

public record ChatTurnResult(
    String turnId,
    String sessionId,
    int agentVersion,
    String assistantMessageId,
    String content,
    String provider,
    String model,
    long inputTokens,
    long outputTokens,
    boolean estimated,
    List<KbCitation> citations) {

  public ChatTurnResult {
    citations = citations == null ? List.of() : List.copyOf(citations);
  }

  public ChatTurnResult(
      String turnId, String sessionId, int agentVersion, String assistantMessageId, String content,
      String provider, String model, long inputTokens, long outputTokens, boolean estimated) {
    this(turnId, sessionId, agentVersion, assistantMessageId, content, provider, model, inputTokens, outputTokens,
        estimated, List.of());
  }
}
