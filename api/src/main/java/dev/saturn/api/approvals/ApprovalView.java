package dev.saturn.api.approvals;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** A pending tool call as {@code GET /v1/approvals} lists it; {@code arguments} are redacted. */
record ApprovalView(
    String turnId,
    String callId,
    String agentId,
    String sessionId,
    String toolId,
    String tool,
    JsonNode arguments,
    String status,
    Instant requestedAt,
    Instant expiresAt) {}
