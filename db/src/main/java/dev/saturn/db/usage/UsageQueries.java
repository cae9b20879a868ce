package dev.saturn.db.usage;

import static dev.saturn.db.jooq.Tables.USAGE_EVENTS;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.sum;

import dev.saturn.db.billing.BillingPeriod;
import dev.saturn.db.billing.UsageAggregate;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Times;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.springframework.stereotype.Repository;

/** Usage summaries, summed by the database. */
@Repository
public class UsageQueries {

  /** How {@link #groups} groups events (always also by kind). */
  public enum GroupBy {
    DAY,
    AGENT,
    MODEL
  }

  /** One group: {@code key} is the day ({@code YYYY-MM-DD}), agent id or model; "" for none. */
  public record UsageGroup(String key, String kind, long events, long inputTokens, long outputTokens, long quantity) {}

  private final DSLContext db;

  public UsageQueries(DSLContext db) {
    this.db = db;
  }

  /** Events that occurred in [from, to), optionally of one agent and one kind, summed per group and kind. */
  public List<UsageGroup> groups(CompanyId company, Instant from, Instant to, String agentId, String kind, GroupBy groupBy) {
    Condition condition = occurred(company, from, to);
    if (agentId != null) {
      condition = condition.and(USAGE_EVENTS.AGENT_ID.eq(agentId));
    }
    if (kind != null) {
      condition = condition.and(USAGE_EVENTS.KIND.eq(kind));
    }
    Field<String> key = key(groupBy);
    return db.select(key, USAGE_EVENTS.KIND, count(), sum(USAGE_EVENTS.INPUT_TOKENS), sum(USAGE_EVENTS.OUTPUT_TOKENS),
            sum(USAGE_EVENTS.QUANTITY))
        .from(USAGE_EVENTS)
        .where(condition)
        .groupBy(key, USAGE_EVENTS.KIND)
        .orderBy(key, USAGE_EVENTS.KIND)
        .fetch(r -> new UsageGroup(r.value1(), r.value2(), r.value3(), longOf(r.value4()), longOf(r.value5()),
            longOf(r.value6())));
  }

  /**
   * Events that occurred in [from, to), summed per group, kind and model ({@code ""} for none): what a
   * group costs needs the model's price, so the console's usage charts read this.
   */
  public List<PricedGroup> pricedGroups(CompanyId company, Instant from, Instant to, GroupBy groupBy) {
    Field<String> key = key(groupBy);
    Field<String> model = coalesce(USAGE_EVENTS.MODEL, inline(""));
    return db.select(key, USAGE_EVENTS.KIND, model, count(), sum(USAGE_EVENTS.INPUT_TOKENS),
            sum(USAGE_EVENTS.OUTPUT_TOKENS), sum(USAGE_EVENTS.QUANTITY))
        .from(USAGE_EVENTS)
        .where(occurred(company, from, to))
        .groupBy(key, USAGE_EVENTS.KIND, model)
        .orderBy(key, USAGE_EVENTS.KIND, model)
        .fetch(r -> new PricedGroup(r.value1(), new UsageAggregate(r.value2(), r.value3(), r.value4(),
            longOf(r.value5()), longOf(r.value6()), longOf(r.value7()))));
  }

  /** One group of {@link #pricedGroups}: its key and its usage of one kind and model. */
  public record PricedGroup(String key, UsageAggregate usage) {}

  private static Condition occurred(CompanyId company, Instant from, Instant to) {
    return USAGE_EVENTS.COMPANY_ID.eq(company.value())
        .and(USAGE_EVENTS.OCCURRED_AT.ge(Times.toDb(from)))
        .and(USAGE_EVENTS.OCCURRED_AT.lt(Times.toDb(to)));
  }

  private static Field<String> key(GroupBy groupBy) {
    return switch (groupBy) {
      case DAY -> DSL.cast(DSL.cast(USAGE_EVENTS.OCCURRED_AT, SQLDataType.DATE), SQLDataType.VARCHAR(10));
      case AGENT -> coalesce(USAGE_EVENTS.AGENT_ID, inline(""));
      case MODEL -> coalesce(USAGE_EVENTS.MODEL, inline(""));
    };
  }

  /** Tokens the company is billed for in the period (model calls and embeddings), late events included. */
  public long billableTokens(CompanyId company, BillingPeriod period) {
    BigDecimal tokens = db.select(sum(USAGE_EVENTS.INPUT_TOKENS.plus(USAGE_EVENTS.OUTPUT_TOKENS)))
        .from(USAGE_EVENTS)
        .where(USAGE_EVENTS.COMPANY_ID.eq(company.value())
            .and(USAGE_EVENTS.BILLING_PERIOD.eq(period.toString()))
            .and(USAGE_EVENTS.KIND.in(UsageKinds.LLM, UsageKinds.EMBEDDING)))
        .fetchOne(0, BigDecimal.class);
    return longOf(tokens);
  }

  private static long longOf(BigDecimal value) {
    return value == null ? 0 : value.longValueExact();
  }
}
