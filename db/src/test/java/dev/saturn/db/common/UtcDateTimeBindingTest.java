package dev.saturn.db.common;

import static dev.saturn.db.jooq.Tables.COMPANIES;
import static dev.saturn.db.jooq.Tables.TURNS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.TestDatabase;
import java.time.LocalDateTime;
import java.util.TimeZone;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DATETIME(6) columns cross JDBC as the UTC wall time they hold ({@link UtcDateTimeBinding}), whatever
 * the JVM's own time zone: here Berlin, where 02:00–03:00 on 2026-03-29 does not exist locally.
 */
class UtcDateTimeBindingTest {

  /** A UTC wall time inside Berlin's spring-forward gap, with microseconds. */
  static final LocalDateTime IN_THE_GAP = LocalDateTime.of(2026, 3, 29, 2, 30, 0, 123_456_000);

  static TestDatabase database;
  static DSLContext db;
  TimeZone before;

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    db = database.dsl();
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @BeforeEach
  void berlin() {
    before = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("Europe/Berlin"));
  }

  @AfterEach
  void restore() {
    TimeZone.setDefault(before);
  }

  @Test
  void givenAJvmInBerlin_whenAUtcTimeInItsGapIsWritten_itShouldBeStoredAndReadAsThatTime() {
    CompanyId company = Fixtures.company(db);
    db.update(COMPANIES).set(COMPANIES.CREATED_AT, IN_THE_GAP)
        .where(COMPANIES.ID.eq(company.value())).execute();

    String stored = db.select(DSL.field("date_format(created_at, '%Y-%m-%d %H:%i:%s.%f')", String.class))
        .from(COMPANIES).where(COMPANIES.ID.eq(company.value())).fetchOne(0, String.class);
    assertThat(stored).isEqualTo("2026-03-29 02:30:00.123456");
    assertThat(db.select(COMPANIES.CREATED_AT).from(COMPANIES).where(COMPANIES.ID.eq(company.value()))
        .fetchOne(COMPANIES.CREATED_AT)).isEqualTo(IN_THE_GAP);
  }

  @Test
  void givenAStatementWithItsValuesInlined_whenItRuns_itShouldFindTheRowByItsTime() {
    CompanyId company = Fixtures.company(db);
    db.update(COMPANIES).set(COMPANIES.CREATED_AT, IN_THE_GAP)
        .where(COMPANIES.ID.eq(company.value())).execute();
    var query = db.select(COMPANIES.ID).from(COMPANIES)
        .where(COMPANIES.ID.eq(company.value()).and(COMPANIES.CREATED_AT.eq(IN_THE_GAP)));

    String inlined = db.renderInlined(query);
    assertThat(inlined).contains("2026-03-29 02:30:00.123456");
    assertThat(db.resultQuery(inlined).fetch()).hasSize(1);
    assertThat(db.renderInlined(db.select(DSL.val((LocalDateTime) null, TURNS.COMPLETED_AT)))).contains("null");
  }

  @Test
  void givenATypedNullOrValue_whenBoundAndReadBack_itShouldComeBackAsIs() {
    assertThat(db.select(DSL.val((LocalDateTime) null, TURNS.COMPLETED_AT)).fetchOne(0, LocalDateTime.class)).isNull();
    assertThat(db.select(DSL.val(IN_THE_GAP, TURNS.COMPLETED_AT)).fetchOne(0, LocalDateTime.class))
        .isEqualTo(IN_THE_GAP);
  }
}
