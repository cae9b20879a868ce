package dev.saturn.api.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.saturn.api.identity.Caller;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.identity.PlanRepository;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Token buckets per caller (key or user) and per company, one set for all requests and one for
 * chat turns, sized by the company's plan. Buckets are Bucket4j local buckets held in a bounded
 * Caffeine cache, so memory stays bounded however many keys call; an evicted bucket comes back
 * full, which can only let a caller through, never refuse one wrongly.
 */
@Component
class RateLimiter {

  private static final Duration MINUTE = Duration.ofMinutes(1);

  private final PlanRepository plans;
  private final JsonMapper json;
  private final RateLimitProperties properties;
  private final Cache<String, Bucket> buckets;
  private final LoadingCache<CompanyId, PlanLimits> planLimits;

  RateLimiter(PlanRepository plans, JsonMapper json, RateLimitProperties properties) {
    this.plans = plans;
    this.json = json;
    this.properties = properties;
    this.buckets = Caffeine.newBuilder()
        .maximumSize(properties.maxBuckets())
        .expireAfterAccess(properties.idleBucketExpiry())
        .build();
    this.planLimits = Caffeine.newBuilder()
        .maximumSize(10_000)
        .expireAfterWrite(properties.planCacheTtl())
        .build(this::load);
  }

  PlanLimits limits(CompanyId company) {
    return planLimits.get(company);
  }

  RateLimitDecision check(Caller caller, boolean chatTurn) {
    PlanLimits limits = planLimits.get(caller.company());
    String company = "company:" + caller.company().value();
    List<Check> checks = new ArrayList<>(4);
    checks.add(new Check(caller.actor() + ":requests", limits.requestsPerMinute(), "requests per minute for this "
        + actorKind(caller)));
    checks.add(new Check(company + ":requests", limits.companyRequestsPerMinute(), "requests per minute for this company"));
    if (chatTurn) {
      addChatChecks(caller, limits, checks);
    }
    return consume(checks);
  }

  /**
   * Only the chat-turn buckets, for a channel that learns a request starts a turn after the
   * filter charged it as a plain request (an MCP tool call).
   */
  RateLimitDecision checkChatTurn(Caller caller) {
    List<Check> checks = new ArrayList<>(2);
    addChatChecks(caller, planLimits.get(caller.company()), checks);
    return consume(checks);
  }

  private static void addChatChecks(Caller caller, PlanLimits limits, List<Check> checks) {
    checks.add(new Check(caller.actor() + ":chat", limits.chatTurnsPerMinute(), "chat turns per minute for this "
        + actorKind(caller)));
    checks.add(new Check("company:" + caller.company().value() + ":chat", limits.companyChatTurnsPerMinute(),
        "chat turns per minute for this company"));
  }

  /**
   * A message to an inbound channel: the channel is a sender like a key, with the plan's per-key
   * request and chat-turn limits, and counts against its company's buckets.
   */
  RateLimitDecision checkChannel(CompanyId companyId, String channelId) {
    PlanLimits limits = planLimits.get(companyId);
    String company = "company:" + companyId.value();
    String channel = "channel:" + channelId;
    return consume(List.of(
        new Check(channel + ":requests", limits.requestsPerMinute(), "requests per minute for this channel"),
        new Check(company + ":requests", limits.companyRequestsPerMinute(), "requests per minute for this company"),
        new Check(channel + ":chat", limits.chatTurnsPerMinute(), "chat turns per minute for this channel"),
        new Check(company + ":chat", limits.companyChatTurnsPerMinute(), "chat turns per minute for this company")));
  }

  private RateLimitDecision consume(List<Check> checks) {
    RateLimitDecision tightest = RateLimitDecision.UNLIMITED;
    for (Check check : checks) {
      if (check.perMinute() <= 0) {
        continue;
      }
      ConsumptionProbe probe = bucket(check).tryConsumeAndReturnRemaining(1);
      if (!probe.isConsumed()) {
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
        return new RateLimitDecision(false, check.perMinute(), 0, seconds,
            "Rate limit of " + check.perMinute() + " " + check.what() + " exceeded");
      }
      if (tightest == RateLimitDecision.UNLIMITED || probe.getRemainingTokens() < tightest.remaining()) {
        tightest = new RateLimitDecision(true, check.perMinute(), probe.getRemainingTokens(), 0, null);
      }
    }
    return tightest;
  }

  private record Check(String key, long perMinute, String what) {}

  /** The limit is part of the key, so a plan change takes effect with a fresh bucket. */
  private Bucket bucket(Check check) {
    return buckets.get(check.key() + ":" + check.perMinute(), ignored -> Bucket.builder()
        .addLimit(limit -> limit.capacity(check.perMinute()).refillGreedy(check.perMinute(), MINUTE))
        .build());
  }

  private static String actorKind(Caller caller) {
    return caller.actorType() == Caller.ActorType.KEY ? "key" : "user";
  }

  private PlanLimits load(CompanyId company) {
    JsonNode limits = plans.rateLimitsJson(company).map(json::readTree).orElse(json.createObjectNode());
    return new PlanLimits(
        positive(limits, "requests_per_minute", properties.requestsPerMinute()),
        positive(limits, "chat_turns_per_minute", properties.chatTurnsPerMinute()),
        positive(limits, "company_requests_per_minute", properties.companyRequestsPerMinute()),
        positive(limits, "company_chat_turns_per_minute", properties.companyChatTurnsPerMinute()),
        positive(limits, "concurrent_chat_requests", properties.concurrentChatRequests()),
        positive(limits, "concurrent_event_streams", properties.concurrentEventStreams()));
  }

  private static long positive(JsonNode limits, String field, long fallback) {
    JsonNode value = limits.get(field);
    return value != null && value.isIntegralNumber() && value.longValue() > 0 ? value.longValue() : fallback;
  }
}
