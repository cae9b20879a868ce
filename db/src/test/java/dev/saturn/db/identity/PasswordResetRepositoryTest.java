package dev.saturn.db.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PasswordResetRepositoryTest {

  static TestDatabase database;
  static DSLContext db;
  static PasswordResetRepository resets;
  static UserRepository users;

  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    db = database.dsl();
    resets = new PasswordResetRepository(db);
    users = new UserRepository(db, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @Test
  void givenAReset_whenConsumedTwice_itShouldAnswerTheUserOnlyOnce() {
    CompanyId company = Fixtures.company(db);
    String userId = users.create(company, "a@reset.test", null, null, Role.VIEWER).id();
    resets.replace(company, userId, "a".repeat(64), NOW, NOW.plus(Duration.ofHours(1)));

    assertThat(resets.consume(company, "a".repeat(64), NOW)).contains(userId);
    assertThat(resets.consume(company, "a".repeat(64), NOW)).isEmpty();
  }

  @Test
  void givenANewerReset_whenTheOlderHashIsConsumed_itShouldBeUnknown() {
    CompanyId company = Fixtures.company(db);
    String userId = users.create(company, "b@reset.test", null, null, Role.VIEWER).id();
    resets.replace(company, userId, "1".repeat(64), NOW, NOW.plus(Duration.ofHours(1)));
    resets.replace(company, userId, "2".repeat(64), NOW, NOW.plus(Duration.ofHours(1)));

    assertThat(resets.consume(company, "1".repeat(64), NOW)).isEmpty();
    assertThat(resets.consume(company, "2".repeat(64), NOW)).contains(userId);
  }

  @Test
  void givenAnExpiredReset_whenConsumed_itShouldAnswerNothingAndBeGone() {
    CompanyId company = Fixtures.company(db);
    String userId = users.create(company, "c@reset.test", null, null, Role.VIEWER).id();
    resets.replace(company, userId, "c".repeat(64), NOW, NOW.plus(Duration.ofMinutes(1)));

    assertThat(resets.consume(company, "c".repeat(64), NOW.plus(Duration.ofMinutes(2)))).isEmpty();
    assertThat(db.fetchCount(db.selectFrom("password_resets").where("company_id = ?", company.value()))).isZero();
  }

  @Test
  void givenAResetOfAnotherCompany_whenConsumedWithItsHash_itShouldBeUnknown() {
    CompanyId company = Fixtures.company(db);
    CompanyId other = Fixtures.company(db);
    String userId = users.create(company, "d@reset.test", null, null, Role.VIEWER).id();
    resets.replace(company, userId, "d".repeat(64), NOW, NOW.plus(Duration.ofHours(1)));

    assertThat(resets.consume(other, "d".repeat(64), NOW)).isEmpty();
    assertThat(resets.consume(company, "d".repeat(64), NOW)).contains(userId);
  }
}
