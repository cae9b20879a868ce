package dev.saturn.db.identity;

import static dev.saturn.db.jooq.Tables.PASSWORD_RESETS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Times;
import java.time.Instant;
import java.util.Optional;
import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Pending password resets: one per user, stored as the SHA-256 of the token. */
@Repository
public class PasswordResetRepository {

  private final DSLContext db;

  public PasswordResetRepository(DSLContext db) {
    this.db = db;
  }

  /** Stores the user's reset token, replacing (and so invalidating) any earlier one. */
  public void replace(CompanyId company, String userId, String tokenHash, Instant createdAt, Instant expiresAt) {
    db.insertInto(PASSWORD_RESETS)
        .set(PASSWORD_RESETS.COMPANY_ID, company.value())
        .set(PASSWORD_RESETS.USER_ID, userId)
        .set(PASSWORD_RESETS.TOKEN_HASH, tokenHash)
        .set(PASSWORD_RESETS.CREATED_AT, Times.toDb(createdAt))
        .set(PASSWORD_RESETS.EXPIRES_AT, Times.toDb(expiresAt))
        .onDuplicateKeyUpdate()
        .set(PASSWORD_RESETS.TOKEN_HASH, tokenHash)
        .set(PASSWORD_RESETS.CREATED_AT, Times.toDb(createdAt))
        .set(PASSWORD_RESETS.EXPIRES_AT, Times.toDb(expiresAt))
        .execute();
  }

  /**
   * Deletes the reset with this token hash and answers its user, when it exists and has not
   * expired at {@code now}; an expired one is deleted too. Two concurrent calls cannot both win:
   * the row is locked, and only the call that deletes it answers the user.
   */
  @Transactional
  public Optional<String> consume(CompanyId company, String tokenHash, Instant now) {
    var row = db.select(PASSWORD_RESETS.USER_ID, PASSWORD_RESETS.EXPIRES_AT)
        .from(PASSWORD_RESETS)
        .where(PASSWORD_RESETS.COMPANY_ID.eq(company.value()).and(PASSWORD_RESETS.TOKEN_HASH.eq(tokenHash)))
        .forUpdate()
        .fetchOptional();
    if (row.isEmpty()) {
      return Optional.empty();
    }
    int deleted = db.deleteFrom(PASSWORD_RESETS)
        .where(PASSWORD_RESETS.COMPANY_ID.eq(company.value()).and(PASSWORD_RESETS.TOKEN_HASH.eq(tokenHash)))
        .execute();
    boolean live = Times.fromDb(row.get().value2()).isAfter(now);
    return deleted == 1 && live ? Optional.of(row.get().value1()) : Optional.empty();
  }

  /** Drops the user's pending reset, if any (e.g. when the password is set another way). */
  public void delete(CompanyId company, String userId) {
    db.deleteFrom(PASSWORD_RESETS)
        .where(PASSWORD_RESETS.COMPANY_ID.eq(company.value()).and(PASSWORD_RESETS.USER_ID.eq(userId)))
        .execute();
  }
}
