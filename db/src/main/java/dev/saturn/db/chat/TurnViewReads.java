package dev.saturn.db.chat;

import static dev.saturn.db.jooq.Tables.MESSAGES;
import static dev.saturn.db.jooq.Tables.TURNS;
import static dev.saturn.db.jooq.Tables.USAGE_EVENTS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.RenderedSelect;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SelectField;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/**
 * What an API answer shows of a turn, in one statement: the turn row, its answer (the assistant
 * message it points to) and the sum of its usage events, with the provider and model of the last
 * one. The usage columns come from two derived tables over {@code ix_usage_events_turn}: one aggregate
 * (count, sums, any estimate) and the last event.
 */
@Repository
public class TurnViewReads {

  /**
   * @param answer the turn's assistant message, when it has one
   * @param usage its usage events summed; {@code events} 0 when it has none
   */
  public record TurnWithAnswer(TurnRow turn, Optional<MessageRow> answer, UsageSummary usage) {}

  /**
   * @param provider and {@code model}: of the last event (by time, then id); null without events
   * @param estimated whether any event's tokens were estimated
   */
  public record UsageSummary(long events, long inputTokens, long outputTokens, boolean estimated, String provider, String model) {}

  /** The turn's usage events: the company and turn id are bound in each derived table below. */
  private static final Condition TURN_EVENTS = USAGE_EVENTS.COMPANY_ID.eq(DSL.param("company", String.class))
      .and(USAGE_EVENTS.TURN_ID.eq(DSL.param("turn", String.class)));
  /** One aggregate over {@code ix_usage_events_turn}; without GROUP BY it is exactly one row, also for no events. */
  private static final Table<?> TOTALS = DSL.select(
          DSL.count().as("usage_events"),
          DSL.coalesce(DSL.sum(USAGE_EVENTS.INPUT_TOKENS), DSL.inline(BigDecimal.ZERO)).cast(Long.class).as("usage_input"),
          DSL.coalesce(DSL.sum(USAGE_EVENTS.OUTPUT_TOKENS), DSL.inline(BigDecimal.ZERO)).cast(Long.class).as("usage_output"),
          DSL.coalesce(DSL.max(USAGE_EVENTS.ESTIMATED.cast(Integer.class)), DSL.inline(0)).as("usage_estimated"))
      .from(USAGE_EVENTS)
      .where(TURN_EVENTS)
      .asTable("usage_totals");
  /** The last event (by time, then id), for its provider and model: no row without events. */
  private static final Table<?> LAST = DSL.select(USAGE_EVENTS.PROVIDER.as("usage_provider"), USAGE_EVENTS.MODEL.as("usage_model"))
      .from(USAGE_EVENTS)
      .where(TURN_EVENTS)
      .orderBy(USAGE_EVENTS.OCCURRED_AT.desc(), USAGE_EVENTS.ID.desc())
      .limit(DSL.inline(1))
      .asTable("usage_last");
  private static final Field<Integer> EVENTS = TOTALS.field("usage_events", Integer.class);
  private static final Field<Long> INPUT = TOTALS.field("usage_input", Long.class);
  private static final Field<Long> OUTPUT = TOTALS.field("usage_output", Long.class);
  private static final Field<Integer> ESTIMATED = TOTALS.field("usage_estimated", Integer.class);
  private static final Field<String> PROVIDER = LAST.field("usage_provider", String.class);
  private static final Field<String> MODEL = LAST.field("usage_model", String.class);

  /**
   * Binds the company and the turn three times, in the order of the text: the totals, the last event,
   * the turn row. Two derived tables instead of six correlated subqueries: a shorter text to send and
   * two index reads of the turn's events instead of six.
   */
  private final RenderedSelect find = new RenderedSelect(db -> {
    List<SelectField<?>> columns = new ArrayList<>(List.of(TURNS.fields()));
    columns.addAll(List.of(MESSAGES.fields()));
    columns.addAll(List.of(EVENTS, INPUT, OUTPUT, ESTIMATED, PROVIDER, MODEL));
    return db.select(columns)
        .from(TURNS)
        .leftJoin(MESSAGES).on(MESSAGES.COMPANY_ID.eq(TURNS.COMPANY_ID).and(MESSAGES.ID.eq(TURNS.ASSISTANT_MESSAGE_ID)))
        .crossJoin(TOTALS)
        .leftJoin(LAST).on(DSL.trueCondition())
        .where(TURNS.COMPANY_ID.eq(DSL.param("company", String.class)).and(TURNS.ID.eq(DSL.param("turn", String.class))));
  });

  private final DSLContext db;

  public TurnViewReads(DSLContext db) {
    this.db = db;
  }

  /** Empty when the company has no such turn. */
  public Optional<TurnWithAnswer> find(CompanyId company, String turnId) {
    return find.with(db, company.value(), turnId, company.value(), turnId, company.value(), turnId)
        .fetchOptional()
        .map(r -> new TurnWithAnswer(
            TurnRepository.toRow(r),
            r.get(MESSAGES.ID) == null ? Optional.empty() : Optional.of(MessageRepository.toRow(r)),
            summary(r)));
  }

  private static UsageSummary summary(Record r) {
    Integer count = r.get(EVENTS);
    Long in = r.get(INPUT);
    Long out = r.get(OUTPUT);
    Integer anyEstimated = r.get(ESTIMATED);
    return new UsageSummary(
        count == null ? 0 : count, in == null ? 0 : in, out == null ? 0 : out, anyEstimated != null && anyEstimated > 0,
        r.get(PROVIDER), r.get(MODEL));
  }
}
