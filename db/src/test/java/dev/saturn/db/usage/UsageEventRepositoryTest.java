package dev.saturn.db.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UsageEventRepositoryTest {

  static TestDatabase database;
  static DSLContext db;
  static UsageEventRepository usage;

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    db = database.dsl();
    usage = new UsageEventRepository(db, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @Test
  void givenSameIdempotencyKey_whenRecordedTwice_itShouldStoreOneEvent() {
    CompanyId company = Fixtures.company(db);
    String turnId = Ids.newId();

    boolean first = usage.recordOnce(company, event(company, turnId, "turn:" + turnId + ":llm:1", 12, 7));
    boolean retry = usage.recordOnce(company, event(company, turnId, "turn:" + turnId + ":llm:1", 99, 99));

    assertThat(first).isTrue();
    assertThat(retry).isFalse();
    assertThat(usage.listForTurn(company, turnId))
        .singleElement()
        .satisfies(e -> {
          assertThat(e.inputTokens()).isEqualTo(12);
          assertThat(e.outputTokens()).isEqualTo(7);
        });
  }

  @Test
  void givenAListener_whenTheSameEventIsRecordedTwice_itShouldBeToldOnce() {
    java.util.List<UsageEvent> told = new java.util.ArrayList<>();
    UsageEventRepository listened = new UsageEventRepository(db, Clock.systemUTC(), java.util.List.of(told::add));
    CompanyId company = Fixtures.company(db);
    String turnId = Ids.newId();
    UsageEvent event = event(company, turnId, "turn:" + turnId + ":llm:1", 12, 7);

    listened.recordOnce(company, event);
    listened.recordOnce(company, event(company, turnId, "turn:" + turnId + ":llm:1", 12, 7));

    assertThat(told).containsExactly(event);
  }

  @Test
  void givenEventsOfTwoCompanies_whenListed_itShouldOnlyShowTheCallersOwn() {
    CompanyId a = Fixtures.company(db);
    CompanyId b = Fixtures.company(db);
    String turnId = Ids.newId();
    usage.recordOnce(a, event(a, turnId, "k-a", 1, 1));

    assertThat(usage.listForTurn(b, turnId)).isEmpty();
    assertThat(usage.listForTurn(a, turnId)).hasSize(1);
  }

  @Test
  void givenAnyUpdateOrDelete_whenRun_theAppendOnlyGuardShouldFailIt() {
    CompanyId company = Fixtures.company(db);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> db.update(dev.saturn.db.jooq.Tables.USAGE_EVENTS)
            .set(dev.saturn.db.jooq.Tables.USAGE_EVENTS.INPUT_TOKENS, 0L)
            .where(dev.saturn.db.jooq.Tables.USAGE_EVENTS.COMPANY_ID.eq(company.value())).execute())
        .isInstanceOf(AssertionError.class).hasMessageContaining("append-only");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> db.deleteFrom(dev.saturn.db.jooq.Tables.PROVIDER_ATTEMPTS)
            .where(dev.saturn.db.jooq.Tables.PROVIDER_ATTEMPTS.COMPANY_ID.eq(company.value())).execute())
        .isInstanceOf(AssertionError.class).hasMessageContaining("append-only");
  }

  @Test
  void givenEvents_whenRecorded_theyShouldBeBilledInTheMonthTheyOccurredIn() {
    CompanyId company = Fixtures.company(db);
    usage.recordOnce(company, new UsageEvent(Ids.newId(), company.value(), null, null, null, "llm", "p", "m", 3, 4, 1,
        false, "k-oct", Instant.parse("2026-10-31T23:59:59.999Z")));
    usage.recordOnce(company, new UsageEvent(Ids.newId(), company.value(), null, null, null, "llm", "p", "m", 5, 6, 1,
        false, "k-nov", Instant.parse("2026-11-01T00:00:00Z")));
    UsageQueries queries = new UsageQueries(db);

    assertThat(queries.billableTokens(company, dev.saturn.db.billing.BillingPeriod.of("2026-10"))).isEqualTo(7);
    assertThat(queries.billableTokens(company, dev.saturn.db.billing.BillingPeriod.of("2026-11"))).isEqualTo(11);
  }

  @Test
  void givenEventsOfTwoModelsOnTwoDays_whenGroupedForPricing_itShouldSumPerDayKindAndModelOfTheCompanyOnly() {
    CompanyId company = Fixtures.company(db);
    CompanyId other = Fixtures.company(db);
    usage.recordOnce(company, new UsageEvent(Ids.newId(), company.value(), null, null, null, "llm", "p", "m1", 3, 4, 1,
        false, "p-1", Instant.parse("2026-10-02T10:00:00Z")));
    usage.recordOnce(company, new UsageEvent(Ids.newId(), company.value(), null, null, null, "llm", "p", "m1", 5, 6, 1,
        false, "p-2", Instant.parse("2026-10-02T23:00:00Z")));
    usage.recordOnce(company, new UsageEvent(Ids.newId(), company.value(), null, null, null, "llm", "p", "m2", 1, 1, 1,
        false, "p-3", Instant.parse("2026-10-03T00:00:00Z")));
    usage.recordOnce(other, new UsageEvent(Ids.newId(), other.value(), null, null, null, "llm", "p", "m1", 100, 100, 1,
        false, "p-4", Instant.parse("2026-10-02T10:00:00Z")));
    UsageQueries queries = new UsageQueries(db);

    var groups = queries.pricedGroups(company, Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-11-01T00:00:00Z"),
        UsageQueries.GroupBy.DAY);

    assertThat(groups).containsExactly(
        new UsageQueries.PricedGroup("2026-10-02", new dev.saturn.db.billing.UsageAggregate("llm", "m1", 2, 8, 10, 2)),
        new UsageQueries.PricedGroup("2026-10-03", new dev.saturn.db.billing.UsageAggregate("llm", "m2", 1, 1, 1, 1)));
  }

  private static UsageEvent event(CompanyId company, String turnId, String key, long in, long out) {
    return new UsageEvent(Ids.newId(), company.value(), null, null, turnId, "llm", "openai", "gpt", in, out, 1, false, key,
        Instant.now());
  }
}
