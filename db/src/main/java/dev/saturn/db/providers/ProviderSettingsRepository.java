package dev.saturn.db.providers;

import static dev.saturn.db.jooq.Tables.COMPANY_PROVIDERS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Times;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

/** The company's own provider settings, one row per provider. */
@Repository
public class ProviderSettingsRepository {

  private final DSLContext db;

  public ProviderSettingsRepository(DSLContext db) {
    this.db = db;
  }

  public Optional<ProviderSettingsRow> find(CompanyId company, String provider) {
    return db.selectFrom(COMPANY_PROVIDERS)
        .where(COMPANY_PROVIDERS.COMPANY_ID.eq(company.value()).and(COMPANY_PROVIDERS.PROVIDER.eq(provider)))
        .fetchOptional(ProviderSettingsRepository::toRow);
  }

  /** Locks the row (if any) until the transaction ends, so a read-modify-write sees no other writer. */
  public Optional<ProviderSettingsRow> findForUpdate(CompanyId company, String provider) {
    return db.selectFrom(COMPANY_PROVIDERS)
        .where(COMPANY_PROVIDERS.COMPANY_ID.eq(company.value()).and(COMPANY_PROVIDERS.PROVIDER.eq(provider)))
        .forUpdate()
        .fetchOptional(ProviderSettingsRepository::toRow);
  }

  /** Every provider the company has settings for, by name. */
  public List<ProviderSettingsRow> list(CompanyId company) {
    return db.selectFrom(COMPANY_PROVIDERS)
        .where(COMPANY_PROVIDERS.COMPANY_ID.eq(company.value()))
        .orderBy(COMPANY_PROVIDERS.PROVIDER)
        .fetch(ProviderSettingsRepository::toRow);
  }

  /** Inserts or replaces the company's settings for {@code row.provider()}; created_at is kept on replace. */
  public void put(CompanyId company, ProviderSettingsRow row) {
    if (!company.value().equals(row.companyId())) {
      throw new IllegalArgumentException("provider settings of company " + row.companyId() + " written as " + company);
    }
    db.insertInto(COMPANY_PROVIDERS)
        .set(COMPANY_PROVIDERS.COMPANY_ID, company.value())
        .set(COMPANY_PROVIDERS.PROVIDER, row.provider())
        .set(COMPANY_PROVIDERS.BASE_URL, row.baseUrl())
        .set(COMPANY_PROVIDERS.API_KEY_SEALED, row.apiKeySealed())
        .set(COMPANY_PROVIDERS.DEFAULT_MODEL, row.defaultModel())
        .set(COMPANY_PROVIDERS.CREATED_AT, Times.toDb(row.createdAt()))
        .set(COMPANY_PROVIDERS.UPDATED_AT, Times.toDb(row.updatedAt()))
        .onDuplicateKeyUpdate()
        .set(COMPANY_PROVIDERS.BASE_URL, row.baseUrl())
        .set(COMPANY_PROVIDERS.API_KEY_SEALED, row.apiKeySealed())
        .set(COMPANY_PROVIDERS.DEFAULT_MODEL, row.defaultModel())
        .set(COMPANY_PROVIDERS.UPDATED_AT, Times.toDb(row.updatedAt()))
        .execute();
  }

  /** @return whether there were settings to delete */
  public boolean delete(CompanyId company, String provider) {
    return db.deleteFrom(COMPANY_PROVIDERS)
        .where(COMPANY_PROVIDERS.COMPANY_ID.eq(company.value()).and(COMPANY_PROVIDERS.PROVIDER.eq(provider)))
        .execute() > 0;
  }

  private static ProviderSettingsRow toRow(Record r) {
    return new ProviderSettingsRow(
        r.get(COMPANY_PROVIDERS.COMPANY_ID), r.get(COMPANY_PROVIDERS.PROVIDER), r.get(COMPANY_PROVIDERS.BASE_URL),
        r.get(COMPANY_PROVIDERS.API_KEY_SEALED), r.get(COMPANY_PROVIDERS.DEFAULT_MODEL),
        Times.fromDb(r.get(COMPANY_PROVIDERS.CREATED_AT)), Times.fromDb(r.get(COMPANY_PROVIDERS.UPDATED_AT)));
  }
}
