package dev.saturn.db.agents;

import java.time.Instant;

/** An immutable agent configuration; {@code configJson} is the agent config document. */
public record AgentVersionRow(String agentId, int version, String configJson, String createdBy, Instant createdAt) {}
