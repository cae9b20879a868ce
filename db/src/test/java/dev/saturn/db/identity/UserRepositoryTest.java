package dev.saturn.db.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.common.Page;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.TestDatabase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UserRepositoryTest {

  static TestDatabase database;
  static DSLContext db;
  static UserRepository users;

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    db = database.dsl();
    users = new UserRepository(db, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @Test
  void givenTakenEmail_whenCreatedAgain_itShouldWriteNothingAndSayEmpty() {
    CompanyId company = Fixtures.company(db);
    UserRow first = users.createIfEmailFree(company, Ids.newId(), "Ann@Example.test", "Ann", "hash", Role.ADMIN)
        .orElseThrow();

    assertThat(first.role()).isEqualTo(Role.ADMIN);
    assertThat(first.status()).isEqualTo(UserRepository.ACTIVE);
    assertThat(users.createIfEmailFree(company, Ids.newId(), "ann@example.test", null, null, Role.VIEWER))
        .isEmpty();
    assertThat(users.list(company, null, 50).items()).extracting(UserRow::id).containsExactly(first.id());
    // Another company may use the same email.
    assertThat(users.createIfEmailFree(Fixtures.company(db), Ids.newId(), "ann@example.test", null, null,
        Role.OWNER)).isPresent();
  }

  @Test
  void givenUser_whenCredentialsLookedUp_itShouldFindThemByEmailInTheCompanyOnly() {
    CompanyId company = Fixtures.company(db);
    CompanyId other = Fixtures.company(db);
    UserRow user = users.create(company, "dev@example.test", "Dev", "$2a$10$hash", Role.DEVELOPER);

    assertThat(users.findCredentials(company, "DEV@example.test")).get().satisfies(c -> {
      assertThat(c.userId()).isEqualTo(user.id());
      assertThat(c.passwordHash()).isEqualTo("$2a$10$hash");
      assertThat(c.role()).isEqualTo(Role.DEVELOPER);
      assertThat(c.status()).isEqualTo("active");
    });
    assertThat(users.findCredentials(other, "dev@example.test")).isEmpty();
    assertThat(users.findCredentials(company, "nobody@example.test")).isEmpty();
  }

  @Test
  void givenAnEmailInTwoCompanies_whenItsCompaniesAreLookedUp_itShouldNameBothAndNoOther() {
    CompanyId first = Fixtures.company(db);
    CompanyId second = Fixtures.company(db);
    CompanyId unrelated = Fixtures.company(db);
    users.create(first, "twice@example.test", "A", null, Role.VIEWER);
    users.create(second, "Twice@Example.test", "B", null, Role.OWNER);
    users.create(unrelated, "someone-else@example.test", "C", null, Role.OWNER);

    List<UserRepository.EmailCompany> companies = users.companiesOfEmail("twice@example.test", 20);

    assertThat(companies).extracting(UserRepository.EmailCompany::companyId)
        .containsExactlyInAnyOrder(first.value(), second.value());
    assertThat(companies).allSatisfy(c -> assertThat(c.companyName()).isNotBlank());
    assertThat(users.companiesOfEmail("twice@example.test", 1)).hasSize(1);
    assertThat(users.companiesOfEmail("nobody@example.test", 20)).isEmpty();
  }

  @Test
  void givenUser_whenRoleNameAndStatusChange_itShouldReadThemBackAndNotTouchOtherCompanies() {
    CompanyId company = Fixtures.company(db);
    CompanyId other = Fixtures.company(db);
    UserRow user = users.create(company, "x@example.test", "X", null, Role.VIEWER);

    assertThat(users.updateRole(other, user.id(), Role.OWNER)).isFalse();
    assertThat(users.setStatus(other, user.id(), UserRepository.INACTIVE)).isFalse();
    assertThat(users.updateName(other, user.id(), "hijacked")).isFalse();
    assertThat(users.updateRole(company, user.id(), Role.ADMIN)).isTrue();
    assertThat(users.updateName(company, user.id(), "Xavier")).isTrue();
    assertThat(users.setStatus(company, user.id(), UserRepository.INACTIVE)).isTrue();

    assertThat(users.find(company, user.id())).get().satisfies(u -> {
      assertThat(u.role()).isEqualTo(Role.ADMIN);
      assertThat(u.name()).isEqualTo("Xavier");
      assertThat(u.status()).isEqualTo("inactive");
    });
    assertThat(users.find(other, user.id())).isEmpty();
  }

  @Test
  void givenOwners_whenCounted_itShouldCountOnlyActiveOwnersOfTheCompany() {
    CompanyId company = Fixtures.company(db);
    UserRow a = users.create(company, "a@example.test", null, null, Role.OWNER);
    users.create(company, "b@example.test", null, null, Role.OWNER);
    users.create(company, "c@example.test", null, null, Role.ADMIN);
    users.create(Fixtures.company(db), "d@example.test", null, null, Role.OWNER);

    assertThat(users.countActiveOwners(company)).isEqualTo(2);
    users.setStatus(company, a.id(), UserRepository.INACTIVE);
    assertThat(users.countActiveOwners(company)).isEqualTo(1);
  }

  @Test
  void givenSeveralUsers_whenPaged_itShouldListEachOnceNewestFirst() {
    CompanyId company = Fixtures.company(db);
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(users.create(company, "p" + i + "@example.test", null, null, Role.VIEWER).id());
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      Page<UserRow> page = users.list(company, cursor, 2);
      page.items().forEach(u -> seen.add(u.id()));
      cursor = page.nextCursor();
    } while (cursor != null);

    assertThat(seen).containsExactlyInAnyOrderElementsOf(created).doesNotHaveDuplicates();
    assertThat(seen.get(0)).isEqualTo(created.get(4));
  }

  @Test
  void givenLockHeld_whenAnotherTransactionLocks_itShouldWaitForTheCommit() throws Exception {
    CompanyId company = Fixtures.company(db);
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> holder = pool.submit(() -> database.transactions().executeWithoutResult(status -> {
        users.lockMembershipChanges(company);
        locked.countDown();
        await(release);
      }));
      assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
      Future<Long> waiter = pool.submit(() -> database.transactions().execute(status -> {
        long before = System.nanoTime();
        users.lockMembershipChanges(company);
        return System.nanoTime() - before;
      }));
      Thread.sleep(300);
      assertThat(waiter.isDone()).as("second lock waits while the first transaction is open").isFalse();
      release.countDown();
      holder.get(10, TimeUnit.SECONDS);
      assertThat(TimeUnit.NANOSECONDS.toMillis(waiter.get(10, TimeUnit.SECONDS))).isGreaterThanOrEqualTo(250);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
