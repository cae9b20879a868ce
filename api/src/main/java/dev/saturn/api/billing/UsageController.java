package dev.saturn.api.billing;

import dev.saturn.api.ApiController;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.billing.BillingPeriod;
import dev.saturn.db.billing.InvoiceLine;
import dev.saturn.db.billing.InvoiceRepository;
import dev.saturn.db.billing.Plan;
import dev.saturn.db.billing.Pricing;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.identity.PlanRepository;
import dev.saturn.db.usage.ProviderAttemptRepository;
import dev.saturn.db.usage.UsageQueries;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The company's metered usage, summed by the database; periods are UTC months. */
@ApiController
@RequestMapping("/v1/usage")
@Validated
class UsageController {

  private final UsageQueries usage;
  private final InvoiceRepository invoices;
  private final PlanRepository plans;
  private final ProviderAttemptRepository attempts;
  private final Clock clock;

  UsageController(UsageQueries usage, InvoiceRepository invoices, PlanRepository plans, ProviderAttemptRepository attempts,
      Clock clock) {
    this.usage = usage;
    this.invoices = invoices;
    this.plans = plans;
    this.attempts = attempts;
    this.clock = clock;
  }

  record UsageItem(String key, String kind, long events, long inputTokens, long outputTokens, long quantity) {}

  record UsageList(String period, String groupBy, List<UsageItem> items) {}

  record Quota(Long monthlyTokenQuota, long billableTokens, Long remaining, int percentUsed) {}

  record Costs(long attempts, long failedAttempts, long inputTokens, long outputTokens) {}

  record Charges(String currency, long subtotalMinor, long totalMinor, List<InvoiceView.LineView> lines) {}

  record Summary(String period, String planId, List<UsageItem> byKind, Charges estimatedCharges, Quota quota,
      Costs providerAttempts) {}

  @GetMapping
  @Operation(summary = "Usage events of a period (when they occurred), summed per day, agent or model and per kind")
  @Requires(Permission.BILLING_READ)
  public UsageList list(
      Caller caller,
      @RequestParam(required = false) @Pattern(regexp = InvoiceController.PERIOD_PATTERN, message = "must be a month YYYY-MM") String period,
      @RequestParam(name = "agent_id", required = false) @Size(max = 36) String agentId,
      @RequestParam(required = false) @Pattern(regexp = "[a-z_]{1,16}", message = "must be a usage kind such as llm, embedding, tool_call") String kind,
      @RequestParam(name = "group_by", defaultValue = "day") @Pattern(regexp = "day|agent|model", message = "must be day, agent or model") String groupBy) {
    BillingPeriod month = periodOrCurrent(period);
    UsageQueries.GroupBy grouping = UsageQueries.GroupBy.valueOf(groupBy.toUpperCase(Locale.ROOT));
    List<UsageItem> items = usage.groups(caller.company(), month.start(), month.end(), agentId, kind, grouping).stream()
        .map(g -> new UsageItem(g.key(), g.kind(), g.events(), g.inputTokens(), g.outputTokens(), g.quantity()))
        .toList();
    return new UsageList(month.toString(), groupBy, items);
  }

  /**
   * Usage by kind (by occurrence), the charges a draft would show now and the quota (both by billing
   * period, so late events of a finalized month count here), and what provider attempts cost.
   */
  @GetMapping("/summary")
  @Operation(summary = "A month's usage by kind, estimated charges, quota and provider attempts")
  @Requires(Permission.BILLING_READ)
  public Summary summary(
      Caller caller,
      @RequestParam(required = false) @Pattern(regexp = InvoiceController.PERIOD_PATTERN, message = "must be a month YYYY-MM") String period) {
    CompanyId company = caller.company();
    BillingPeriod month = periodOrCurrent(period);
    List<UsageItem> byKind = usage.groups(company, month.start(), month.end(), null, null, UsageQueries.GroupBy.MODEL)
        .stream()
        .collect(java.util.stream.Collectors.groupingBy(UsageQueries.UsageGroup::kind, java.util.TreeMap::new,
            java.util.stream.Collectors.toList()))
        .entrySet().stream()
        .map(e -> new UsageItem(e.getKey(), e.getKey(),
            e.getValue().stream().mapToLong(UsageQueries.UsageGroup::events).sum(),
            e.getValue().stream().mapToLong(UsageQueries.UsageGroup::inputTokens).sum(),
            e.getValue().stream().mapToLong(UsageQueries.UsageGroup::outputTokens).sum(),
            e.getValue().stream().mapToLong(UsageQueries.UsageGroup::quantity).sum()))
        .toList();
    Plan plan = plans.planOf(company).orElseThrow();
    List<InvoiceLine> lines = Pricing.price(plan, invoices.aggregate(company, month));
    Charges charges = new Charges(plan.currency(), Pricing.subtotal(lines), Pricing.total(lines),
        lines.stream().map(InvoiceView.LineView::of).toList());
    long billable = usage.billableTokens(company, month);
    Long quota = plan.monthlyTokenQuota();
    QuotaStatus status = new QuotaStatus(month.toString(), quota, billable);
    Quota quotaView = new Quota(quota, billable, quota == null ? null : status.remaining(), status.percentUsed());
    ProviderAttemptRepository.AttemptTotals costs = attempts.totals(company, month.start(), month.end());
    return new Summary(month.toString(), plan.id(), byKind, charges, quotaView,
        new Costs(costs.attempts(), costs.failed(), costs.inputTokens(), costs.outputTokens()));
  }

  private BillingPeriod periodOrCurrent(String period) {
    if (period == null) {
      return BillingPeriod.containing(clock.instant());
    }
    return BillingPeriod.parse(period)
        .orElseThrow(() -> ApiException.invalidField("period", "must be a month YYYY-MM from 2000-01 on"));
  }
}
