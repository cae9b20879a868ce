package dev.saturn.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.activities.llm.testing.OpenAiStandIn;
import dev.saturn.activities.llm.testing.OpenAiStandIn.ScriptedCall;
import dev.saturn.activities.llm.testing.RecordedRequest;
import dev.saturn.activities.tools.ToolServer;
import dev.saturn.app.durability.SaturnProcess;
import dev.saturn.app.e2e.HttpJson;
import dev.saturn.app.e2e.Pytest;
import dev.saturn.app.e2e.TestApp;
import dev.saturn.app.runtime.LocalPorts;
import dev.saturn.db.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

/**
 * The web console in a real browser against the packaged jar: the pytest files in
 * {@code src/test/python/console/} (one per console area, shared helpers in its {@code conftest.py}) drive
 * Debian's Chromium with Playwright through each area's journeys and run axe-core on every page (0 serious
 * or critical violations). Their screenshots land in {@link #SCREENSHOTS}.
 *
 * <p>Agents with provider {@code openai} talk to an OpenAI-format stand-in that asks for the tool
 * {@value #TOOL} (its URL: SATURN_TOOL_URL, a tiny HTTP target allowed as an outbound host) until the
 * request carries its result, then answers {@value #PAID} (or {@value #NOT_PAID} when the call was
 * denied); the offline provider streams slowly enough ({@code saturn.llm.offline.stream-pace}) for the
 * browser to see its answer grow.
 *
 * <p>Skipped without Chromium and a Python with Playwright, pytest and axe-playwright-python
 * ({@code .ci/install-browser.sh} installs them; SATURN_BROWSER_PYTHON names that Python, SATURN_CHROMIUM
 * the browser), unless SATURN_REQUIRE_BROWSER is set, as in CI: then it fails.
 */
class ConsoleBrowserIT {

  static final String ADMIN = "console-browser-it-operator-token";
  static final String PASSWORD = "console browser password 1";
  static final Path JAR = Path.of("target", "saturn.jar").toAbsolutePath();
  static final Path WORK = Path.of("target", "console-browser-it").toAbsolutePath();
  static final Path SCRIPT = Path.of("src", "test", "python", "console").toAbsolutePath();
  /**
   * Where the page screenshots go: under target/, so a test run leaves the working tree clean; with
   * {@code SATURN_CONSOLE_SCREENSHOTS_TO_DOCS=1} into {@code docs/console/}, refreshing the ones docs/console.md shows.
   */
  static final Path SCREENSHOTS = "1".equals(System.getenv("SATURN_CONSOLE_SCREENSHOTS_TO_DOCS"))
      ? Path.of("..", "docs", "console").toAbsolutePath().normalize()
      : WORK.resolve("screenshots");
  static final Duration PYTEST_TIMEOUT = Duration.ofMinutes(12);
  static final String TOOL = "pay";
  static final String PAID = "The payment went through.";
  static final String NOT_PAID = "The payment was not made.";

  @Test
  void givenThePackagedJar_whenAPersonUsesTheConsoleInChromium_itShouldWorkAndBeAccessible() throws Exception {
    String chromium = System.getenv().getOrDefault("SATURN_CHROMIUM", "/usr/bin/chromium");
    String python = browserPython(chromium);
    assertThat(JAR).as("packaged jar (this is a failsafe test: run after package)").exists();
    Files.createDirectories(WORK);
    if (SCREENSHOTS.startsWith(WORK)) {
      FileSystemUtils.deleteRecursively(SCREENSHOTS); // the checks below then see this run's screenshots
    }
    try (TestDatabase database = TestDatabase.create();
        OpenAiStandIn model = OpenAiStandIn.start().withUsage(30, 6);
        ToolServer tools = ToolServer.start().answering(request -> ToolServer.Answer.json("{\"paid\":true}"))) {
      model.callToolsWhen(ConsoleBrowserIT::toolCalls).respondWith(ConsoleBrowserIT::answer)
          .streamPace(Duration.ofMillis(60), Duration.ofMillis(60));
      Map<String, String> env = new HashMap<>();
      env.put("SATURN_DB_URL", database.jdbcUrl());
      env.put("SATURN_DB_USERNAME", "root");
      env.put("SATURN_TEMPORAL_MODE", "embedded");
      env.put("SATURN_TEMPORAL_PORT", Integer.toString(LocalPorts.pickFree()));
      env.put("SATURN_DATA_DIR", WORK.resolve("data").toString());
      env.put("SATURN_ADMIN_TOKEN", ADMIN);
      env.put("SATURN_AUTH_LOGIN_ATTEMPTSPERIPPERMINUTE", "0");
      env.put("SATURN_OPENAI_BASE_URL", model.baseUrl());
      env.put("SATURN_OUTBOUND_ALLOWED_HOSTS", "127.0.0.1:" + tools.port());
      // Slow enough that a person (and the browser test) sees the offline answer grow.
      env.put("SATURN_LLM_OFFLINE_STREAMPACE", "60ms");
      try (SaturnProcess saturn = SaturnProcess.start("saturn", JAR, WORK, LocalPorts.pickFree(), env)) {
        saturn.awaitReady(SaturnProcess.STARTUP);
        HttpJson http = new HttpJson(saturn.baseUrl());
        Map<String, String> browserEnv = new HashMap<>();
        browserEnv.put("SATURN_BASE_URL", saturn.baseUrl());
        browserEnv.put("SATURN_CHROMIUM", chromium);
        browserEnv.put("SATURN_PASSWORD", PASSWORD);
        TestApp.Tenant acme = company(http, "Acme");
        TestApp.Tenant globex = company(http, "Globex");
        browserEnv.put("SATURN_OWNER_A", "owner@acme.test");
        browserEnv.put("SATURN_API_KEY_A", acme.apiKey());
        browserEnv.put("SATURN_USER_A", developer(http, acme, "acme"));
        browserEnv.put("SATURN_USER_B", developer(http, globex, "globex"));
        browserEnv.put("SATURN_ADMIN_TOKEN", ADMIN);
        browserEnv.put("SATURN_SCREENSHOTS", SCREENSHOTS.toString());
        browserEnv.put("SATURN_TOOL_URL", "http://127.0.0.1:" + tools.port() + "/" + TOOL);
        browserEnv.put("SATURN_TOOL_NAME", TOOL);
        browserEnv.put("SATURN_PAID_ANSWER", PAID);
        browserEnv.put("SATURN_NOT_PAID_ANSWER", NOT_PAID);

        Pytest.Run pytest = Pytest.run(python, SCRIPT, WORK, browserEnv, PYTEST_TIMEOUT);

        System.out.println(pytest.output());
        assertThat(pytest.exitCode())
            .as("pytest %s (exit %d); its output:%n%s%nSATURN's log: %s", SCRIPT, pytest.exitCode(), pytest.output(), saturn.log())
            .isZero();
        assertThat(pytest.output()).containsPattern("\\d+ passed").doesNotContain(" skipped", " failed", " error");
        assertThat(SCREENSHOTS.resolve("agents.png")).exists();
        assertThat(SCREENSHOTS.resolve("chat-approval.png")).exists();
        assertThat(tools.count()).as("the approved call reached the tool, the denied ones did not").isEqualTo(1);
      }
    }
  }

  /** The stand-in's tool call: while the model is offered {@value #TOOL} and has no result of it yet. */
  private static List<ScriptedCall> toolCalls(RecordedRequest request) {
    return request.toolNames().contains(TOOL) && request.toolResults().isEmpty()
        ? List.of(new ScriptedCall("call_" + TOOL + "_" + request.number(), TOOL,
            "{\"amount\": 12, \"password\": \"hunter2-console\"}"))
        : List.of();
  }

  /** The stand-in's answer once the tool's result (or its refusal) is in the request. */
  private static String answer(RecordedRequest request) {
    if (request.toolResults().isEmpty()) {
      return "No tool was called.";
    }
    return request.toolResults().values().stream().anyMatch(result -> result.contains("DENIED")) ? NOT_PAID : PAID;
  }

  /**
   * A new company whose owner, owner@{name}.test, has the password. Fixed names (the database is new
   * each run) keep the screenshots the same from run to run.
   */
  private static TestApp.Tenant company(HttpJson http, String name) {
    String domain = name.toLowerCase(java.util.Locale.ROOT);
    HttpJson.Response created = http.post("/v1/companies", ADMIN,
        Map.of("name", name, "owner", Map.of("email", "owner@" + domain + ".test", "password", PASSWORD)));
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    return new TestApp.Tenant(created.body().path("company").path("id").asText(),
        created.body().path("owner").path("id").asText(), created.text("api_key"));
  }

  /** A developer with the password in the company; the developer's email. */
  private static String developer(HttpJson http, TestApp.Tenant tenant, String domain) {
    String email = "dev@" + domain + ".test";
    HttpJson.Response user = http.post("/v1/users", tenant.apiKey(),
        Map.of("email", email, "role", "developer", "password", PASSWORD));
    assertThat(user.status()).as(user.body().toString()).isEqualTo(201);
    return email;
  }

  /** SATURN_BROWSER_PYTHON (else python3) with the browser packages, and Chromium; else skipped, or failed in CI. */
  private static String browserPython(String chromium) throws InterruptedException {
    String python = System.getenv().getOrDefault("SATURN_BROWSER_PYTHON", "python3");
    String why = Files.isExecutable(Path.of(chromium))
        ? Pytest.cannotRun(python, "import playwright.sync_api, pytest, axe_playwright_python")
        : "no Chromium at " + chromium;
    if (why != null) {
      Pytest.missing(why + "; run .ci/install-browser.sh", "SATURN_REQUIRE_BROWSER");
    }
    return python;
  }
}
