package dev.saturn.api.ratelimit;

import dev.saturn.api.web.ApiException;
import dev.saturn.db.common.CompanyId;
import dev.saturn.workflows.common.ErrorCode;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Rate limits of inbound channel messages. Their handler is public at the door (the signature is
 * the credential, checked by the handler), so {@link RateLimitFilter} has no caller to charge; the
 * handler charges here once the signature is valid: a bucket per channel (the plan's per-key
 * limits) and the company's buckets. Charging only verified messages means nobody can use up a
 * channel's budget by sending it forgeries.
 */
@Component
public class ChannelRateLimits {

  private final RateLimiter limiter;
  private final RateLimitProperties properties;

  ChannelRateLimits(RateLimiter limiter, RateLimitProperties properties) {
    this.limiter = limiter;
    this.properties = properties;
  }

  /** @throws ApiException 429 RATE_LIMITED with Retry-After when a bucket is empty */
  public void charge(CompanyId company, String channelId) {
    if (!properties.enabled()) {
      return;
    }
    RateLimitDecision decision = limiter.checkChannel(company, channelId);
    if (!decision.allowed()) {
      throw ApiException.of(ErrorCode.RATE_LIMITED, decision.reason() + "; retry after " + decision.retryAfterSeconds() + " s")
          .withHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
    }
  }
}
