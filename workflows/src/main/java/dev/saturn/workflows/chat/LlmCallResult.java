package dev.saturn.workflows.chat;

/** The model's answer and what it cost; {@code estimated} marks token counts not reported by a provider. */
public record LlmCallResult(
    String content,
    String provider,
    String model,
    long inputTokens,
    long outputTokens,
    boolean estimated) {}
