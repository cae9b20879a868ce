package dev.saturn.db.testing;

import static dev.saturn.db.jooq.Tables.AGENTS;
import static dev.saturn.db.jooq.Tables.API_KEYS;
import static dev.saturn.db.jooq.Tables.COMPANIES;
import static dev.saturn.db.jooq.Tables.MESSAGES;
import static dev.saturn.db.jooq.Tables.USERS;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TenantGuardTest {

  static TestDatabase database;
  static DSLContext db;

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    db = database.dsl();
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @Test
  void givenSelectWithoutCompany_whenExecuted_itShouldFail() {
    assertThatThrownBy(() -> db.selectFrom(AGENTS).where(AGENTS.ID.eq("a")).fetch())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("agents");
  }

  @Test
  void givenUpdateAndDeleteWithoutCompany_whenExecuted_itShouldFail() {
    assertThatThrownBy(() -> db.update(MESSAGES).set(MESSAGES.CONTENT, "x").where(MESSAGES.ID.eq("m")).execute())
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> db.deleteFrom(MESSAGES).execute()).isInstanceOf(AssertionError.class);
  }

  @Test
  void givenCompanyPredicate_whenExecuted_itShouldPass() {
    assertThatCode(() -> db.selectFrom(AGENTS).where(AGENTS.COMPANY_ID.eq("c").and(AGENTS.ID.eq("a"))).fetch())
        .doesNotThrowAnyException();
  }

  @Test
  void givenCompanyInOrBranchOnly_whenChecked_itShouldStillNeedAnEquality() {
    assertThatThrownBy(() -> db.selectFrom(AGENTS).where(AGENTS.COMPANY_ID.ne("c")).fetch())
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void givenTheOperatorsCompanyListing_whenExecuted_itShouldPassButAnyOtherCompanyScanShouldNot() {
    assertThatCode(() -> db.selectFrom(COMPANIES).orderBy(COMPANIES.ID).limit(3).fetch()).doesNotThrowAnyException();
    assertThatCode(() -> db.selectFrom(COMPANIES).where(COMPANIES.ID.gt("c")).orderBy(COMPANIES.ID).limit(3).fetch())
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> db.selectFrom(COMPANIES).where(COMPANIES.STATUS.eq("active")).orderBy(COMPANIES.ID).limit(3).fetch())
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> db.select(COMPANIES.ID, AGENTS.NAME).from(COMPANIES).join(AGENTS).on(AGENTS.NAME.eq(COMPANIES.NAME))
            .orderBy(COMPANIES.ID).limit(3).fetch())
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> db.update(COMPANIES).set(COMPANIES.STATUS, "suspended").execute())
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void givenTheConsoleSignInsEmailLookup_whenExecuted_itShouldPassButNoOtherJoinOfUsersToCompanies() {
    assertThatCode(() -> db.select(USERS.COMPANY_ID, COMPANIES.NAME).from(USERS).join(COMPANIES).on(COMPANIES.ID.eq(USERS.COMPANY_ID))
            .where(USERS.EMAIL.eq("a@example.test")).orderBy(COMPANIES.NAME, USERS.COMPANY_ID).limit(20).fetch())
        .doesNotThrowAnyException();
    // The same join reading anything else of the users (a password hash) is a cross-tenant read.
    assertThatThrownBy(() -> db.select(USERS.PASSWORD_HASH, COMPANIES.NAME).from(USERS).join(COMPANIES)
            .on(COMPANIES.ID.eq(USERS.COMPANY_ID)).where(USERS.EMAIL.eq("a@example.test"))
            .orderBy(COMPANIES.NAME, USERS.COMPANY_ID).limit(20).fetch())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no company bound");
    assertThatThrownBy(() -> db.select(USERS.COMPANY_ID, COMPANIES.NAME).from(USERS).join(COMPANIES)
            .on(COMPANIES.ID.eq(USERS.COMPANY_ID)).where(USERS.NAME.eq("Ada")).fetch())
        .isInstanceOf(AssertionError.class);
    // A user row reached through a join to another table's company column is no more bound.
    assertThatThrownBy(() -> db.select(USERS.EMAIL).from(AGENTS).join(USERS).on(USERS.COMPANY_ID.eq(AGENTS.COMPANY_ID))
            .where(AGENTS.COMPANY_ID.eq(AGENTS.COMPANY_ID)).fetch())
        .isInstanceOf(AssertionError.class);
    // Bound to a company, the join is an ordinary tenant query.
    assertThatCode(() -> db.select(USERS.EMAIL, COMPANIES.NAME).from(USERS).join(COMPANIES).on(COMPANIES.ID.eq(USERS.COMPANY_ID))
            .where(USERS.COMPANY_ID.eq("c")).fetch())
        .doesNotThrowAnyException();
  }

  @Test
  void givenAuthenticationPrefixLookup_whenExecuted_itShouldBeTheOneException() {
    assertThatCode(() -> db.selectFrom(API_KEYS).where(API_KEYS.PREFIX.eq("p")).fetch()).doesNotThrowAnyException();
    assertThatThrownBy(() -> db.selectFrom(API_KEYS).where(API_KEYS.NAME.eq("p")).fetch())
        .isInstanceOf(AssertionError.class);
  }
}
