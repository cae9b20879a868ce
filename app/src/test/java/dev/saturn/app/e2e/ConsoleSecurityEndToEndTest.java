package dev.saturn.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.app.e2e.TestApp.Tenant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console's filter chain over real HTTP: its session cookie's flags, CSRF on every unsafe request,
 * sign-in and sign-out, and the API's chain still refusing anything but a bearer credential.
 */
class ConsoleSecurityEndToEndTest extends BootedSaturn {

  private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  /** One browser ({@link ConsoleSession}) on this test's server. */
  private final class Browser extends ConsoleSession {
    Browser() {
      super(port);
    }
  }

  @Test
  void givenTheSignInPage_whenFetched_itShouldSetAnHttpOnlySecureSameSiteLaxCookieScopedToTheConsole() throws Exception {
    HttpResponse<String> page = new Browser().get("/console/login");

    assertThat(page.statusCode()).isEqualTo(200);
    String cookie = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("SATURN_CONSOLE=")).findFirst()
        .orElseThrow();
    assertThat(cookie).contains("Path=/console").contains("HttpOnly").contains("Secure").containsIgnoringCase("SameSite=Lax");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'");
    assertThat(page.body()).contains("<label for=\"email\">Email</label>", "<label for=\"password\">Password</label>");
  }

  @Test
  void givenNoSession_whenOpeningAPage_itShouldRedirectToSignIn() throws Exception {
    HttpResponse<String> page = new Browser().get("/console/agents");

    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(page.headers().firstValue("Location").orElseThrow()).endsWith("/console/login");
    HttpResponse<String> script = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/console/agents"))
        .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(script.statusCode()).as("no redirect for a client that wants no page").isEqualTo(401);
  }

  @Test
  void givenNoCsrfToken_whenPosting_itShouldRefuseTheSignInAndEveryForm() throws Exception {
    Tenant tenant = newCompany("console-csrf");
    newUser(tenant, "dev@console-csrf.test", "developer");
    Browser browser = new Browser();
    browser.get("/console/login");

    HttpResponse<String> noToken = browser.post("/console/login", Map.of("email", "dev@console-csrf.test", "password", PASSWORD));
    HttpResponse<String> wrongToken = browser.post("/console/login",
        Map.of("_csrf", "forged", "email", "dev@console-csrf.test", "password", PASSWORD));

    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(wrongToken.statusCode()).isEqualTo(403);
    assertThat(browser.signIn("dev@console-csrf.test", PASSWORD).statusCode()).isEqualTo(302);
    HttpResponse<String> formWithoutToken = browser.post("/console/agents", Map.of("name", "forged agent"));
    assertThat(formWithoutToken.statusCode()).isEqualTo(403);
    assertThat(http().get("/v1/agents", tenant.apiKey()).body().path("items")).isEmpty();
  }

  @Test
  void givenASignedInUser_whenCreatingAnAgent_itShouldGoThroughTheApisPathAndShowInTheList() throws Exception {
    Tenant tenant = newCompany("console-agents");
    newUser(tenant, "dev@console-agents.test", "developer");
    Browser browser = new Browser();
    browser.get("/console/login");
    String anonymousSession = browser.session;

    HttpResponse<String> signedIn = browser.signIn("dev@console-agents.test", PASSWORD);

    assertThat(signedIn.statusCode()).isEqualTo(302);
    assertThat(signedIn.headers().firstValue("Location").orElseThrow()).endsWith("/console/agents");
    assertThat(browser.session).as("a new session id at sign-in").isNotEqualTo(anonymousSession);
    Map<String, String> form = new LinkedHashMap<>();
    form.put("_csrf", browser.csrf("/console/agents/new"));
    form.put("name", "Console agent");
    form.put("systemPrompt", "Be brief.");
    form.put("provider", "offline");
    form.put("model", "");
    form.put("temperature", "0.3");
    HttpResponse<String> created = browser.post("/console/agents", form);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(302);
    assertThat(browser.get("/console/agents").body()).contains("Console agent");
    var api = http().get("/v1/agents", tenant.apiKey()).body().path("items");
    assertThat(api).hasSize(1);
    assertThat(api.get(0).path("config").path("system_prompt").asText()).isEqualTo("Be brief.");
    assertThat(api.get(0).path("config").path("temperature").asDouble()).isEqualTo(0.3);

    form.put("_csrf", browser.csrf("/console/agents/new"));
    form.put("temperature", "7");
    HttpResponse<String> refused = browser.post("/console/agents", form);
    assertThat(refused.statusCode()).isEqualTo(200);
    assertThat(refused.body()).contains("aria-invalid=\"true\"", "agent-temperature-error", "must be less than or equal to 2.0");
    assertThat(http().get("/v1/agents", tenant.apiKey()).body().path("items")).hasSize(1);
  }

  @Test
  void givenAViewer_whenOpeningTheNewAgentForm_itShouldBeRefusedByTheSameRuleAsTheApi() throws Exception {
    Tenant tenant = newCompany("console-viewer");
    newUser(tenant, "v@console-viewer.test", "viewer");
    Browser browser = new Browser();
    browser.signIn("v@console-viewer.test", PASSWORD);

    assertThat(browser.get("/console/agents").statusCode()).isEqualTo(200);
    assertThat(browser.get("/console/agents").body()).doesNotContain("New agent");
    assertThat(browser.get("/console/agents/new").statusCode()).isEqualTo(403);
  }

  @Test
  void givenAConsoleSession_whenCallingTheApi_itShouldStillDemandABearerCredential() throws Exception {
    Tenant tenant = newCompany("console-v1");
    newUser(tenant, "dev@console-v1.test", "developer");
    Browser browser = new Browser();
    assertThat(browser.signIn("dev@console-v1.test", PASSWORD).statusCode()).isEqualTo(302);
    assertThat(browser.get("/console/agents").statusCode()).isEqualTo(200);

    HttpResponse<String> api = browser.get("/v1/agents");

    assertThat(api.statusCode()).isEqualTo(401);
    assertThat(api.headers().allValues("Set-Cookie")).isEmpty();
    // And the other way round: a bearer credential does not open console pages.
    HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/console/agents"))
        .header("Authorization", "Bearer " + tenant.apiKey()).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(401);
  }

  @Test
  void givenAnEmailInTwoCompanies_whenSigningIn_itShouldAskWhichCompanyByName() throws Exception {
    Tenant first = newCompany("console-two-a");
    Tenant second = newCompany("console-two-b");
    newUser(first, "same@console-two.test", "developer");
    newUser(second, "same@console-two.test", "viewer");
    Browser browser = new Browser();

    HttpResponse<String> ask = browser.signIn("same@console-two.test", PASSWORD);

    assertThat(ask.headers().firstValue("Location").orElseThrow()).endsWith("/console/login?choose");
    String page = browser.get("/console/login?choose").body();
    assertThat(page).contains("<label for=\"company\">Company</label>", ">console-two-a<", ">console-two-b<");
    HttpResponse<String> signedIn = browser.post("/console/login", Map.of("_csrf", browser.csrf("/console/login"),
        "company", second.companyId(), "email", "same@console-two.test", "password", PASSWORD));
    assertThat(signedIn.headers().firstValue("Location").orElseThrow()).endsWith("/console/agents");
    assertThat(browser.get("/console/agents").body()).contains("console-two-b").doesNotContain("New agent");
  }

  @Test
  void givenASignedInUser_whenSigningOut_itShouldEndTheSession() throws Exception {
    Tenant tenant = newCompany("console-out");
    newUser(tenant, "dev@console-out.test", "developer");
    Browser browser = new Browser();
    browser.signIn("dev@console-out.test", PASSWORD);
    String signedInSession = browser.session;
    String token = browser.csrf("/console/agents");

    HttpResponse<String> out = browser.post("/console/logout", Map.of("_csrf", token));

    assertThat(out.statusCode()).isEqualTo(302);
    assertThat(out.headers().firstValue("Location").orElseThrow()).endsWith("/console/login?signedOut");
    browser.session = signedInSession;
    assertThat(browser.get("/console/agents").statusCode()).isEqualTo(302);
  }
}
