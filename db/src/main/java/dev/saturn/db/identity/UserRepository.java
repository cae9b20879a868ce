package dev.saturn.db.identity;

import static dev.saturn.db.jooq.Tables.MEMBERSHIPS;
import static dev.saturn.db.jooq.Tables.USERS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.common.Times;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

@Repository
public class UserRepository {

  private final DSLContext db;
  private final Clock clock;

  public UserRepository(DSLContext db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Creates the user and their membership with {@code role} in one transaction. */
  @Transactional
  public UserRow create(CompanyId company, String email, String name, String passwordHash, Role role) {
    String id = Ids.newId();
    LocalDateTime now = Times.toDb(clock.instant());
    db.insertInto(USERS)
        .set(USERS.ID, id)
        .set(USERS.COMPANY_ID, company.value())
        .set(USERS.EMAIL, email)
        .set(USERS.NAME, name)
        .set(USERS.PASSWORD_HASH, passwordHash)
        .set(USERS.STATUS, "active")
        .set(USERS.CREATED_AT, now)
        .set(USERS.UPDATED_AT, now)
        .execute();
    db.insertInto(MEMBERSHIPS)
        .set(MEMBERSHIPS.COMPANY_ID, company.value())
        .set(MEMBERSHIPS.USER_ID, id)
        .set(MEMBERSHIPS.ROLE, role.dbValue())
        .set(MEMBERSHIPS.CREATED_AT, now)
        .set(MEMBERSHIPS.UPDATED_AT, now)
        .execute();
    return find(company, id).orElseThrow();
  }

  public Optional<UserRow> find(CompanyId company, String userId) {
    return db.select(USERS.fields())
        .select(MEMBERSHIPS.ROLE)
        .from(USERS)
        .join(MEMBERSHIPS)
        .on(MEMBERSHIPS.USER_ID.eq(USERS.ID).and(MEMBERSHIPS.COMPANY_ID.eq(USERS.COMPANY_ID)))
        .where(USERS.COMPANY_ID.eq(company.value()).and(USERS.ID.eq(userId)))
        .fetchOptional()
        .map(UserRepository::toRow);
  }

  private static UserRow toRow(Record r) {
    return new UserRow(
        r.get(USERS.ID),
        r.get(USERS.COMPANY_ID),
        r.get(USERS.EMAIL),
        r.get(USERS.NAME),
        Role.fromDb(r.get(MEMBERSHIPS.ROLE)),
        r.get(USERS.STATUS),
        Times.fromDb(r.get(USERS.CREATED_AT)));
  }
}
