package dev.saturn.db.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Cursors;
import dev.saturn.db.common.Ids;
import dev.saturn.db.common.Page;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.TestDatabase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ApiKeyRepositoryTest {

  static TestDatabase database;
  static DSLContext db;
  static ApiKeyRepository keys;
  static PlanRepository plans;

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    db = database.dsl();
    keys = new ApiKeyRepository(db);
    plans = new PlanRepository(db);
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  static ApiKeyRow key(CompanyId company, Instant createdAt) {
    String id = Ids.newId();
    ApiKeyRow row = new ApiKeyRow(id, company.value(), null, "k", id.substring(0, 12), "0".repeat(64), "[\"chat\"]",
        ApiKeyRow.ACTIVE, createdAt, null, null, null, null);
    keys.insert(company, row);
    return row;
  }

  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  @Test
  void givenActiveKey_whenRevoked_itShouldBeRevokedOnceWithItsTime() {
    CompanyId company = Fixtures.company(db);
    ApiKeyRow key = key(company, now());
    Instant at = now();

    assertThat(keys.revoke(company, key.id(), at)).isTrue();
    assertThat(keys.revoke(company, key.id(), at.plusSeconds(5))).isFalse();

    ApiKeyRow stored = keys.find(company, key.id()).orElseThrow();
    assertThat(stored.status()).isEqualTo(ApiKeyRow.REVOKED);
    assertThat(stored.revokedAt()).isEqualTo(at);
  }

  @Test
  void givenActiveKey_whenRotated_itShouldRecordGraceAndReplacementAndRefuseASecondRotation() {
    CompanyId company = Fixtures.company(db);
    ApiKeyRow old = key(company, now());
    ApiKeyRow replacement = key(company, now());
    Instant grace = now().plusSeconds(3600);

    assertThat(keys.markRotated(company, old.id(), replacement.id(), grace)).isTrue();
    assertThat(keys.markRotated(company, old.id(), Ids.newId(), grace)).isFalse();

    ApiKeyRow stored = keys.find(company, old.id()).orElseThrow();
    assertThat(stored.status()).isEqualTo(ApiKeyRow.ROTATED);
    assertThat(stored.graceUntil()).isEqualTo(grace);
    assertThat(stored.replacedBy()).isEqualTo(replacement.id());
    // A rotated key in grace can still be revoked.
    assertThat(keys.revoke(company, old.id(), now())).isTrue();
  }

  @Test
  void givenKeyOfAnotherCompany_whenFoundListedRevokedOrRotated_itShouldBeAsIfMissing() {
    CompanyId a = Fixtures.company(db);
    CompanyId b = Fixtures.company(db);
    ApiKeyRow key = key(a, now());

    assertThat(keys.find(b, key.id())).isEmpty();
    assertThat(keys.list(b, null, 50).items()).isEmpty();
    assertThat(keys.revoke(b, key.id(), now())).isFalse();
    assertThat(keys.markRotated(b, key.id(), Ids.newId(), now().plusSeconds(60))).isFalse();
    assertThat(keys.find(a, key.id()).orElseThrow().status()).isEqualTo(ApiKeyRow.ACTIVE);
    assertThatThrownBy(() -> keys.insert(b, key)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void givenSeveralKeys_whenPaged_itShouldListEachOnceNewestFirst() {
    CompanyId company = Fixtures.company(db);
    Instant base = now();
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(0, key(company, base.plusMillis(i)).id());
    }
    // Two keys at the same instant: the id breaks the tie, so neither is skipped.
    ApiKeyRow twinA = key(company, base.plusMillis(10));
    ApiKeyRow twinB = key(company, base.plusMillis(10));
    List<String> twins = twinA.id().compareTo(twinB.id()) > 0 ? List.of(twinA.id(), twinB.id()) : List.of(twinB.id(), twinA.id());
    created.addAll(0, twins);

    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      Page<ApiKeyRow> page = keys.list(company, cursor, 2);
      assertThat(page.items().size()).isLessThanOrEqualTo(2);
      page.items().forEach(k -> seen.add(k.id()));
      cursor = page.nextCursor();
    } while (cursor != null);

    assertThat(seen).containsExactlyElementsOf(created);
    assertThatThrownBy(() -> keys.list(company, Cursors.encode("garbage"), 2))
        .isInstanceOf(Cursors.InvalidCursorException.class);
  }

  @Test
  void givenCompanyOnTheDefaultPlan_whenRateLimitsRead_itShouldBeThePlansJson() {
    CompanyId company = Fixtures.company(db);

    assertThat(plans.rateLimitsJson(company)).get().asString()
        .contains("\"requests_per_minute\"").contains("600").contains("\"chat_turns_per_minute\"");
    assertThat(plans.rateLimitsJson(CompanyId.of(Ids.newId()))).isEmpty();
  }
}
