package dev.saturn.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.app.e2e.TestApp.Tenant;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.catalina.Context;
import org.apache.catalina.Session;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * The console's API keys, Users, password and operator pages over real HTTP: the same services and
 * rules as the REST API, the secret shown once and kept nowhere, tenant isolation by id, the operator's
 * session apart from the tenants', and bad input answered with a message instead of a 500.
 */
class ConsolePeopleEndToEndTest extends BootedSaturn {

  private static final Pattern SECRET = Pattern.compile("value=\"(sat_[A-Za-z0-9_]+)\"");
  private static final Pattern RESET_LINK = Pattern.compile("value=\"(http[^\"]+/console/reset-password\\?token=(prt_[A-Za-z0-9_-]+))\"");

  @Autowired WebServerApplicationContext server;

  private ConsoleBrowser signedIn(String email) throws Exception {
    ConsoleBrowser browser = new ConsoleBrowser(port);
    HttpResponse<String> in = browser.signIn(email, PASSWORD);
    assertThat(in.headers().firstValue("Location").orElseThrow()).as("signed in as %s", email).endsWith("/console/agents");
    return browser;
  }

  private ConsoleBrowser operator() throws Exception {
    ConsoleBrowser browser = new ConsoleBrowser(port);
    HttpResponse<String> in = browser.post("/console/operator/login",
        Map.of("_csrf", browser.csrf("/console/operator/login"), "token", ADMIN));
    assertThat(in.headers().firstValue("Location").orElseThrow()).endsWith("/console/operator/companies");
    return browser;
  }

  /** Posts the form and, as a browser does, follows the redirect: the page the notice lands on. */
  private static HttpResponse<String> submit(ConsoleBrowser browser, String path, Map<String, ?> form) throws Exception {
    HttpResponse<String> answer = browser.post(path, form);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(302);
    return browser.get(URI.create(answer.headers().firstValue("Location").orElseThrow()).getPath());
  }

  private int apiStatus(String key, String path) {
    return http().get(path, key).status();
  }

  /** Everything the server keeps in the browser's session, serialized as Java serializes it. */
  private String sessionContents(ConsoleBrowser browser) throws Exception {
    Context context = (Context) ((TomcatWebServer) server.getWebServer()).getTomcat().getHost().findChildren()[0];
    Session session = context.getManager().findSession(browser.session);
    assertThat(session).as("the browser's session on the server").isNotNull();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      for (String name : Collections.list(session.getSession().getAttributeNames())) {
        out.writeObject(name);
        out.writeObject(session.getSession().getAttribute(name));
      }
    }
    return bytes.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void givenAnOwner_whenCreatingAKey_itShouldShowTheSecretOnceKeepItOutOfTheSessionAndRevokeItAfterAConfirmStep() throws Exception {
    Tenant acme = newCompany("people-keys");
    newUser(acme, "owner2@people-keys.test", "owner");
    ConsoleBrowser owner = signedIn("owner2@people-keys.test");

    HttpResponse<String> created = owner.post("/console/api-keys",
        Map.of("_csrf", owner.csrf("/console/api-keys"), "name", "ci key", "scopes", List.of("chat", "agents:read")));

    assertThat(created.statusCode()).isEqualTo(200);
    assertThat(created.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
    assertThat(created.body()).contains(">Copy</button>", "/console/assets/copy.js", "readonly");
    Matcher secret = SECRET.matcher(created.body());
    assertThat(secret.find()).as(created.body()).isTrue();
    String key = secret.group(1);
    assertThat(apiStatus(key, "/v1/agents")).isEqualTo(200);
    assertThat(sessionContents(owner)).doesNotContain(key).doesNotContain(key.substring(key.lastIndexOf('_') + 1));
    String list = owner.get("/console/api-keys").body();
    assertThat(list).contains("ci key", "chat, agents:read").doesNotContain(key.substring(key.lastIndexOf('_') + 1));

    var keys = http().get("/v1/api-keys", acme.apiKey()).body().path("items");
    String keyId = null;
    for (var k : keys) {
      if (k.path("name").asText().equals("ci key")) {
        keyId = k.path("id").asText();
      }
    }
    assertThat(keyId).isNotNull();
    var audit = http().get("/v1/audit-logs?action=api_key.create", acme.apiKey()).body().toString();
    assertThat(audit).contains(keyId);

    HttpResponse<String> confirm = owner.get("/console/api-keys/" + keyId + "/revoke");
    assertThat(confirm.body()).contains("Revoke ci key", ">Revoke</button>");
    assertThat(apiStatus(key, "/v1/agents")).as("not revoked before the confirm step's POST").isEqualTo(200);
    HttpResponse<String> revoked = owner.post("/console/api-keys/" + keyId + "/revoke", Map.of("_csrf", owner.csrf("/console/api-keys")));
    assertThat(revoked.statusCode()).isEqualTo(302);
    assertThat(owner.get("/console/api-keys").body()).contains("API key ci key", "revoked.");
    assertThat(apiStatus(key, "/v1/agents")).isEqualTo(401);
    assertThat(sessionContents(owner)).doesNotContain(key.substring(key.lastIndexOf('_') + 1));
  }

  @Test
  void givenAKey_whenRotatedInTheConsole_itShouldShowTheNewSecretOnceAndKeepTheOldOneForTheGrace() throws Exception {
    Tenant acme = newCompany("people-rotate");
    newUser(acme, "admin@people-rotate.test", "admin");
    ConsoleBrowser admin = signedIn("admin@people-rotate.test");
    Matcher first = SECRET.matcher(admin.post("/console/api-keys",
        Map.of("_csrf", admin.csrf("/console/api-keys"), "name", "rotating", "scopes", "chat")).body());
    assertThat(first.find()).isTrue();
    String keyId = http().get("/v1/api-keys", acme.apiKey()).body().path("items").get(0).path("id").asText();

    HttpResponse<String> rotated = admin.post("/console/api-keys/" + keyId + "/rotate", Map.of("_csrf", admin.csrf("/console/api-keys")));

    Matcher second = SECRET.matcher(rotated.body());
    assertThat(second.find()).as(rotated.body()).isTrue();
    assertThat(second.group(1)).isNotEqualTo(first.group(1));
    assertThat(rotated.body()).contains("rotated", "keeps working until");
    assertThat(apiStatus(second.group(1), "/v1/agents")).isEqualTo(200);
    assertThat(apiStatus(first.group(1), "/v1/agents")).as("the old key in its grace period").isEqualTo(200);
    assertThat(sessionContents(admin)).doesNotContain(second.group(1));
  }

  @Test
  void givenTheKeyAndUserPages_whenADeveloperOrAViewerOpensThem_itShouldApplyTheApisPermissions() throws Exception {
    Tenant acme = newCompany("people-roles");
    newUser(acme, "dev@people-roles.test", "developer");
    ConsoleBrowser developer = signedIn("dev@people-roles.test");

    assertThat(developer.get("/console/api-keys").statusCode()).isEqualTo(403);
    HttpResponse<String> users = developer.get("/console/users");
    assertThat(users.statusCode()).isEqualTo(200);
    assertThat(users.body()).contains("dev@people-roles.test").doesNotContain(">Invite</button>", "Deactivate");
    String csrf = developer.csrf("/console/users");
    assertThat(developer.post("/console/users", Map.of("_csrf", csrf, "email", "x@people-roles.test", "role", "owner"))
        .statusCode()).isEqualTo(403);
    assertThat(developer.post("/console/api-keys", Map.of("_csrf", csrf, "name", "k", "scopes", "chat")).statusCode())
        .isEqualTo(403);
    assertThat(http().get("/v1/users", acme.apiKey()).body().toString()).doesNotContain("x@people-roles.test");
  }

  @Test
  void givenAnAdmin_whenActingOnTheOwner_itShouldShowUserManagementsRefusalsAsMessages() throws Exception {
    Tenant acme = newCompany("people-owner-rules");
    newUser(acme, "admin@people-owner-rules.test", "admin");
    ConsoleBrowser admin = signedIn("admin@people-owner-rules.test");
    String ownerId = http().get("/v1/users", acme.apiKey()).body().path("items").findValues("id").stream()
        .map(Object::toString).map(s -> s.replace("\"", ""))
        .filter(id -> http().get("/v1/users/" + id, acme.apiKey()).body().path("role").asText().equals("owner"))
        .findFirst().orElseThrow();

    HttpResponse<String> refused = admin.post("/console/users/" + ownerId + "/deactivate", Map.of("_csrf", admin.csrf("/console/users")));
    assertThat(refused.statusCode()).isEqualTo(302);
    assertThat(admin.get("/console/users").body()).contains("role=\"alert\"", "Only an owner may deactivate an owner");
    HttpResponse<String> grant = admin.post("/console/users",
        Map.of("_csrf", admin.csrf("/console/users"), "email", "new@people-owner-rules.test", "role", "owner"));
    assertThat(grant.statusCode()).isEqualTo(200);
    assertThat(grant.body()).contains("Only an owner may grant the owner role");
    assertThat(http().get("/v1/users/" + ownerId, acme.apiKey()).body().path("status").asText()).isEqualTo("active");
  }

  @Test
  void givenTwoCompanies_whenBActsOnAsKeyOrUserById_itShouldFindNothingAndChangeNothing() throws Exception {
    Tenant a = newCompany("people-iso-a");
    Tenant b = newCompany("people-iso-b");
    String aUser = newUser(a, "dev@people-iso-a.test", "developer");
    newUser(b, "owner2@people-iso-b.test", "owner");
    String aKeyId = http().get("/v1/api-keys", a.apiKey()).body().path("items").get(0).path("id").asText();
    ConsoleBrowser bOwner = signedIn("owner2@people-iso-b.test");
    String csrf = bOwner.csrf("/console/users");

    assertThat(bOwner.get("/console/api-keys/" + aKeyId + "/revoke").statusCode()).isEqualTo(302);
    bOwner.post("/console/api-keys/" + aKeyId + "/revoke", Map.of("_csrf", csrf));
    bOwner.post("/console/api-keys/" + aKeyId + "/rotate", Map.of("_csrf", csrf));
    bOwner.post("/console/users/" + aUser + "/role", Map.of("_csrf", csrf, "role", "viewer"));
    bOwner.post("/console/users/" + aUser + "/deactivate", Map.of("_csrf", csrf));
    HttpResponse<String> link = bOwner.post("/console/users/" + aUser + "/reset-link", Map.of("_csrf", csrf));

    assertThat(link.statusCode()).isEqualTo(302);
    assertThat(bOwner.get("/console/users").body()).contains("not found").doesNotContain("dev@people-iso-a.test");
    assertThat(bOwner.get("/console/api-keys").body()).doesNotContain("initial owner key\" (");
    assertThat(apiStatus(a.apiKey(), "/v1/agents")).isEqualTo(200);
    var user = http().get("/v1/users/" + aUser, a.apiKey()).body();
    assertThat(user.path("role").asText()).isEqualTo("developer");
    assertThat(user.path("status").asText()).isEqualTo("active");
    assertThat(http().get("/v1/api-keys", a.apiKey()).body().path("items")).hasSize(1);
  }

  @Test
  void givenAnInvitedUser_whenSettingAPasswordThroughTheLink_itShouldSignInOnceAndTheLinkShouldNotWorkTwice() throws Exception {
    Tenant acme = newCompany("people-invite");
    newUser(acme, "owner2@people-invite.test", "owner");
    ConsoleBrowser owner = signedIn("owner2@people-invite.test");

    HttpResponse<String> invited = owner.post("/console/users",
        Map.of("_csrf", owner.csrf("/console/users"), "email", "new@people-invite.test", "role", "viewer"));

    Matcher link = RESET_LINK.matcher(invited.body());
    assertThat(link.find()).as(invited.body()).isTrue();
    assertThat(sessionContents(owner)).doesNotContain(link.group(2));
    ConsoleBrowser invitee = new ConsoleBrowser(port);
    String path = URI.create(link.group(1)).getRawPath() + "?" + URI.create(link.group(1)).getRawQuery();
    HttpResponse<String> form = invitee.get(path);
    assertThat(form.body()).contains("New password", "Confirm new password");
    String csrf = invitee.csrf(path);
    HttpResponse<String> mismatch = invitee.post("/console/reset-password",
        Map.of("_csrf", csrf, "token", link.group(2), "password", "a new password 1", "confirm", "another"));
    assertThat(mismatch.statusCode()).isEqualTo(200);
    assertThat(mismatch.body()).contains("differ");
    HttpResponse<String> set = invitee.post("/console/reset-password",
        Map.of("_csrf", csrf, "token", link.group(2), "password", "a new password 1", "confirm", "a new password 1"));
    assertThat(set.headers().firstValue("Location").orElseThrow()).endsWith("/console/login?passwordSet");
    assertThat(invitee.signIn("new@people-invite.test", "a new password 1").headers().firstValue("Location").orElseThrow())
        .endsWith("/console/agents");

    HttpResponse<String> again = new ConsoleBrowser(port).post("/console/reset-password",
        Map.of("_csrf", invitee.csrf("/console/password"), "token", link.group(2), "password", "x", "confirm", "x"));
    assertThat(again.statusCode()).as("another session's CSRF token").isEqualTo(403);
    ConsoleBrowser third = new ConsoleBrowser(port);
    HttpResponse<String> used = third.post("/console/reset-password", Map.of("_csrf", third.csrf(path), "token", link.group(2),
        "password", "yet another password", "confirm", "yet another password"));
    assertThat(used.statusCode()).isEqualTo(200);
    assertThat(used.body()).contains("invalid, already used or expired");
    assertThat(third.get("/console/reset-password?token=garbage").body()).contains("invalid, already used or expired");
  }

  @Test
  void givenASignedInUser_whenChangingThePassword_itShouldDemandTheCurrentOneAndSignInWithTheNewOne() throws Exception {
    Tenant acme = newCompany("people-password");
    newUser(acme, "dev@people-password.test", "developer");
    ConsoleBrowser dev = signedIn("dev@people-password.test");

    HttpResponse<String> wrong = dev.post("/console/password", Map.of("_csrf", dev.csrf("/console/password"),
        "current", "not it at all", "password", "brand new password", "confirm", "brand new password"));
    assertThat(wrong.statusCode()).isEqualTo(200);
    assertThat(wrong.body()).contains("Current password is not your current password", "aria-invalid=\"true\"");
    HttpResponse<String> tooShort = dev.post("/console/password", Map.of("_csrf", dev.csrf("/console/password"),
        "current", PASSWORD, "password", "short", "confirm", "short"));
    assertThat(tooShort.body()).contains("New password must be at least");
    HttpResponse<String> changed = dev.post("/console/password", Map.of("_csrf", dev.csrf("/console/password"),
        "current", PASSWORD, "password", "brand new password", "confirm", "brand new password"));

    assertThat(changed.statusCode()).isEqualTo(302);
    assertThat(dev.get("/console/password").body()).contains("Your password is changed.");
    assertThat(new ConsoleBrowser(port).signIn("dev@people-password.test", PASSWORD).headers().firstValue("Location")
        .orElseThrow()).endsWith("/console/login?error=refused");
    assertThat(new ConsoleBrowser(port).signIn("dev@people-password.test", "brand new password").headers()
        .firstValue("Location").orElseThrow()).endsWith("/console/agents");
  }

  @Test
  void givenTheOperatorToken_whenSigningInToTheOperatorConsole_itShouldRenewTheSessionAndReachOnlyOperatorPages() throws Exception {
    Tenant acme = newCompany("people-operator");
    newUser(acme, "dev@people-operator.test", "developer");
    ConsoleBrowser wrong = new ConsoleBrowser(port);
    HttpResponse<String> refused = wrong.post("/console/operator/login",
        Map.of("_csrf", wrong.csrf("/console/operator/login"), "token", "not the token"));
    assertThat(refused.headers().firstValue("Location").orElseThrow()).endsWith("/console/operator/login?error=refused");
    assertThat(wrong.get("/console/operator/companies").statusCode()).isEqualTo(302);

    ConsoleBrowser operator = new ConsoleBrowser(port);
    String csrf = operator.csrf("/console/operator/login");
    String anonymous = operator.session;
    HttpResponse<String> in = operator.post("/console/operator/login", Map.of("_csrf", csrf, "token", ADMIN));
    assertThat(in.headers().firstValue("Location").orElseThrow()).endsWith("/console/operator/companies");
    assertThat(operator.session).as("a new session id at sign-in").isNotEqualTo(anonymous);
    assertThat(operator.csrf("/console/operator/companies")).as("a new CSRF token at sign-in").isNotEqualTo(csrf);

    HttpResponse<String> companies = operator.get("/console/operator/companies");
    assertThat(companies.statusCode()).isEqualTo(200);
    assertThat(companies.body()).contains("people-operator", ">Companies<", ">Plans<").doesNotContain(">Agents<");
    HttpResponse<String> tenantPage = operator.get("/console/agents");
    assertThat(tenantPage.statusCode()).isEqualTo(403);
    assertThat(tenantPage.body()).contains("href=\"/console/operator/companies\"");
    assertThat(operator.get("/console/users").statusCode()).isEqualTo(403);
    assertThat(operator.get("/console/password").statusCode()).isEqualTo(403);

    ConsoleBrowser tenant = signedIn("dev@people-operator.test");
    assertThat(tenant.get("/console/operator/companies").statusCode()).isEqualTo(403);
    assertThat(tenant.get("/console/operator/plans").statusCode()).isEqualTo(403);
    assertThat(tenant.post("/console/operator/companies/" + acme.companyId() + "/suspend",
        Map.of("_csrf", tenant.csrf("/console/agents"))).statusCode()).isEqualTo(403);
    assertThat(http().get("/v1/companies/" + acme.companyId(), ADMIN).body().path("status").asText()).isEqualTo("active");
    // Nor does the operator's console session reach the API.
    assertThat(operator.get("/v1/companies").statusCode()).isEqualTo(401);
  }

  @Test
  void givenTheOperator_whenManagingCompaniesAndPlans_itShouldGoThroughTheApisServicesAndAnswerBadInputWithMessages()
      throws Exception {
    ConsoleBrowser operator = operator();
    assertThat(operator.get("/console").headers().firstValue("Location").orElse(""))
        .as("the operator's console home").endsWith("/console/operator/companies");
    HttpResponse<String> badEmail = operator.post("/console/operator/companies", Map.of("_csrf",
        operator.csrf("/console/operator/companies"), "name", "Initech", "ownerEmail", "not an email", "ownerPassword", ""));
    assertThat(badEmail.statusCode()).isEqualTo(200);
    assertThat(badEmail.body()).contains("The owner email must be");

    HttpResponse<String> created = operator.post("/console/operator/companies", Map.of("_csrf",
        operator.csrf("/console/operator/companies"), "name", "Initech people", "ownerEmail", "boss@initech-people.test",
        "ownerPassword", PASSWORD));
    Matcher key = SECRET.matcher(created.body());
    assertThat(key.find()).as(created.body()).isTrue();
    assertThat(apiStatus(key.group(1), "/v1/agents")).isEqualTo(200);
    assertThat(sessionContents(operator)).doesNotContain(key.group(1));
    String companyId = null;
    for (var c : http().get("/v1/companies?limit=200", ADMIN).body().path("items")) {
      if (c.path("name").asText().equals("Initech people")) {
        companyId = c.path("id").asText();
      }
    }
    assertThat(companyId).isNotNull();

    String csrf = operator.csrf("/console/operator/plans");
    HttpResponse<String> badPlan = operator.post("/console/operator/plans", new HashMap<>(Map.of("_csrf", csrf, "id", "Bad Id",
        "name", "x", "currency", "usd", "baseFee", "ten", "includedTokens", "0", "quota", "", "toolCallPrice", "0",
        "modelPrices", "echo 1")));
    assertThat(badPlan.statusCode()).isEqualTo(200);
    assertThat(badPlan.body()).contains("must be a whole number", "must match", "ISO 4217", "each line must be");
    HttpResponse<String> plan = operator.post("/console/operator/plans", new HashMap<>(Map.of("_csrf", csrf, "id", "people-pro",
        "name", "Pro", "currency", "EUR", "baseFee", "4900", "includedTokens", "1000000", "quota", "5000000",
        "toolCallPrice", "1", "modelPrices", "echo 2 4\ngpt-4o 250 1000")));
    assertThat(plan.statusCode()).as(plan.body()).isEqualTo(302);
    var stored = http().get("/v1/plans/people-pro", ADMIN).body();
    assertThat(stored.path("monthly_token_quota").asLong()).isEqualTo(5_000_000L);
    assertThat(stored.path("model_prices").path("gpt-4o").path("output_per_1k_minor").asLong()).isEqualTo(1000);

    HttpResponse<String> edited = operator.post("/console/operator/plans/people-pro", Map.of("_csrf", csrf, "name", "Pro",
        "baseFee", "5900", "includedTokens", "1000000", "quota", "", "toolCallPrice", "1", "modelPrices", "echo 3 5"));
    assertThat(edited.statusCode()).isEqualTo(302);
    stored = http().get("/v1/plans/people-pro", ADMIN).body();
    assertThat(stored.path("base_fee_minor").asLong()).isEqualTo(5900);
    assertThat(stored.path("monthly_token_quota").isNull() || stored.path("monthly_token_quota").isMissingNode()).isTrue();
    assertThat(stored.path("model_prices").has("gpt-4o")).isFalse();
    assertThat(operator.get("/console/operator/plans/no-such-plan").statusCode()).isEqualTo(302);

    submit(operator, "/console/operator/companies/" + companyId + "/plan", Map.of("_csrf", csrf, "plan", "people-pro"));
    assertThat(http().get("/v1/companies/" + companyId, ADMIN).body().path("plan").asText()).isEqualTo("people-pro");
    assertThat(submit(operator, "/console/operator/companies/" + companyId + "/plan",
        Map.of("_csrf", csrf, "plan", "no-such-plan")).body()).contains("no plan with id no-such-plan");

    assertThat(submit(operator, "/console/operator/companies/" + companyId + "/suspend", Map.of("_csrf", csrf)).body())
        .contains("Initech people is suspended.");
    assertThat(new ConsoleBrowser(port).signIn("boss@initech-people.test", PASSWORD).headers().firstValue("Location")
        .orElseThrow()).endsWith("/console/login?error=suspended");
    submit(operator, "/console/operator/companies/" + companyId + "/reactivate", Map.of("_csrf", csrf));
    signedIn("boss@initech-people.test");
    assertThat(http().get("/v1/audit-logs?action=company.suspend", key.group(1)).body().toString()).contains(companyId);
    assertThat(submit(operator, "/console/operator/companies/no-such-company/suspend", Map.of("_csrf", csrf)).body())
        .contains("company no-such-company not found");
  }

  /** A bare request to a console page with a bearer operator token opens nothing. */
  @Test
  void givenTheOperatorTokenAsABearer_whenOpeningAnOperatorPage_itShouldNotBeSignedIn() throws Exception {
    HttpResponse<String> page = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/console/operator/companies"))
            .header("Authorization", "Bearer " + ADMIN).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(401);
  }
}
