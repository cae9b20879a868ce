package dev.saturn.db.identity;

import static dev.saturn.db.jooq.Tables.COMPANIES;
import static dev.saturn.db.jooq.Tables.PLANS;

import dev.saturn.db.billing.ModelPrice;
import dev.saturn.db.billing.Plan;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.IdPages;
import dev.saturn.db.common.Page;
import dev.saturn.db.common.Times;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSON;
import org.jooq.Record;
import org.jooq.tools.json.JSONParser;
import org.jooq.tools.json.ParseException;
import org.springframework.stereotype.Repository;

/**
 * Plans: a company's plan as billing and the rate limiter read it, and the operator's catalogue.
 * Plans are platform-wide, not tenant data.
 */
@Repository
public class PlanRepository {

  private final DSLContext db;

  public PlanRepository(DSLContext db) {
    this.db = db;
  }

  /** The {@code rate_limits} JSON of the company's plan, or empty for an unknown company. */
  public Optional<String> rateLimitsJson(CompanyId company) {
    return db.select(PLANS.RATE_LIMITS)
        .from(COMPANIES)
        .join(PLANS).on(PLANS.ID.eq(COMPANIES.PLAN_ID))
        .where(COMPANIES.ID.eq(company.value()))
        .fetchOptional(PLANS.RATE_LIMITS)
        .map(JSON::data);
  }

  /** The company's plan with its prices, or empty for an unknown company. */
  public Optional<Plan> planOf(CompanyId company) {
    return db.select(PLANS.fields())
        .from(COMPANIES)
        .join(PLANS).on(PLANS.ID.eq(COMPANIES.PLAN_ID))
        .where(COMPANIES.ID.eq(company.value()))
        .fetchOptional()
        .map(PlanRepository::toPlan);
  }

  /** A plan as the operator edits it: the price list plus its raw JSON parts and creation time. */
  public record PlanRecord(Plan plan, String modelPricesJson, String rateLimitsJson, Instant createdAt) {}

  public Optional<PlanRecord> find(String planId) {
    return db.selectFrom(PLANS).where(PLANS.ID.eq(planId)).fetchOptional().map(PlanRepository::toRecord);
  }

  /** In id order after the cursor. */
  public Page<PlanRecord> list(String cursor, int limit) {
    return IdPages.page(db, PLANS, PLANS.ID, cursor, limit, PlanRepository::toRecord, r -> r.plan().id());
  }

  /**
   * Inserts the plan; {@code modelPricesJson} and {@code rateLimitsJson} must be the JSON objects
   * billing and the rate limiter read. @return false when a plan with this id exists
   */
  public boolean create(Plan plan, String modelPricesJson, String rateLimitsJson, Instant createdAt) {
    return db.insertInto(PLANS)
        .set(PLANS.ID, plan.id())
        .set(fields(plan, modelPricesJson, rateLimitsJson))
        .set(PLANS.CREATED_AT, Times.toDb(createdAt))
        .onDuplicateKeyIgnore()
        .execute() == 1;
  }

  /** Replaces every field but the id and creation time. @return whether the plan exists */
  public boolean update(Plan plan, String modelPricesJson, String rateLimitsJson) {
    return db.update(PLANS)
        .set(fields(plan, modelPricesJson, rateLimitsJson))
        .where(PLANS.ID.eq(plan.id()))
        .execute() > 0 || db.fetchExists(PLANS, PLANS.ID.eq(plan.id()));
  }

  /** The stored fields of a plan; the prices are parsed first, so unreadable ones are never stored. */
  private static Map<Field<?>, Object> fields(Plan plan, String modelPricesJson, String rateLimitsJson) {
    modelPrices(plan.id(), modelPricesJson);
    Map<Field<?>, Object> fields = new LinkedHashMap<>();
    fields.put(PLANS.NAME, plan.name());
    fields.put(PLANS.CURRENCY, plan.currency());
    fields.put(PLANS.BASE_FEE_MINOR, plan.baseFeeMinor());
    fields.put(PLANS.INCLUDED_TOKENS, plan.includedTokens());
    fields.put(PLANS.MONTHLY_TOKEN_QUOTA, plan.monthlyTokenQuota());
    fields.put(PLANS.TOOL_CALL_PRICE_MINOR, plan.toolCallPriceMinor());
    fields.put(PLANS.MODEL_PRICES, JSON.valueOf(modelPricesJson));
    fields.put(PLANS.RATE_LIMITS, JSON.valueOf(rateLimitsJson));
    return fields;
  }

  private static PlanRecord toRecord(Record r) {
    return new PlanRecord(toPlan(r), r.get(PLANS.MODEL_PRICES).data(), r.get(PLANS.RATE_LIMITS).data(),
        Times.fromDb(r.get(PLANS.CREATED_AT)));
  }

  private static Plan toPlan(Record r) {
    return new Plan(
        r.get(PLANS.ID),
        r.get(PLANS.NAME),
        r.get(PLANS.CURRENCY),
        r.get(PLANS.BASE_FEE_MINOR),
        r.get(PLANS.INCLUDED_TOKENS),
        r.get(PLANS.MONTHLY_TOKEN_QUOTA),
        r.get(PLANS.TOOL_CALL_PRICE_MINOR),
        modelPrices(r.get(PLANS.ID), r.get(PLANS.MODEL_PRICES).data()));
  }

  /**
   * {@code {"<model>": {"input_per_1k_minor": n, "output_per_1k_minor": n}, "*": {...}}}; a plan
   * whose prices cannot be read is an operator error that must not bill anything silently.
   */
  static Map<String, ModelPrice> modelPrices(String planId, String json) {
    try {
      Object parsed = new JSONParser().parse(json);
      if (!(parsed instanceof Map<?, ?> models)) {
        throw new IllegalStateException("plan " + planId + ": model_prices must be a JSON object");
      }
      Map<String, ModelPrice> prices = new TreeMap<>();
      for (Map.Entry<?, ?> e : models.entrySet()) {
        if (!(e.getValue() instanceof Map<?, ?> price)) {
          throw new IllegalStateException("plan " + planId + ": price of " + e.getKey() + " must be an object");
        }
        prices.put(String.valueOf(e.getKey()), new ModelPrice(
            whole(planId, price.get("input_per_1k_minor")), whole(planId, price.get("output_per_1k_minor"))));
      }
      return prices;
    } catch (ParseException e) {
      throw new IllegalStateException("plan " + planId + ": model_prices is not valid JSON", e);
    }
  }

  private static long whole(String planId, Object value) {
    if (value == null) {
      return 0;
    }
    if (value instanceof Long || value instanceof Integer) {
      return ((Number) value).longValue();
    }
    throw new IllegalStateException("plan " + planId + ": prices must be whole numbers of minor units, got " + value);
  }
}
