package dev.saturn.db.chat;

import java.time.Instant;

public record SessionRow(String id, String companyId, String agentId, Instant createdAt) {}
