package dev.saturn.api.billing;

import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.billing.BillingPeriod;
import dev.saturn.db.billing.Plan;
import dev.saturn.db.billing.Pricing;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.identity.PlanRepository;
import dev.saturn.db.usage.UsageQueries;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.stereotype.Service;

/**
 * A month's usage by day, agent and model, with what it costs at the company's plan prices (list
 * price: before the plan's included tokens and base fee), and the quota. The console's Usage page
 * draws it; the numbers come from the same {@link UsageQueries} as {@code GET /v1/usage}.
 */
@Service
class UsageReport {

  private final UsageQueries usage;
  private final PlanRepository plans;
  private final AgentRepository agents;
  private final Clock clock;

  UsageReport(UsageQueries usage, PlanRepository plans, AgentRepository agents, Clock clock) {
    this.usage = usage;
    this.plans = plans;
    this.agents = agents;
    this.clock = clock;
  }

  /** One bar: {@code key} is the day, agent id or model ({@code ""} for none), {@code label} what to show. */
  record Point(String key, String label, long inputTokens, long outputTokens, long costMinor) {
    public long tokens() {
      return inputTokens + outputTokens;
    }
  }

  /** {@code quota} null: the plan has none; {@code used} counts billable tokens of the month. */
  record Report(String period, String currency, List<Point> byDay, List<Point> byAgent, List<Point> byModel,
      Long quota, long used) {}

  Report month(CompanyId company, BillingPeriod period) {
    Plan plan = plans.planOf(company).orElseThrow();
    Map<String, Point> days = new LinkedHashMap<>();
    LocalDate last = lastDayShown(period);
    for (LocalDate day = period.month().atDay(1); !day.isAfter(last); day = day.plusDays(1)) {
      days.put(day.toString(), new Point(day.toString(), day.toString(), 0, 0, 0));
    }
    sum(company, period, plan, UsageQueries.GroupBy.DAY, days, key -> key);
    Map<String, Point> byAgent = sum(company, period, plan, UsageQueries.GroupBy.AGENT, new LinkedHashMap<>(),
        key -> key.isEmpty() ? "(no agent)" : agents.find(company, key).map(AgentRow::name).orElse(key));
    Map<String, Point> byModel = sum(company, period, plan, UsageQueries.GroupBy.MODEL, new LinkedHashMap<>(),
        key -> key.isEmpty() ? "(no model)" : key);
    return new Report(period.toString(), plan.currency(), new ArrayList<>(days.values()),
        new ArrayList<>(byAgent.values()), new ArrayList<>(byModel.values()), plan.monthlyTokenQuota(),
        usage.billableTokens(company, period));
  }

  /** The whole month, or up to today for the current one. */
  private LocalDate lastDayShown(BillingPeriod period) {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    LocalDate end = period.month().atEndOfMonth();
    return !today.isBefore(period.month().atDay(1)) && today.isBefore(end) ? today : end;
  }

  private Map<String, Point> sum(CompanyId company, BillingPeriod period, Plan plan, UsageQueries.GroupBy groupBy,
      Map<String, Point> points, Function<String, String> label) {
    for (UsageQueries.PricedGroup group : usage.pricedGroups(company, period.start(), period.end(), groupBy)) {
      // The same rounding as an invoice line; the base fee is not usage, so it is taken off again.
      long cost = Pricing.subtotal(Pricing.price(plan, List.of(group.usage()))) - plan.baseFeeMinor();
      Point was = points.get(group.key());
      points.put(group.key(), new Point(group.key(), was == null ? label.apply(group.key()) : was.label(),
          (was == null ? 0 : was.inputTokens()) + group.usage().inputTokens(),
          (was == null ? 0 : was.outputTokens()) + group.usage().outputTokens(),
          (was == null ? 0 : was.costMinor()) + cost));
    }
    return points;
  }
}
