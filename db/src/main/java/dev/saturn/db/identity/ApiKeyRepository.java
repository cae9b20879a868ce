package dev.saturn.db.identity;

import static dev.saturn.db.jooq.Tables.API_KEYS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Cursors;
import dev.saturn.db.common.Page;
import dev.saturn.db.common.Times;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSON;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

@Repository
public class ApiKeyRepository {

  private final DSLContext db;

  public ApiKeyRepository(DSLContext db) {
    this.db = db;
  }

  public void insert(CompanyId company, ApiKeyRow key) {
    if (!company.value().equals(key.companyId())) {
      throw new IllegalArgumentException("key belongs to another company");
    }
    db.insertInto(API_KEYS)
        .set(API_KEYS.ID, key.id())
        .set(API_KEYS.COMPANY_ID, company.value())
        .set(API_KEYS.USER_ID, key.userId())
        .set(API_KEYS.NAME, key.name())
        .set(API_KEYS.PREFIX, key.prefix())
        .set(API_KEYS.KEY_HASH, key.keyHash())
        .set(API_KEYS.SCOPES, JSON.valueOf(key.scopesJson()))
        .set(API_KEYS.STATUS, key.status())
        .set(API_KEYS.CREATED_AT, Times.toDb(key.createdAt()))
        .set(API_KEYS.EXPIRES_AT, Times.toDb(key.expiresAt()))
        .execute();
  }

  /**
   * The one lookup that precedes knowing the tenant: authentication finds a key by its public
   * prefix, then compares the hash. The tenant guard allows exactly this statement.
   */
  public Optional<ApiKeyRow> findForAuthentication(String prefix) {
    return db.selectFrom(API_KEYS).where(API_KEYS.PREFIX.eq(prefix)).fetchOptional().map(ApiKeyRepository::toRow);
  }

  public Optional<ApiKeyRow> find(CompanyId company, String keyId) {
    return db.selectFrom(API_KEYS)
        .where(API_KEYS.COMPANY_ID.eq(company.value()).and(API_KEYS.ID.eq(keyId)))
        .fetchOptional()
        .map(ApiKeyRepository::toRow);
  }

  /** Newest first; the cursor is the (created_at, id) of the last key of the previous page. */
  public Page<ApiKeyRow> list(CompanyId company, String cursor, int limit) {
    Condition where = API_KEYS.COMPANY_ID.eq(company.value());
    if (cursor != null) {
      String[] key = Cursors.decode(cursor).split("\\|", 2);
      if (key.length != 2) {
        throw new Cursors.InvalidCursorException();
      }
      LocalDateTime createdAt = parseTime(key[0]);
      where = where.and(API_KEYS.CREATED_AT.lt(createdAt)
          .or(API_KEYS.CREATED_AT.eq(createdAt).and(API_KEYS.ID.lt(key[1]))));
    }
    List<ApiKeyRow> rows = db.selectFrom(API_KEYS)
        .where(where)
        .orderBy(API_KEYS.CREATED_AT.desc(), API_KEYS.ID.desc())
        .limit(limit + 1)
        .fetch(ApiKeyRepository::toRow);
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    ApiKeyRow last = rows.get(limit - 1);
    return new Page<>(rows.subList(0, limit), Cursors.encode(Times.toDb(last.createdAt()) + "|" + last.id()));
  }

  /**
   * Revokes a key that is active or rotated (in grace or not); it stops working at once.
   *
   * @return false when no such key of this company was still unrevoked
   */
  public boolean revoke(CompanyId company, String keyId, Instant now) {
    return db.update(API_KEYS)
        .set(API_KEYS.STATUS, ApiKeyRow.REVOKED)
        .set(API_KEYS.REVOKED_AT, Times.toDb(now))
        .where(API_KEYS.COMPANY_ID.eq(company.value())
            .and(API_KEYS.ID.eq(keyId))
            .and(API_KEYS.STATUS.in(ApiKeyRow.ACTIVE, ApiKeyRow.ROTATED)))
        .execute() == 1;
  }

  /**
   * Marks an active key as replaced by {@code replacedBy}; it keeps working until {@code graceUntil}.
   * Only an active key can be rotated, so two concurrent rotations cannot both succeed.
   *
   * @return false when no such key of this company was active
   */
  public boolean markRotated(CompanyId company, String keyId, String replacedBy, Instant graceUntil) {
    return db.update(API_KEYS)
        .set(API_KEYS.STATUS, ApiKeyRow.ROTATED)
        .set(API_KEYS.GRACE_UNTIL, Times.toDb(graceUntil))
        .set(API_KEYS.REPLACED_BY, replacedBy)
        .where(API_KEYS.COMPANY_ID.eq(company.value())
            .and(API_KEYS.ID.eq(keyId))
            .and(API_KEYS.STATUS.eq(ApiKeyRow.ACTIVE)))
        .execute() == 1;
  }

  /** Coarse on purpose: at most one write per key per minute, so authentication stays read-mostly. */
  public void touchLastUsed(CompanyId company, String keyId, Instant now) {
    db.update(API_KEYS)
        .set(API_KEYS.LAST_USED_AT, Times.toDb(now))
        .where(API_KEYS.COMPANY_ID.eq(company.value())
            .and(API_KEYS.ID.eq(keyId))
            .and(API_KEYS.LAST_USED_AT.isNull().or(API_KEYS.LAST_USED_AT.lt(Times.toDb(now.minusSeconds(60))))))
        .execute();
  }

  private static LocalDateTime parseTime(String value) {
    try {
      return LocalDateTime.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      throw new Cursors.InvalidCursorException();
    }
  }

  private static ApiKeyRow toRow(Record r) {
    return new ApiKeyRow(
        r.get(API_KEYS.ID),
        r.get(API_KEYS.COMPANY_ID),
        r.get(API_KEYS.USER_ID),
        r.get(API_KEYS.NAME),
        r.get(API_KEYS.PREFIX),
        r.get(API_KEYS.KEY_HASH),
        r.get(API_KEYS.SCOPES).data(),
        r.get(API_KEYS.STATUS),
        Times.fromDb(r.get(API_KEYS.CREATED_AT)),
        Times.fromDb(r.get(API_KEYS.EXPIRES_AT)),
        Times.fromDb(r.get(API_KEYS.LAST_USED_AT)),
        Times.fromDb(r.get(API_KEYS.REVOKED_AT)),
        Times.fromDb(r.get(API_KEYS.GRACE_UNTIL)),
        r.get(API_KEYS.REPLACED_BY));
  }
}
