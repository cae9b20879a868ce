package dev.saturn.db.testing;

import static dev.saturn.db.jooq.Tables.AGENTS;
import static dev.saturn.db.jooq.Tables.AGENT_VERSIONS;
import static dev.saturn.db.jooq.Tables.COMPANIES;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import java.time.LocalDateTime;
import org.jooq.DSLContext;
import org.jooq.JSON;

/** Rows tests need as a starting point, written with plain jOOQ so tests don't depend on the code under test. */
public final class Fixtures {

  private Fixtures() {}

  public static CompanyId company(DSLContext db) {
    String id = Ids.newId();
    db.insertInto(COMPANIES)
        .set(COMPANIES.ID, id)
        .set(COMPANIES.NAME, "Company " + id.substring(0, 8))
        .set(COMPANIES.PLAN_ID, "default")
        .set(COMPANIES.STATUS, "active")
        .set(COMPANIES.CREATED_AT, LocalDateTime.now())
        .execute();
    return CompanyId.of(id);
  }

  public static String agent(DSLContext db, CompanyId company, String configJson) {
    String id = Ids.newId();
    LocalDateTime now = LocalDateTime.now();
    db.insertInto(AGENTS)
        .set(AGENTS.ID, id)
        .set(AGENTS.COMPANY_ID, company.value())
        .set(AGENTS.NAME, "agent")
        .set(AGENTS.STATUS, "enabled")
        .set(AGENTS.CURRENT_VERSION, 1)
        .set(AGENTS.CREATED_AT, now)
        .set(AGENTS.UPDATED_AT, now)
        .execute();
    db.insertInto(AGENT_VERSIONS)
        .set(AGENT_VERSIONS.COMPANY_ID, company.value())
        .set(AGENT_VERSIONS.AGENT_ID, id)
        .set(AGENT_VERSIONS.VERSION, 1)
        .set(AGENT_VERSIONS.CONFIG, JSON.valueOf(configJson))
        .set(AGENT_VERSIONS.CREATED_AT, now)
        .execute();
    return id;
  }
}
