package dev.saturn.api.billing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.billing.BillingPeriod;
import dev.saturn.db.billing.Plan;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.identity.PlanRepository;
import dev.saturn.db.usage.UsageQueries;
import dev.saturn.workflows.common.ErrorCode;
import java.time.Clock;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * The monthly token quota: tokens billed in the current UTC month (model calls and embeddings,
 * summed by the database over {@code ix_usage_events_billing}), cached per company for
 * {@code saturn.billing.quota-cache-ttl}. A turn already running is never cut off; only new turns
 * are refused once the quota is used up, so usage can overshoot by the turns in flight.
 */
@Component
public class Quotas {

  public static final String LIMIT_HEADER = "X-Saturn-Quota-Limit";
  public static final String REMAINING_HEADER = "X-Saturn-Quota-Remaining";

  private final PlanRepository plans;
  private final UsageQueries usage;
  private final Clock clock;
  private final BillingProperties properties;
  private final Cache<String, QuotaStatus> cache;

  Quotas(PlanRepository plans, UsageQueries usage, Clock clock, BillingProperties properties) {
    this.plans = plans;
    this.usage = usage;
    this.clock = clock;
    this.properties = properties;
    this.cache = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(properties.quotaCacheTtl()).build();
  }

  public QuotaStatus status(CompanyId company) {
    BillingPeriod period = BillingPeriod.containing(clock.instant());
    String key = company.value() + ":" + period;
    if (properties.quotaCacheTtl().isZero()) {
      return compute(company, period);
    }
    return cache.get(key, k -> compute(company, period));
  }

  /** @throws ApiException 429 QUOTA_EXCEEDED when the company has used up this month's token quota */
  public void requireAvailable(CompanyId company) {
    QuotaStatus status = status(company);
    if (status.exceeded()) {
      throw ApiException.of(ErrorCode.QUOTA_EXCEEDED, "The monthly token quota of " + status.quota()
          + " tokens is used up for " + status.period() + "; new turns are refused until the next month or a plan change");
    }
  }

  /** Quota headers for a chat answer: limit and remaining, and a warning from the configured share on. */
  public HttpHeaders headers(CompanyId company) {
    HttpHeaders headers = new HttpHeaders();
    QuotaStatus status = status(company);
    if (!status.limited()) {
      return headers;
    }
    headers.set(LIMIT_HEADER, Long.toString(status.quota()));
    headers.set(REMAINING_HEADER, Long.toString(status.remaining()));
    if (status.percentUsed() >= properties.quotaWarningPercent()) {
      headers.set(HttpHeaders.WARNING, "299 saturn \"" + status.percentUsed() + "% of the monthly token quota for "
          + status.period() + " is used\"");
    }
    return headers;
  }

  private QuotaStatus compute(CompanyId company, BillingPeriod period) {
    Long quota = plans.planOf(company).map(Plan::monthlyTokenQuota).orElse(null);
    long used = quota == null ? 0 : usage.billableTokens(company, period);
    return new QuotaStatus(period.toString(), quota, used);
  }
}
