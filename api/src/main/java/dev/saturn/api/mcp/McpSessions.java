package dev.saturn.api.mcp;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.saturn.api.ApiController;
import dev.saturn.db.common.CompanyId;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.stereotype.Component;

/**
 * Which company opened each MCP session. The SDK's transport keeps sessions by id alone; this
 * makes a session id usable only by callers of the company that initialized it, so another
 * company's id (even a leaked one) answers exactly like an unknown one. Entries outlive the SDK's
 * idle sweep (at most two idle timeouts) so a live session is never refused here first.
 */
@Component
@ConditionalOnExpression(ApiController.API_ROLE_ENABLED)
class McpSessions {

  private static final long MAX_SESSIONS = 100_000;

  private final Cache<String, CompanyId> owners;

  McpSessions(McpProperties properties) {
    this.owners = Caffeine.newBuilder()
        .maximumSize(MAX_SESSIONS)
        .expireAfterAccess(properties.sessionIdleTimeout().multipliedBy(3))
        .build();
  }

  void opened(String sessionId, CompanyId company) {
    owners.put(sessionId, company);
  }

  boolean belongsTo(String sessionId, CompanyId company) {
    return company.equals(owners.getIfPresent(sessionId));
  }

  void closed(String sessionId) {
    owners.invalidate(sessionId);
  }
}
