package dev.saturn.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.app.e2e.TestApp.Tenant;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The console's Usage, Invoices, Audit log and agent pages over real HTTP: the role rules of the REST
 * endpoints they mirror, one company never reading or changing another's objects by id, and bad input
 * answered with the form and its error (never a server error).
 */
class ConsoleBillingEndToEndTest extends BootedSaturn {

  private static final String MONTH = YearMonth.now(ZoneOffset.UTC).toString();

  @Test
  void givenADeveloper_whenOpeningUsageInvoicesOrTheAuditLog_itShouldBeRefusedLikeTheApi() throws Exception {
    Tenant tenant = newCompany("billing-dev");
    newUser(tenant, "dev@billing-dev.test", "developer");
    ConsoleBrowser browser = signedIn("dev@billing-dev.test");

    for (String page : new String[] {"/console/usage", "/console/invoices", "/console/audit-log"}) {
      assertThat(browser.get(page).statusCode()).as(page).isEqualTo(403);
    }
    assertThat(browser.post("/console/invoices/generate", Map.of("_csrf", browser.csrf("/console/agents"), "month", MONTH))
        .statusCode()).isEqualTo(403);
    assertThat(http().get("/v1/invoices", tenant.apiKey()).body().path("items")).isEmpty();
  }

  @Test
  void givenAChatTurn_whenTheUsagePageIsRead_itShouldShowTodaysTokensTheAgentAndTheQuota() throws Exception {
    Tenant tenant = newCompany("billing-usage");
    newUser(tenant, "admin@billing-usage.test", "admin");
    String agentId = TestApp.newAgent(http(), tenant, Map.of("provider", "offline"));
    HttpJson.Response turn = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(), Map.of("message", "hello"));
    assertThat(turn.status()).as(turn.body().toString()).isEqualTo(200);
    ConsoleBrowser browser = signedIn("admin@billing-usage.test");

    HttpResponse<String> usage = browser.get("/console/usage");

    assertThat(usage.statusCode()).isEqualTo(200);
    String page = usage.body();
    assertThat(page).contains("<label for=\"usage-month\">Month</label>", "value=\"" + MONTH + "\"",
        "data-chart=", "/console/assets/usage-charts.js");
    long tokens = http().get("/v1/usage?group_by=day&period=" + MONTH, tenant.apiKey()).body().path("items").findValues("input_tokens")
        .stream().mapToLong(n -> n.asLong()).sum();
    assertThat(tokens).isPositive();
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    Matcher todayRow = Pattern.compile("<th scope=\"row\">" + today + "</th>\\s*<td>(\\d+)</td>").matcher(page);
    assertThat(todayRow.find()).as(page).isTrue();
    assertThat(Long.parseLong(todayRow.group(1))).isEqualTo(tokens);
    assertThat(page).contains("<th scope=\"row\">support</th>");
    assertThat(page).containsPattern("id=\"usage-quota-text\"|aria-valuenow=\"\\d+\"");
  }

  @Test
  void givenABadMonth_whenTheUsagePageIsRead_itShouldShowTheErrorNextToTheField() throws Exception {
    Tenant tenant = newCompany("billing-month");
    newUser(tenant, "admin@billing-month.test", "admin");
    ConsoleBrowser browser = signedIn("admin@billing-month.test");

    for (String month : new String[] {"2026-13", "last month", "1999-12", "%00"}) {
      HttpResponse<String> page = browser.get("/console/usage?month=" + month.replace(" ", "+"));
      assertThat(page.statusCode()).as(month).isEqualTo(400);
      assertThat(page.body()).as(month).contains("aria-invalid=\"true\"", "usage-month-error", "must be a month YYYY-MM")
          .doesNotContain("data-chart=");
    }
    HttpResponse<String> generate = browser.post("/console/invoices/generate",
        Map.of("_csrf", browser.csrf("/console/invoices"), "month", "2026-00"));
    assertThat(generate.statusCode()).isEqualTo(400);
    assertThat(generate.body()).contains("invoice-month-error", "must be a month YYYY-MM");
  }

  @Test
  void givenADraft_whenFinalizedInTheConsole_itShouldBeFinalizedAndAuditedAndAnotherCompanyCannotTouchIt() throws Exception {
    Tenant tenant = newCompany("billing-invoice");
    newUser(tenant, "admin@billing-invoice.test", "admin");
    newUser(tenant, "viewer@billing-invoice.test", "viewer");
    Tenant other = newCompany("billing-invoice-other");
    newUser(other, "admin@billing-invoice-other.test", "admin");
    ConsoleBrowser browser = signedIn("admin@billing-invoice.test");

    HttpResponse<String> generated = browser.post("/console/invoices/generate",
        Map.of("_csrf", browser.csrf("/console/invoices"), "month", MONTH));
    assertThat(generated.statusCode()).as(generated.body()).isEqualTo(302);
    String location = generated.headers().firstValue("Location").orElseThrow();
    String invoiceId = location.replaceAll(".*/console/invoices/([^/?]+).*", "$1");
    HttpJson.Response draft = http().get("/v1/invoices/" + invoiceId, tenant.apiKey());
    assertThat(draft.body().path("status").asText()).isEqualTo("draft");
    String detail = browser.get("/console/invoices/" + invoiceId).body();
    assertThat(detail).contains(draft.body().path("event_digest").asText(), ">draft<", ">Finalize</button>");
    assertThat(browser.get("/console/invoices/" + invoiceId + "?confirm=finalize").body()).contains("Yes, finalize");

    ConsoleBrowser stranger = signedIn("admin@billing-invoice-other.test");
    assertThat(stranger.get("/console/invoices/" + invoiceId).statusCode()).isEqualTo(404);
    assertThat(stranger.get("/console/invoices").body()).doesNotContain(invoiceId);
    HttpResponse<String> foreign = stranger.post("/console/invoices/" + invoiceId + "/finalize",
        Map.of("_csrf", stranger.csrf("/console/invoices")));
    assertThat(foreign.statusCode()).isEqualTo(404);
    ConsoleBrowser viewer = signedIn("viewer@billing-invoice.test");
    assertThat(viewer.post("/console/invoices/" + invoiceId + "/finalize", Map.of("_csrf", viewer.csrf("/console/agents")))
        .statusCode()).isEqualTo(403);
    assertThat(http().get("/v1/invoices/" + invoiceId, tenant.apiKey()).body().path("status").asText()).isEqualTo("draft");

    HttpResponse<String> finalized = browser.post("/console/invoices/" + invoiceId + "/finalize",
        Map.of("_csrf", browser.csrf("/console/invoices/" + invoiceId)));

    assertThat(finalized.statusCode()).isEqualTo(302);
    assertThat(finalized.headers().firstValue("Location").orElseThrow()).endsWith("/console/invoices/" + invoiceId + "?finalized=");
    assertThat(http().get("/v1/invoices/" + invoiceId, tenant.apiKey()).body().path("status").asText()).isEqualTo("finalized");
    assertThat(browser.get("/console/invoices/" + invoiceId + "?finalized").body())
        .contains("Invoice finalized.", ">finalized<").doesNotContain(">Finalize</button>");
    assertThat(http().get("/v1/audit-logs?action=invoice.finalize", tenant.apiKey()).body().path("items")).hasSize(1);
    HttpResponse<String> again = browser.post("/console/invoices/" + invoiceId + "/finalize",
        Map.of("_csrf", browser.csrf("/console/invoices/" + invoiceId)));
    assertThat(again.headers().firstValue("Location").orElseThrow()).contains("alreadyFinalized");
  }

  @Test
  void givenAuditRows_whenFilteredAndPaged_itShouldShowTheCompanysRowsOnlyAndRefuseBadDatesAndCursors() throws Exception {
    Tenant tenant = newCompany("billing-audit");
    newUser(tenant, "admin@billing-audit.test", "admin");
    Tenant other = newCompany("billing-audit-other");
    String foreignAgent = TestApp.newAgent(http(), other, Map.of("provider", "offline"));
    for (int i = 0; i < 30; i++) {
      TestApp.newAgent(http(), tenant, Map.of("provider", "offline"));
    }
    ConsoleBrowser browser = signedIn("admin@billing-audit.test");

    String first = browser.get("/console/audit-log?action=agent.create").body();

    assertThat(count(first, ">agent.create<")).isEqualTo(25);
    assertThat(first).doesNotContain(foreignAgent).doesNotContain(">user.create<");
    Matcher next = Pattern.compile("href=\"([^\"]+)\" rel=\"next\">Next<").matcher(first);
    assertThat(next.find()).as(first).isTrue();
    String second = browser.get(next.group(1).replace("&amp;", "&")).body();
    assertThat(count(second, ">agent.create<")).isEqualTo(5);
    assertThat(second).contains(">Previous<").doesNotContain(">Next<");
    Matcher previous = Pattern.compile("href=\"([^\"]+)\" rel=\"prev\">Previous<").matcher(second);
    assertThat(previous.find()).isTrue();
    assertThat(count(browser.get(previous.group(1).replace("&amp;", "&")).body(), ">agent.create<")).isEqualTo(25);

    String today = LocalDate.now(ZoneOffset.UTC).toString();
    assertThat(count(browser.get("/console/audit-log?action=agent.create&from=" + today + "&to=" + today).body(),
        ">agent.create<")).isEqualTo(25);
    assertThat(browser.get("/console/audit-log?to=2001-01-01").body()).contains("No audit rows match.");
    Map<String, String> bad = new HashMap<>();
    bad.put("from=yesterday", "audit-from-error");
    bad.put("to=2026-02-30", "audit-to-error");
    bad.put("from=2026-05-02&to=2026-05-01", "audit-to-error");
    bad.put("cursor=not-a-cursor!", "is not a page of this list");
    bad.put("cursor=bm9wZQ", "is not a page of this list");
    for (Map.Entry<String, String> query : bad.entrySet()) {
      HttpResponse<String> page = browser.get("/console/audit-log?" + query.getKey());
      assertThat(page.statusCode()).as(query.getKey()).isEqualTo(400);
      assertThat(page.body()).as(query.getKey()).contains(query.getValue());
    }
  }

  @Test
  void givenAnAgent_whenEditedDisabledAndEnabledInTheConsole_itShouldVersionItLikeTheApiAndShowTheDiff() throws Exception {
    Tenant tenant = newCompany("billing-agent");
    newUser(tenant, "dev@billing-agent.test", "developer");
    newUser(tenant, "viewer@billing-agent.test", "viewer");
    Tenant other = newCompany("billing-agent-other");
    newUser(other, "dev@billing-agent-other.test", "developer");
    String agentId = TestApp.newAgent(http(), tenant, Map.of("provider", "offline", "system_prompt", "Be brief."));
    ConsoleBrowser browser = signedIn("dev@billing-agent.test");
    String path = "/console/agents/" + agentId;
    assertThat(browser.get(path).body()).contains(">Edit<", ">Disable</button>", "Be brief.");

    Map<String, String> form = new HashMap<>(Map.of("_csrf", browser.csrf(path + "/edit"), "name", "support",
        "systemPrompt", "Be thorough.", "provider", "offline", "model", "", "temperature", "0.5", "historyWindow", "12",
        "kbTopK", ""));
    HttpResponse<String> saved = browser.post(path, form);

    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(302);
    assertThat(saved.headers().firstValue("Location").orElseThrow()).endsWith(path + "?saved=2");
    HttpJson.Response api = http().get("/v1/agents/" + agentId, tenant.apiKey());
    assertThat(api.body().path("version").asInt()).isEqualTo(2);
    assertThat(api.body().path("config").path("system_prompt").asText()).isEqualTo("Be thorough.");
    assertThat(api.body().path("config").path("history_window").asInt()).isEqualTo(12);
    String versions = browser.get(path + "/versions").body();
    assertThat(versions).contains("Version 1 and version 2 side by side");
    assertThat(versions).containsPattern("(?s)<tr class=\"changed\">\\s*<th scope=\"row\"><code>system_prompt</code></th>"
        + "\\s*<td class=\"value\"><del>Be brief.</del></td>\\s*<td class=\"value\"><ins>Be thorough.</ins></td>"
        + "\\s*<td><strong class=\"marker\">Changed</strong></td>");
    assertThat(versions).containsPattern("(?s)<code>provider</code></th>\\s*<td class=\"value\"><span>offline</span>");

    form.put("_csrf", browser.csrf(path + "/edit"));
    form.put("temperature", "7");
    HttpResponse<String> refused = browser.post(path, form);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("agent-temperature-error", "aria-invalid=\"true\"");
    assertThat(browser.get(path + "/versions?left=x&right=9").statusCode()).isEqualTo(400);
    assertThat(http().get("/v1/agents/" + agentId, tenant.apiKey()).body().path("version").asInt()).isEqualTo(2);

    ConsoleBrowser viewer = signedIn("viewer@billing-agent.test");
    assertThat(viewer.get(path).body()).doesNotContain(">Edit<").doesNotContain(">Disable</button>");
    assertThat(viewer.get(path + "/edit").statusCode()).isEqualTo(403);
    assertThat(viewer.post(path + "/disable", Map.of("_csrf", viewer.csrf(path))).statusCode()).isEqualTo(403);
    ConsoleBrowser stranger = signedIn("dev@billing-agent-other.test");
    assertThat(stranger.get(path).statusCode()).isEqualTo(404);
    assertThat(stranger.get(path + "/versions?left=1&right=2").statusCode()).isEqualTo(404);
    String strangerToken = stranger.csrf("/console/agents");
    assertThat(stranger.post(path + "/disable", Map.of("_csrf", strangerToken)).statusCode()).isEqualTo(404);
    form.put("_csrf", strangerToken);
    assertThat(stranger.post(path, form).statusCode()).isEqualTo(404);
    assertThat(http().get("/v1/agents/" + agentId, tenant.apiKey()).body().path("status").asText()).isEqualTo("enabled");

    assertThat(browser.post(path + "/disable", Map.of("_csrf", browser.csrf(path))).statusCode()).isEqualTo(302);
    assertThat(http().get("/v1/agents/" + agentId, tenant.apiKey()).body().path("status").asText()).isEqualTo("disabled");
    assertThat(browser.get(path).body()).contains(">disabled<", ">Enable</button>");
    assertThat(browser.post(path + "/enable", Map.of("_csrf", browser.csrf(path))).statusCode()).isEqualTo(302);
    assertThat(http().get("/v1/agents/" + agentId, tenant.apiKey()).body().path("status").asText()).isEqualTo("enabled");
  }

  @Test
  void givenTheCompanysTools_whenCreatingAnAgentWithTwo_itShouldAttachBothAndRefuseAnotherCompanysTool() throws Exception {
    Tenant tenant = newCompany("billing-tools");
    newUser(tenant, "dev@billing-tools.test", "developer");
    Tenant other = newCompany("billing-tools-other");
    String lookup = tool(tenant, "lookup");
    String weather = tool(tenant, "weather");
    String foreign = tool(other, "foreign");
    ConsoleBrowser browser = signedIn("dev@billing-tools.test");
    String form = browser.get("/console/agents/new").body();
    assertThat(form).contains("<label for=\"agent-tools\">Tools</label>", ">lookup<", ">weather<").doesNotContain(">foreign<");

    HttpResponse<String> refused = browser.post("/console/agents", Map.of("_csrf", browser.csrf("/console/agents/new"),
        "name", "Tool user", "tools", foreign));
    assertThat(refused.statusCode()).isEqualTo(200);
    assertThat(refused.body()).contains("agent-tools-error", "must be tools of this company");
    assertThat(http().get("/v1/agents", tenant.apiKey()).body().path("items")).isEmpty();

    HttpResponse<String> created = browser.post("/console/agents", Map.of(
        "_csrf", browser.csrf("/console/agents/new"), "name", "Tool user", "tools", java.util.List.of(lookup, weather)));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(302);
    var agent = http().get("/v1/agents", tenant.apiKey()).body().path("items").get(0);
    java.util.List<String> attached = new java.util.ArrayList<>();
    agent.path("config").path("tools").forEach(id -> attached.add(id.asText()));
    assertThat(attached).containsExactlyInAnyOrder(lookup, weather);
  }

  private String tool(Tenant tenant, String name) {
    HttpJson.Response tool = http().post("/v1/tools", tenant.apiKey(), Map.of(
        "name", name, "description", "looks things up", "method", "GET", "url", "https://tools.example.test/" + name + "?q={q}",
        "parameters", Map.of("type", "object", "properties", Map.of("q", Map.of("type", "string")))));
    assertThat(tool.status()).as("create tool: %s", tool.body()).isEqualTo(201);
    return tool.text("id");
  }

  private ConsoleBrowser signedIn(String email) throws Exception {
    ConsoleBrowser browser = new ConsoleBrowser(port);
    assertThat(browser.signIn(email, PASSWORD).statusCode()).isEqualTo(302);
    return browser;
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      n++;
    }
    return n;
  }
}
