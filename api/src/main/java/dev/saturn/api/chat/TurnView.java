package dev.saturn.api.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** A chat turn as the API shows it: the same shape from POST /chat and GET /turns/{id}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record TurnView(
    String turnId,
    String sessionId,
    String agentId,
    Integer agentVersion,
    String status,
    String step,
    MessageView message,
    String provider,
    String model,
    Usage usage,
    Error error,
    Instant createdAt,
    Instant completedAt) {

  record Usage(long inputTokens, long outputTokens, boolean estimated) {}

  record Error(String code, String message) {}
}
