package dev.saturn.api.billing;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.billing.ModelPrice;
import dev.saturn.db.billing.Plan;
import dev.saturn.db.common.Page;
import dev.saturn.db.identity.PlanRepository;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator's price lists, for the REST API ({@code /v1/plans}) and the operator console: what
 * billing charges ({@link InvoiceGeneration}), the monthly token quota ({@link Quotas}) and the rate
 * limits of every company on the plan. A change applies to the next turn and the next invoice draft;
 * finalized invoices keep their lines.
 */
@Service
class Plans {

  static final String ID = "[a-z0-9][a-z0-9_-]{0,63}";

  private final PlanRepository plans;
  private final JsonMapper json;
  private final Clock clock;

  Plans(PlanRepository plans, JsonMapper json, Clock clock) {
    this.plans = plans;
    this.json = json;
    this.clock = clock;
  }

  /** Minor units of the plan's currency per 1000 tokens. */
  record Price(
      @JsonProperty("input_per_1k_minor") @NotNull @Min(0) Long inputPer1kMinor,
      @JsonProperty("output_per_1k_minor") @NotNull @Min(0) Long outputPer1kMinor) {}

  /** Per minute or concurrent; absent or 0: the server's default (docs/operations.md). */
  record RateLimits(
      @Min(0) Long requestsPerMinute,
      @Min(0) Long chatTurnsPerMinute,
      @Min(0) Long companyRequestsPerMinute,
      @Min(0) Long companyChatTurnsPerMinute,
      @Min(0) Long concurrentChatRequests,
      @Min(0) Long concurrentEventStreams) {}

  record CreatePlan(
      @NotBlank @Pattern(regexp = ID, message = "must match " + ID) String id,
      @NotBlank @Size(max = 200) String name,
      @NotBlank @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as USD") String currency,
      @NotNull @Min(0) Long baseFeeMinor,
      @NotNull @Min(0) Long includedTokens,
      @Min(0) Long monthlyTokenQuota,
      @NotNull @Min(0) Long toolCallPriceMinor,
      @NotEmpty Map<@NotBlank @Size(max = 200) String, @NotNull @Valid Price> modelPrices,
      @Valid RateLimits rateLimits) {}

  /**
   * Absent fields keep their value; {@code model_prices} and {@code rate_limits} replace the whole
   * object; {@code clear_monthly_token_quota} removes the quota.
   */
  record UpdatePlan(
      @Size(min = 1, max = 200) String name,
      @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as USD") String currency,
      @Min(0) Long baseFeeMinor,
      @Min(0) Long includedTokens,
      @Min(0) Long monthlyTokenQuota,
      Boolean clearMonthlyTokenQuota,
      @Min(0) Long toolCallPriceMinor,
      @Size(min = 1) Map<@NotBlank @Size(max = 200) String, @NotNull @Valid Price> modelPrices,
      @Valid RateLimits rateLimits) {}

  record PlanView(
      String id, String name, String currency, long baseFeeMinor, long includedTokens, Long monthlyTokenQuota,
      long toolCallPriceMinor, Map<String, Price> modelPrices, RateLimits rateLimits, Instant createdAt) {}

  public Page<PlanView> list(String cursor, int limit) {
    Page<PlanRepository.PlanRecord> page = plans.list(cursor, limit);
    return new Page<>(page.items().stream().map(this::view).toList(), page.nextCursor());
  }

  public PlanView get(String planId) {
    return view(find(planId));
  }

  /** @param request validated by the caller ({@code @Valid}) */
  public PlanView create(CreatePlan request) {
    Plan plan = new Plan(request.id(), request.name(), request.currency(), request.baseFeeMinor(),
        request.includedTokens(), request.monthlyTokenQuota(), request.toolCallPriceMinor(), prices(request.modelPrices()));
    if (!plans.create(plan, pricesJson(plan.modelPrices()), limitsJson(request.rateLimits()), clock.instant())) {
      throw ApiException.conflict("A plan with id " + request.id() + " already exists");
    }
    return view(find(request.id()));
  }

  /** @param request validated by the caller ({@code @Valid}) */
  public PlanView update(String planId, UpdatePlan request) {
    PlanRepository.PlanRecord before = find(planId);
    Plan was = before.plan();
    Long quota = Boolean.TRUE.equals(request.clearMonthlyTokenQuota())
        ? null
        : request.monthlyTokenQuota() != null ? request.monthlyTokenQuota() : was.monthlyTokenQuota();
    Plan plan = new Plan(planId,
        request.name() != null ? request.name() : was.name(),
        request.currency() != null ? request.currency() : was.currency(),
        request.baseFeeMinor() != null ? request.baseFeeMinor() : was.baseFeeMinor(),
        request.includedTokens() != null ? request.includedTokens() : was.includedTokens(),
        quota,
        request.toolCallPriceMinor() != null ? request.toolCallPriceMinor() : was.toolCallPriceMinor(),
        request.modelPrices() != null ? prices(request.modelPrices()) : was.modelPrices());
    String limits = request.rateLimits() != null ? limitsJson(request.rateLimits()) : before.rateLimitsJson();
    plans.update(plan, pricesJson(plan.modelPrices()), limits);
    return view(find(planId));
  }

  private PlanRepository.PlanRecord find(String planId) {
    return plans.find(planId).orElseThrow(() -> ApiException.notFound("plan " + planId));
  }

  private static Map<String, ModelPrice> prices(Map<String, Price> prices) {
    Map<String, ModelPrice> out = new TreeMap<>();
    prices.forEach((model, price) -> out.put(model, new ModelPrice(price.inputPer1kMinor(), price.outputPer1kMinor())));
    return out;
  }

  /** The stored shape, which {@code PlanRepository} reads back for billing. */
  private String pricesJson(Map<String, ModelPrice> prices) {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    prices.forEach((model, price) -> out.put(model, Map.of(
        "input_per_1k_minor", price.inputPer1kMinor(), "output_per_1k_minor", price.outputPer1kMinor())));
    return json.writeValueAsString(out);
  }

  /** Only the limits given, under the names the rate limiter reads. */
  private String limitsJson(RateLimits limits) {
    Map<String, Long> out = new LinkedHashMap<>();
    if (limits != null) {
      putIfSet(out, "requests_per_minute", limits.requestsPerMinute());
      putIfSet(out, "chat_turns_per_minute", limits.chatTurnsPerMinute());
      putIfSet(out, "company_requests_per_minute", limits.companyRequestsPerMinute());
      putIfSet(out, "company_chat_turns_per_minute", limits.companyChatTurnsPerMinute());
      putIfSet(out, "concurrent_chat_requests", limits.concurrentChatRequests());
      putIfSet(out, "concurrent_event_streams", limits.concurrentEventStreams());
    }
    return json.writeValueAsString(out);
  }

  private static void putIfSet(Map<String, Long> out, String name, Long value) {
    if (value != null) {
      out.put(name, value);
    }
  }

  private PlanView view(PlanRepository.PlanRecord record) {
    Plan plan = record.plan();
    Map<String, Price> prices = new TreeMap<>();
    plan.modelPrices().forEach((model, price) ->
        prices.put(model, new Price(price.inputPer1kMinor(), price.outputPer1kMinor())));
    var limits = json.readTree(record.rateLimitsJson());
    return new PlanView(plan.id(), plan.name(), plan.currency(), plan.baseFeeMinor(), plan.includedTokens(),
        plan.monthlyTokenQuota(), plan.toolCallPriceMinor(), prices,
        new RateLimits(
            limit(limits, "requests_per_minute"), limit(limits, "chat_turns_per_minute"),
            limit(limits, "company_requests_per_minute"), limit(limits, "company_chat_turns_per_minute"),
            limit(limits, "concurrent_chat_requests"), limit(limits, "concurrent_event_streams")),
        record.createdAt());
  }

  private static Long limit(tools.jackson.databind.JsonNode limits, String name) {
    var value = limits.get(name);
    return value != null && value.isIntegralNumber() ? value.longValue() : null;
  }
}
