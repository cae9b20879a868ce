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
  void givenEventsOfTwoCompanies_whenListed_itShouldOnlyShowTheCallersOwn() {
    CompanyId a = Fixtures.company(db);
    CompanyId b = Fixtures.company(db);
    String turnId = Ids.newId();
    usage.recordOnce(a, event(a, turnId, "k-a", 1, 1));

    assertThat(usage.listForTurn(b, turnId)).isEmpty();
    assertThat(usage.listForTurn(a, turnId)).hasSize(1);
  }

  private static UsageEvent event(CompanyId company, String turnId, String key, long in, long out) {
    return new UsageEvent(Ids.newId(), company.value(), null, null, turnId, "llm", "openai", "gpt", in, out, 1, false, key,
        Instant.now());
  }
}
