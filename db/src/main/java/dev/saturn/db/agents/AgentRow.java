package dev.saturn.db.agents;

import java.time.Instant;

public record AgentRow(
    String id, String companyId, String name, String status, int currentVersion, Instant createdAt, Instant updatedAt) {

  public boolean enabled() {
    return "enabled".equals(status);
  }
}
