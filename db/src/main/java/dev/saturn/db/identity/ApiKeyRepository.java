package dev.saturn.db.identity;

import static dev.saturn.db.jooq.Tables.API_KEYS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Times;
import java.time.Instant;
import java.util.Optional;
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

  /** Coarse on purpose: at most one write per key per minute, so authentication stays read-mostly. */
  public void touchLastUsed(CompanyId company, String keyId, Instant now) {
    db.update(API_KEYS)
        .set(API_KEYS.LAST_USED_AT, Times.toDb(now))
        .where(API_KEYS.COMPANY_ID.eq(company.value())
            .and(API_KEYS.ID.eq(keyId))
            .and(API_KEYS.LAST_USED_AT.isNull().or(API_KEYS.LAST_USED_AT.lt(Times.toDb(now.minusSeconds(60))))))
        .execute();
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
        Times.fromDb(r.get(API_KEYS.GRACE_UNTIL)));
  }
}
