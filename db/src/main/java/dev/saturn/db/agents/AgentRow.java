package dev.saturn.db.agents;

import java.time.Instant;

public record AgentRow(
    String id, String companyId, String name, String status, int currentVersion, Instant createdAt, Instant updatedAt) {

  public static final String ENABLED = "enabled";
  public static final String DISABLED = "disabled";

  public boolean enabled() {
    return ENABLED.equals(status);
  }
}
