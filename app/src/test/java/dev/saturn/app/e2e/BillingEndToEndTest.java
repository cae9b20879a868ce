package dev.saturn.app.e2e;

import static dev.saturn.db.jooq.Tables.COMPANIES;
import static dev.saturn.db.jooq.Tables.PLANS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.app.e2e.TestApp.Tenant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.JSON;
import org.junit.jupiter.api.Test;

/**
 * Usage and invoices over HTTP against the running application: tenant scoping, roles, the
 * operator token, byte-identical recompute, finalize → 409, and the monthly token quota.
 */
class BillingEndToEndTest extends BootedSaturn {

  static final String MONTH = YearMonth.now(ZoneOffset.UTC).toString();

  @Test
  void givenTwoCompanies_whenReadingUsageAndInvoices_eachShouldSeeOnlyItsOwnAndOnlyPermittedRolesShouldGetIn() {
    Tenant a = newCompany("bill-a-" + System.nanoTime());
    Tenant b = newCompany("bill-b-" + System.nanoTime());
    chat(a);

    HttpJson.Response usageA = http().get("/v1/usage?group_by=model&period=" + MONTH, a.apiKey());
    assertThat(usageA.status()).as(usageA.body().toString()).isEqualTo(200);
    assertThat(usageA.body().path("items")).hasSize(1);
    assertThat(usageA.body().path("items").path(0).path("kind").asText()).isEqualTo("llm");
    assertThat(usageA.body().path("items").path(0).path("events").asLong()).isEqualTo(1);
    assertThat(http().get("/v1/usage?group_by=model", b.apiKey()).body().path("items")).isEmpty();
    HttpJson.Response summary = http().get("/v1/usage/summary?period=" + MONTH, a.apiKey());
    assertThat(summary.status()).isEqualTo(200);
    assertThat(summary.body().path("by_kind").path(0).path("events").asLong()).isEqualTo(1);
    assertThat(summary.body().path("provider_attempts").path("attempts").asLong()).isEqualTo(1);
    assertThat(http().get("/v1/usage?period=2026-13", a.apiKey()).text("code")).isEqualTo("VALIDATION_FAILED");
    HttpJson.Response tooEarly = http().get("/v1/usage/summary?period=1999-12", a.apiKey());
    assertThat(tooEarly.status()).isEqualTo(400);
    assertThat(tooEarly.text("code")).isEqualTo("VALIDATION_FAILED");
    assertThat(http().post("/v1/invoices/generate", a.apiKey(), Map.of("period", "1999-12")).status()).isEqualTo(400);

    HttpJson.Response generated = http().post("/v1/invoices/generate", a.apiKey(), Map.of("period", MONTH));
    assertThat(generated.status()).as(generated.body().toString()).isEqualTo(200);
    String invoiceId = generated.body().path("invoice").path("id").asText();
    assertThat(generated.body().path("invoice").path("event_count").asLong()).isEqualTo(1);

    // B sees A's invoice exactly like a missing one, and may not generate for A.
    assertThat(http().get("/v1/invoices/" + invoiceId, b.apiKey()).status()).isEqualTo(404);
    assertThat(http().post("/v1/invoices/" + invoiceId + "/finalize", b.apiKey(), Map.of()).status()).isEqualTo(404);
    assertThat(http().get("/v1/invoices", b.apiKey()).body().path("items")).isEmpty();
    HttpJson.Response forA = http().post("/v1/invoices/generate", b.apiKey(), Map.of("period", MONTH, "company_id", a.companyId()));
    assertThat(forA.status()).isEqualTo(403);
    assertThat(forA.text("code")).isEqualTo("AUTH_FORBIDDEN");

    // Roles: owner and admin read billing; developer and viewer do not.
    for (String role : new String[] {"admin", "developer", "viewer"}) {
      newUser(a, role + "@" + a.companyId() + ".test", role);
      String token = token(a, role + "@" + a.companyId() + ".test");
      int expected = role.equals("admin") ? 200 : 403;
      assertThat(http().get("/v1/usage", token).status()).as(role + " usage").isEqualTo(expected);
      assertThat(http().get("/v1/usage/summary", token).status()).as(role + " summary").isEqualTo(expected);
      assertThat(http().get("/v1/invoices", token).status()).as(role + " invoices").isEqualTo(expected);
      assertThat(http().get("/v1/invoices/" + invoiceId, token).status()).as(role + " invoice").isEqualTo(expected);
      assertThat(http().post("/v1/invoices/generate", token, Map.of("period", MONTH)).status())
          .as(role + " generate").isEqualTo(expected);
    }
    // The operator token works only where it is allowed, and names the company.
    assertThat(http().get("/v1/invoices", ADMIN).status()).isEqualTo(403);
    HttpJson.Response operator = http().post("/v1/invoices/generate", ADMIN, Map.of("period", MONTH, "company_id", a.companyId()));
    assertThat(operator.status()).as(operator.body().toString()).isEqualTo(200);
    assertThat(operator.body().path("invoice").path("id").asText()).isEqualTo(invoiceId);
    assertThat(http().post("/v1/invoices/generate", ADMIN,
        Map.of("period", MONTH, "company_id", java.util.UUID.randomUUID().toString())).status()).isEqualTo(404);
  }

  @Test
  void givenADraft_whenRecomputedAndFinalized_itShouldStayByteIdenticalThenRefuseToChange() {
    Tenant a = newCompany("bill-final-" + System.nanoTime());
    chat(a);
    String invoiceId = http().post("/v1/invoices/generate", a.apiKey(), Map.of("period", MONTH))
        .body().path("invoice").path("id").asText();
    String before = http().get("/v1/invoices/" + invoiceId, a.apiKey()).raw().body();

    assertThat(http().post("/v1/invoices/generate", a.apiKey(), Map.of("period", MONTH)).status()).isEqualTo(200);
    HttpJson.Response all = http().post("/v1/invoices/generate", ADMIN, Map.of("period", MONTH));
    assertThat(all.status()).as(all.body().toString()).isEqualTo(200);
    assertThat(all.body().path("run").path("drafted").asInt()).isPositive();
    assertThat(http().get("/v1/invoices/" + invoiceId, a.apiKey()).raw().body()).isEqualTo(before);

    HttpJson.Response finalized = http().post("/v1/invoices/" + invoiceId + "/finalize", a.apiKey(), Map.of());
    assertThat(finalized.status()).as(finalized.body().toString()).isEqualTo(200);
    assertThat(finalized.text("status")).isEqualTo("finalized");
    HttpJson.Response again = http().post("/v1/invoices/generate", a.apiKey(), Map.of("period", MONTH));
    assertThat(again.status()).as(again.body().toString()).isEqualTo(409);
    assertThat(again.text("code")).isEqualTo("CONFLICT");
    assertThat(http().post("/v1/invoices/" + invoiceId + "/finalize", a.apiKey(), Map.of()).text("code")).isEqualTo("CONFLICT");

    // A turn after finalizing is billed in the next month's draft.
    chat(a);
    String next = YearMonth.parse(MONTH).plusMonths(1).toString();
    HttpJson.Response nextDraft = http().post("/v1/invoices/generate", a.apiKey(), Map.of("period", next));
    assertThat(nextDraft.body().path("invoice").path("event_count").asLong()).isEqualTo(1);
  }

  @Test
  void givenAPlanWithAMonthlyTokenQuota_whenUsageGrows_chatShouldWarnThenRefuseNewTurns() {
    Tenant a = newCompany("bill-quota-" + System.nanoTime());
    DSLContext db = DATABASE.dsl();
    String plan = "quota-" + System.nanoTime();
    db.insertInto(PLANS)
        .set(PLANS.ID, plan).set(PLANS.NAME, "Quota").set(PLANS.CURRENCY, "USD").set(PLANS.BASE_FEE_MINOR, 0L)
        .set(PLANS.INCLUDED_TOKENS, 0L).set(PLANS.MONTHLY_TOKEN_QUOTA, 1_000_000L).set(PLANS.TOOL_CALL_PRICE_MINOR, 0L)
        .set(PLANS.MODEL_PRICES, JSON.valueOf("{}")).set(PLANS.RATE_LIMITS, JSON.valueOf("{}"))
        .set(PLANS.CREATED_AT, LocalDateTime.now()).execute();
    db.update(COMPANIES).set(COMPANIES.PLAN_ID, plan).where(COMPANIES.ID.eq(a.companyId())).execute();
    String agent = TestApp.newAgent(http(), a, Map.of());

    HttpJson.Response first = http().post("/v1/agents/" + agent + "/chat", a.apiKey(), Map.of("message", "hello"));
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.header("X-Saturn-Quota-Limit")).isEqualTo("1000000");
    long used = 1_000_000 - Long.parseLong(first.header("X-Saturn-Quota-Remaining"));
    assertThat(used).isPositive();
    assertThat(first.header("Warning")).isNull();

    db.update(PLANS).set(PLANS.MONTHLY_TOKEN_QUOTA, used * 2).where(PLANS.ID.eq(plan)).execute();
    HttpJson.Response second = http().post("/v1/agents/" + agent + "/chat", a.apiKey(), Map.of("message", "again"));
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.header("Warning")).as("at least 80%% used after two turns").startsWith("299 saturn");

    db.update(PLANS).set(PLANS.MONTHLY_TOKEN_QUOTA, 1L).where(PLANS.ID.eq(plan)).execute();
    HttpJson.Response refused = http().post("/v1/agents/" + agent + "/chat", a.apiKey(), Map.of("message", "more"));
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.text("code")).isEqualTo("QUOTA_EXCEEDED");
  }

  private void chat(Tenant tenant) {
    String agent = TestApp.newAgent(http(), tenant, Map.of());
    HttpJson.Response turn = http().post("/v1/agents/" + agent + "/chat", tenant.apiKey(), Map.of("message", "hello"));
    assertThat(turn.status()).as(turn.body().toString()).isEqualTo(200);
  }
}
