package dev.saturn.workflows.chat;

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
    boolean estimated) {}
