package dev.saturn.db.chat;

import static dev.saturn.db.jooq.Tables.IDEMPOTENCY_RECORDS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.DuplicateKeys;
import dev.saturn.db.common.Times;
import java.time.Clock;
import java.util.Optional;
import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

/** Remembers which resource a write request with an Idempotency-Key created, and the request's hash. */
@Repository
public class IdempotencyRepository {

  private final DSLContext db;
  private final Clock clock;

  public IdempotencyRepository(DSLContext db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** @return false when a record for this key already exists (the caller then reads it). */
  public boolean insertIfAbsent(CompanyId company, IdempotencyRecord record) {
    return DuplicateKeys.insertOnce(() -> db.insertInto(IDEMPOTENCY_RECORDS)
        .set(IDEMPOTENCY_RECORDS.COMPANY_ID, company.value())
        .set(IDEMPOTENCY_RECORDS.SCOPE, record.scope())
        .set(IDEMPOTENCY_RECORDS.IDEM_KEY, record.key())
        .set(IDEMPOTENCY_RECORDS.REQUEST_HASH, record.requestHash())
        .set(IDEMPOTENCY_RECORDS.RESOURCE_TYPE, record.resourceType())
        .set(IDEMPOTENCY_RECORDS.RESOURCE_ID, record.resourceId())
        .set(IDEMPOTENCY_RECORDS.CREATED_AT, Times.toDb(clock.instant()))
        .execute());
  }

  public Optional<IdempotencyRecord> find(CompanyId company, String scope, String key) {
    return db.selectFrom(IDEMPOTENCY_RECORDS)
        .where(IDEMPOTENCY_RECORDS.COMPANY_ID.eq(company.value())
            .and(IDEMPOTENCY_RECORDS.SCOPE.eq(scope))
            .and(IDEMPOTENCY_RECORDS.IDEM_KEY.eq(key)))
        .fetchOptional()
        .map(r -> new IdempotencyRecord(r.getScope(), r.getIdemKey(), r.getRequestHash(), r.getResourceType(), r.getResourceId()));
  }
}
