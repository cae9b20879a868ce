package dev.saturn.api.ratelimit;

import dev.saturn.api.identity.Caller;
import dev.saturn.api.web.ApiException;
import dev.saturn.workflows.common.ErrorCode;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * The chat-turn buckets of {@link RateLimiter} for a channel whose handler cannot carry
 * {@link StartsChatTurn} because only some of its requests start turns (the MCP server: one
 * endpoint for every JSON-RPC message, of which only {@code chat_with_agent} calls start a turn).
 * The request buckets were charged by {@link RateLimitFilter} already.
 */
@Component
public class ChatTurnLimit {

  private final RateLimiter limiter;
  private final RateLimitProperties properties;

  ChatTurnLimit(RateLimiter limiter, RateLimitProperties properties) {
    this.limiter = limiter;
    this.properties = properties;
  }

  /** @throws ApiException 429 RATE_LIMITED (with {@code Retry-After}) when a chat-turn bucket is empty */
  public void take(Caller caller) {
    if (!properties.enabled()) {
      return;
    }
    RateLimitDecision decision = limiter.checkChatTurn(caller);
    if (!decision.allowed()) {
      throw ApiException.of(ErrorCode.RATE_LIMITED,
              decision.reason() + "; retry after " + decision.retryAfterSeconds() + " s")
          .withHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
    }
  }
}
