package dev.saturn.activities.kb.vector;

import java.util.Objects;

/**
 * The tenant and agent a vector-store call is about. Every search and delete of {@link VectorStore}
 * takes one, so no call can forget either filter; both parts are required and non-blank.
 */
public record KbScope(String companyId, String agentId) {

  public KbScope {
    if (companyId == null || companyId.isBlank() || agentId == null || agentId.isBlank()) {
      throw new IllegalArgumentException("a KB scope needs both a company id and an agent id");
    }
  }

  public static KbScope of(String companyId, String agentId) {
    return new KbScope(Objects.requireNonNull(companyId), Objects.requireNonNull(agentId));
  }
}
