package dev.saturn.db.identity;

import static dev.saturn.db.jooq.Tables.COMPANIES;
import static dev.saturn.db.jooq.Tables.MEMBERSHIPS;
import static dev.saturn.db.jooq.Tables.USERS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Cursors;
import dev.saturn.db.common.DuplicateKeys;
import dev.saturn.db.common.Ids;
import dev.saturn.db.common.Page;
import dev.saturn.db.common.Times;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SelectOnConditionStep;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

@Repository
public class UserRepository {

  public static final String ACTIVE = "active";
  public static final String INACTIVE = "inactive";

  private final DSLContext db;
  private final Clock clock;

  public UserRepository(DSLContext db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Creates the user and their membership with {@code role} in one transaction. */
  @Transactional
  public UserRow create(CompanyId company, String email, String name, String passwordHash, Role role) {
    return createIfEmailFree(company, Ids.newId(), email, name, passwordHash, role)
        .orElseThrow(() -> new IllegalStateException("a user with this email already exists"));
  }

  /**
   * Creates the user with {@code id} and their membership; empty, with nothing written, when the
   * company already has a user with this email ({@code uq_users_company_email}).
   */
  @Transactional
  public Optional<UserRow> createIfEmailFree(
      CompanyId company, String id, String email, String name, String passwordHash, Role role) {
    LocalDateTime now = Times.toDb(clock.instant());
    boolean inserted = DuplicateKeys.insertOnce(() -> db.insertInto(USERS)
        .set(USERS.ID, id)
        .set(USERS.COMPANY_ID, company.value())
        .set(USERS.EMAIL, email)
        .set(USERS.NAME, name)
        .set(USERS.PASSWORD_HASH, passwordHash)
        .set(USERS.STATUS, ACTIVE)
        .set(USERS.CREATED_AT, now)
        .set(USERS.UPDATED_AT, now)
        .execute());
    if (!inserted) {
      return Optional.empty();
    }
    db.insertInto(MEMBERSHIPS)
        .set(MEMBERSHIPS.COMPANY_ID, company.value())
        .set(MEMBERSHIPS.USER_ID, id)
        .set(MEMBERSHIPS.ROLE, role.dbValue())
        .set(MEMBERSHIPS.CREATED_AT, now)
        .set(MEMBERSHIPS.UPDATED_AT, now)
        .execute();
    return find(company, id);
  }

  public Optional<UserRow> find(CompanyId company, String userId) {
    return selectUsers()
        .where(USERS.COMPANY_ID.eq(company.value()).and(USERS.ID.eq(userId)))
        .fetchOptional()
        .map(UserRepository::toRow);
  }

  /** For login: the user with this email in this company (emails compare as the column's collation does). */
  public Optional<UserCredentials> findCredentials(CompanyId company, String email) {
    return db.select(USERS.ID, USERS.COMPANY_ID, USERS.PASSWORD_HASH, USERS.STATUS, MEMBERSHIPS.ROLE)
        .from(USERS)
        .join(MEMBERSHIPS)
        .on(MEMBERSHIPS.USER_ID.eq(USERS.ID).and(MEMBERSHIPS.COMPANY_ID.eq(USERS.COMPANY_ID)))
        .where(USERS.COMPANY_ID.eq(company.value()).and(USERS.EMAIL.eq(email)))
        .fetchOptional()
        .map(r -> new UserCredentials(
            r.get(USERS.ID), r.get(USERS.COMPANY_ID), r.get(USERS.PASSWORD_HASH), Role.fromDb(r.get(MEMBERSHIPS.ROLE)),
            r.get(USERS.STATUS)));
  }

  /** A company in which an email has a user: what the console's sign-in form may offer to choose from. */
  public record EmailCompany(String companyId, String companyName) implements java.io.Serializable {}

  /**
   * For the console's sign-in, before the tenant is known: the companies in which this email has a
   * user (at most {@code limit}, by company name). Reads company ids and names only; the caller
   * checks the password in each before it shows any of them.
   */
  public List<EmailCompany> companiesOfEmail(String email, int limit) {
    return db.select(USERS.COMPANY_ID, COMPANIES.NAME)
        .from(USERS)
        .join(COMPANIES)
        .on(COMPANIES.ID.eq(USERS.COMPANY_ID))
        .where(USERS.EMAIL.eq(email))
        .orderBy(COMPANIES.NAME, USERS.COMPANY_ID)
        .limit(limit)
        .fetch(r -> new EmailCompany(r.get(USERS.COMPANY_ID), r.get(COMPANIES.NAME)));
  }

  /** Newest first; the cursor is the (created_at, id) of the last user of the previous page. */
  public Page<UserRow> list(CompanyId company, String cursor, int limit) {
    Condition where = USERS.COMPANY_ID.eq(company.value());
    if (cursor != null) {
      String[] key = Cursors.decode(cursor).split("\\|", 2);
      if (key.length != 2) {
        throw new Cursors.InvalidCursorException();
      }
      LocalDateTime createdAt = parseTime(key[0]);
      where = where.and(USERS.CREATED_AT.lt(createdAt).or(USERS.CREATED_AT.eq(createdAt).and(USERS.ID.lt(key[1]))));
    }
    List<UserRow> rows = selectUsers()
        .where(where)
        .orderBy(USERS.CREATED_AT.desc(), USERS.ID.desc())
        .limit(limit + 1)
        .fetch(UserRepository::toRow);
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    UserRow last = rows.get(limit - 1);
    return new Page<>(rows.subList(0, limit), Cursors.encode(Times.toDb(last.createdAt()) + "|" + last.id()));
  }

  /** @return whether the user exists in the company */
  public boolean updateRole(CompanyId company, String userId, Role role) {
    return db.update(MEMBERSHIPS)
        .set(MEMBERSHIPS.ROLE, role.dbValue())
        .set(MEMBERSHIPS.UPDATED_AT, Times.toDb(clock.instant()))
        .where(MEMBERSHIPS.COMPANY_ID.eq(company.value()).and(MEMBERSHIPS.USER_ID.eq(userId)))
        .execute() == 1;
  }

  /** @return whether the user exists in the company */
  public boolean updateName(CompanyId company, String userId, String name) {
    return db.update(USERS)
        .set(USERS.NAME, name)
        .set(USERS.UPDATED_AT, Times.toDb(clock.instant()))
        .where(USERS.COMPANY_ID.eq(company.value()).and(USERS.ID.eq(userId)))
        .execute() == 1;
  }

  /** @return whether the user exists in the company */
  public boolean setPasswordHash(CompanyId company, String userId, String passwordHash) {
    return db.update(USERS)
        .set(USERS.PASSWORD_HASH, passwordHash)
        .set(USERS.UPDATED_AT, Times.toDb(clock.instant()))
        .where(USERS.COMPANY_ID.eq(company.value()).and(USERS.ID.eq(userId)))
        .execute() == 1;
  }

  /** @param status {@link #ACTIVE} or {@link #INACTIVE}; @return whether the user exists in the company */
  public boolean setStatus(CompanyId company, String userId, String status) {
    return db.update(USERS)
        .set(USERS.STATUS, status)
        .set(USERS.UPDATED_AT, Times.toDb(clock.instant()))
        .where(USERS.COMPANY_ID.eq(company.value()).and(USERS.ID.eq(userId)))
        .execute() == 1;
  }

  /**
   * Locks the company row until the surrounding transaction ends, so that concurrent role and
   * status changes of one company run one after the other: "is this the last active owner?" then
   * stays true until the change commits. Needs a transaction.
   */
  public void lockMembershipChanges(CompanyId company) {
    db.select(COMPANIES.ID).from(COMPANIES).where(COMPANIES.ID.eq(company.value())).forUpdate().fetch();
  }

  public int countActiveOwners(CompanyId company) {
    return db.selectCount()
        .from(USERS)
        .join(MEMBERSHIPS)
        .on(MEMBERSHIPS.USER_ID.eq(USERS.ID).and(MEMBERSHIPS.COMPANY_ID.eq(USERS.COMPANY_ID)))
        .where(USERS.COMPANY_ID.eq(company.value())
            .and(USERS.STATUS.eq(ACTIVE))
            .and(MEMBERSHIPS.ROLE.eq(Role.OWNER.dbValue())))
        .fetchOne(0, int.class);
  }

  private SelectOnConditionStep<Record> selectUsers() {
    return db.select(USERS.fields())
        .select(MEMBERSHIPS.ROLE)
        .from(USERS)
        .join(MEMBERSHIPS)
        .on(MEMBERSHIPS.USER_ID.eq(USERS.ID).and(MEMBERSHIPS.COMPANY_ID.eq(USERS.COMPANY_ID)));
  }

  private static LocalDateTime parseTime(String value) {
    try {
      return LocalDateTime.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      throw new Cursors.InvalidCursorException();
    }
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
