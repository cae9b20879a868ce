package dev.saturn.api.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A chat turn as the API shows it: the same shape from POST /chat and GET /turns/{id}. {@code status}
 * is running, awaiting_approval, completed or failed; {@code pending_approvals} lists the tool calls
 * waiting for a person while it is awaiting_approval.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TurnView(
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
    Instant completedAt,
    List<PendingApproval> pendingApprovals) {

  /** A tool call waiting for a decision; {@code arguments} are redacted. */
  public record PendingApproval(String callId, String tool, JsonNode arguments, Instant requestedAt, Instant expiresAt) {}

  public record Usage(long inputTokens, long outputTokens, boolean estimated) {}

  public record Error(String code, String message) {}
}
