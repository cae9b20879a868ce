package dev.saturn.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.saturn.app.e2e.TestApp.Tenant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.Record;
import org.junit.jupiter.api.Test;

/** The operator's companies and plans, and what a suspension does, over real HTTP against the whole application. */
class OperatorEndToEndTest extends BootedSaturn {

  @Test
  void givenCompanies_whenTheOperatorPagesThroughThem_itShouldSeeEachOnceAndReadOne() {
    List<String> made = List.of(newCompany("op-list-a").companyId(), newCompany("op-list-b").companyId(),
        newCompany("op-list-c").companyId());

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      HttpJson.Response page = http().get("/v1/companies?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), ADMIN);
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.body().path("items").size()).isLessThanOrEqualTo(2);
      page.body().path("items").forEach(c -> seen.add(c.path("id").asText()));
      cursor = page.body().path("next_cursor").isNull() ? null : page.body().path("next_cursor").asText(null);
      pages++;
    } while (cursor != null && pages < 1000);

    assertThat(seen).doesNotHaveDuplicates().containsAll(made);
    assertThat(seen).isSorted();
    HttpJson.Response one = http().get("/v1/companies/" + made.get(1), ADMIN);
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.text("name")).isEqualTo("op-list-b");
    assertThat(one.text("status")).isEqualTo("active");
    assertThat(one.text("plan")).isEqualTo("default");
    assertThat(http().get("/v1/companies/no-such-company", ADMIN).status()).isEqualTo(404);
  }

  @Test
  void givenACompanyCredential_whenCallingTheOperatorApi_itShouldBeForbidden() {
    Tenant tenant = newCompany("op-forbidden");
    List<HttpJson.Response> refused = List.of(
        http().get("/v1/companies", tenant.apiKey()),
        http().get("/v1/companies/" + tenant.companyId(), tenant.apiKey()),
        http().post("/v1/companies/" + tenant.companyId() + "/reactivate", tenant.apiKey(), null),
        http().get("/v1/plans", tenant.apiKey()),
        http().send("PATCH", "/v1/plans/default", tenant.apiKey(), Map.of("base_fee_minor", 0), Map.of()));
    assertThat(refused).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.text("code")).isEqualTo("AUTH_FORBIDDEN");
    });
    assertThat(http().get("/v1/companies", null).status()).isEqualTo(401);
  }

  @Test
  void givenASuspendedCompany_whenItsKeysAndUsersCall_itShouldAnswerTenantSuspendedUntilReactivated() {
    Tenant tenant = newCompany("op-suspend");
    newUser(tenant, "dev@op-suspend.test", "developer");
    String userToken = token(tenant, "dev@op-suspend.test");
    Tenant other = newCompany("op-suspend-other");

    HttpJson.Response suspended = http().post("/v1/companies/" + tenant.companyId() + "/suspend", ADMIN, null);
    assertThat(suspended.status()).isEqualTo(200);
    assertThat(suspended.text("status")).isEqualTo("suspended");

    List<HttpJson.Response> refused = List.of(
        http().get("/v1/agents", tenant.apiKey()),
        http().post("/v1/agents", tenant.apiKey(), Map.of("name", "x", "config", Map.of())),
        http().get("/v1/users", userToken),
        http().get("/v1/usage/summary", userToken),
        login(tenant, "dev@op-suspend.test", PASSWORD));
    assertThat(refused).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.text("code")).isEqualTo("TENANT_SUSPENDED");
    });
    assertThat(login(tenant, "dev@op-suspend.test", "a wrong password").text("code"))
        .as("a wrong password learns nothing about the company").isEqualTo("AUTH_INVALID");
    assertThat(http().get("/v1/agents", other.apiKey()).status()).as("another company").isEqualTo(200);
    assertThat(DATABASE.dsl().fetchCount(DATABASE.dsl().selectFrom("agents").where("company_id = ?", tenant.companyId())))
        .as("nothing was created").isZero();
    assertThat(http().post("/v1/companies/" + tenant.companyId() + "/suspend", ADMIN, null).text("status"))
        .as("suspending twice is harmless").isEqualTo("suspended");

    HttpJson.Response reactivated = http().post("/v1/companies/" + tenant.companyId() + "/reactivate", ADMIN, null);
    assertThat(reactivated.status()).isEqualTo(200);
    assertThat(reactivated.text("status")).isEqualTo("active");
    assertThat(http().get("/v1/agents", tenant.apiKey()).status()).isEqualTo(200);
    assertThat(http().get("/v1/users", userToken).status()).isEqualTo(200);
    assertThat(login(tenant, "dev@op-suspend.test", PASSWORD).status()).isEqualTo(200);

    List<Record> audit = DATABASE.dsl().fetch(
        "SELECT actor_type, actor_id, action, diff FROM audit_logs WHERE company_id = ? AND target_type = 'company' ORDER BY created_at, id",
        tenant.companyId());
    assertThat(audit).extracting(r -> r.get("action", String.class)).containsExactly("company.suspend", "company.reactivate");
    assertThat(audit).extracting(r -> r.get("actor_type", String.class)).containsOnly("operator");
    assertThat(audit.get(0).get("diff", String.class)).contains("suspended");
  }

  @Test
  void givenANewPlan_whenACompanyMovesToItAndItsPricesChange_itShouldBillAndLimitByIt() {
    Tenant tenant = newCompany("op-plan");
    String planId = "op-plan-" + System.nanoTime();
    Map<String, Object> plan = new HashMap<>(Map.of(
        "id", planId, "name", "Team", "currency", "EUR", "base_fee_minor", 4200, "included_tokens", 1000,
        "monthly_token_quota", 5000, "tool_call_price_minor", 2,
        "model_prices", Map.of("*", Map.of("input_per_1k_minor", 1, "output_per_1k_minor", 4)),
        "rate_limits", Map.of("requests_per_minute", 600)));

    HttpJson.Response created = http().post("/v1/plans", ADMIN, plan);
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    assertThat(created.body().path("model_prices").path("*").path("output_per_1k_minor").asLong()).isEqualTo(4);
    assertThat(created.body().path("rate_limits").path("requests_per_minute").asLong()).isEqualTo(600);
    assertThat(http().post("/v1/plans", ADMIN, plan).status()).as("same id again").isEqualTo(409);
    List<String> listed = new ArrayList<>();
    http().get("/v1/plans?limit=200", ADMIN).body().path("items").forEach(p -> listed.add(p.path("id").asText()));
    assertThat(listed).contains("default", "starter", planId);

    HttpJson.Response unknown = http().send("PATCH", "/v1/companies/" + tenant.companyId(), ADMIN, Map.of("plan", "no-such-plan"), Map.of());
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body().path("field_errors").findValuesAsText("field")).contains("plan");
    HttpJson.Response moved = http().send("PATCH", "/v1/companies/" + tenant.companyId(), ADMIN, Map.of("plan", planId), Map.of());
    assertThat(moved.status()).isEqualTo(200);
    assertThat(moved.text("plan")).isEqualTo(planId);

    JsonNode summary = http().get("/v1/usage/summary", tenant.apiKey()).body();
    assertThat(summary.path("plan_id").asText()).isEqualTo(planId);
    assertThat(summary.path("estimated_charges").path("currency").asText()).isEqualTo("EUR");
    assertThat(summary.path("estimated_charges").path("total_minor").asLong()).isEqualTo(4200);
    assertThat(summary.path("quota").path("monthly_token_quota").asLong()).isEqualTo(5000);

    HttpJson.Response edited = http().send("PATCH", "/v1/plans/" + planId, ADMIN,
        Map.of("base_fee_minor", 5000, "monthly_token_quota", 7000), Map.of());
    assertThat(edited.status()).as(edited.body().toString()).isEqualTo(200);
    assertThat(edited.text("name")).as("untouched fields keep their value").isEqualTo("Team");
    assertThat(edited.body().path("rate_limits").path("requests_per_minute").asLong()).isEqualTo(600);
    summary = http().get("/v1/usage/summary", tenant.apiKey()).body();
    assertThat(summary.path("estimated_charges").path("total_minor").asLong()).isEqualTo(5000);
    assertThat(summary.path("quota").path("monthly_token_quota").asLong()).isEqualTo(7000);

    HttpJson.Response cleared = http().send("PATCH", "/v1/plans/" + planId, ADMIN, Map.of("clear_monthly_token_quota", true), Map.of());
    assertThat(cleared.body().path("monthly_token_quota").isNull()).isTrue();
    assertThat(http().get("/v1/usage/summary", tenant.apiKey()).body().path("quota").path("monthly_token_quota").isNull())
        .isTrue();
    assertThat(http().send("PATCH", "/v1/plans/no-such-plan", ADMIN, Map.of("name", "x"), Map.of()).status()).isEqualTo(404);

    List<Record> audit = DATABASE.dsl().fetch(
        "SELECT action FROM audit_logs WHERE company_id = ? AND target_type = 'company'", tenant.companyId());
    assertThat(audit).extracting(r -> r.get("action", String.class)).containsExactly("company.plan_change");
  }
}
