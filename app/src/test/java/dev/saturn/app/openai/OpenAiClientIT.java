package dev.saturn.app.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.activities.llm.testing.OpenAiStandIn;
import dev.saturn.activities.llm.testing.OpenAiStandIn.ScriptedCall;
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

/**
 * The official {@code openai} Python client against the packaged jar: {@code
 * src/test/python/openai_compat_test.py} runs under pytest with the jar's base URL, a company key
 * and the agents it needs; this test passes when pytest does, and shows pytest's output either way.
 * The agents' model is the OpenAI-format stand-in, which asks for the tool {@code guarded} (it
 * needs a person's approval) whenever it is offered it and has no result for it yet.
 *
 * <p>Skipped without a Python that imports {@code openai} and {@code pytest} (set SATURN_PYTHON to
 * choose one; {@code .ci/install-openai-client.sh} installs them), unless
 * SATURN_REQUIRE_OPENAI_CLIENT is set, as in CI: then it fails.
 */
class OpenAiClientIT {

  static final String ADMIN = "openai-client-it-operator-token";
  static final Path JAR = Path.of("target", "saturn.jar").toAbsolutePath();
  static final Path WORK = Path.of("target", "openai-client-it").toAbsolutePath();
  static final Path SCRIPT = Path.of("src", "test", "python", "openai_compat_test.py").toAbsolutePath();
  static final Duration PYTEST_TIMEOUT = Duration.ofMinutes(10);

  @Test
  void givenThePackagedJar_whenTheOfficialOpenAiPythonClientUsesIt_itShouldPassTheClientsTests() throws Exception {
    String python = pythonWithOpenAiClient();
    assertThat(JAR).as("packaged jar (this is a failsafe test: run after package)").exists();
    Files.createDirectories(WORK);
    try (TestDatabase database = TestDatabase.create();
        OpenAiStandIn model = OpenAiStandIn.start().withUsage(21, 8)) {
      model.callToolsWhen(request -> request.toolNames().contains("guarded") && request.toolResults().isEmpty()
          ? List.of(new ScriptedCall("call_guarded_" + request.number(), "guarded", "{}"))
          : List.of());
      Map<String, String> env = new HashMap<>();
      env.put("SATURN_DB_URL", database.jdbcUrl());
      env.put("SATURN_DB_USERNAME", "root");
      env.put("SATURN_TEMPORAL_MODE", "embedded");
      env.put("SATURN_TEMPORAL_PORT", Integer.toString(LocalPorts.pickFree()));
      env.put("SATURN_DATA_DIR", WORK.resolve("data").toString());
      env.put("SATURN_ADMIN_TOKEN", ADMIN);
      env.put("SATURN_OPENAI_BASE_URL", model.baseUrl());
      env.put("SATURN_RATE_LIMIT_ENABLED", "false");
      try (SaturnProcess saturn = SaturnProcess.start("saturn", JAR, WORK, LocalPorts.pickFree(), env)) {
        saturn.awaitReady(SaturnProcess.STARTUP);
        Map<String, String> clientEnv = setUp(new HttpJson(saturn.baseUrl()));
        clientEnv.put("SATURN_BASE_URL", saturn.baseUrl());

        Pytest.Run run = Pytest.run(python, SCRIPT, WORK, clientEnv, PYTEST_TIMEOUT);

        System.out.println(run.output());
        assertThat(run.exitCode())
            .as("pytest %s (exit %d); its output:%n%s%nSATURN's log: %s", SCRIPT, run.exitCode(), run.output(), saturn.log())
            .isZero();
        assertThat(run.output()).contains(" passed").doesNotContain(" skipped", " failed");
      }
    }
  }

  /** A company, an agent that answers and one whose model waits for an approval; their ids for the client. */
  private static Map<String, String> setUp(HttpJson http) {
    TestApp.Tenant tenant = TestApp.newCompany(http, ADMIN, "python-" + System.nanoTime());
    String name = "python-agent-" + System.nanoTime();
    HttpJson.Response agent = http.post("/v1/agents", tenant.apiKey(), Map.of("name", name, "config", Map.of("provider", "openai")));
    assertThat(agent.status()).as(agent.body().toString()).isEqualTo(201);
    HttpJson.Response guarded = http.post("/v1/tools", tenant.apiKey(), Map.of(
        "name", "guarded", "description", "needs a person", "method", "POST", "url", "https://tools.example.test/guarded",
        "requires_approval", true));
    assertThat(guarded.status()).as(guarded.body().toString()).isEqualTo(201);
    HttpJson.Response approving = http.post("/v1/agents", tenant.apiKey(),
        Map.of("name", name + "-approvals", "config", Map.of("provider", "openai")));
    assertThat(http.post("/v1/agents/" + approving.text("id") + "/tools/" + guarded.text("id"), tenant.apiKey(), Map.of())
        .status()).isEqualTo(200);
    Map<String, String> env = new HashMap<>();
    env.put("SATURN_API_KEY", tenant.apiKey());
    env.put("SATURN_AGENT_ID", agent.text("id"));
    env.put("SATURN_AGENT_NAME", name);
    env.put("SATURN_APPROVAL_AGENT", approving.text("id"));
    return env;
  }

  /**
   * SATURN_PYTHON, else python3, if it imports the client and pytest; else the test is skipped, or
   * fails where SATURN_REQUIRE_OPENAI_CLIENT is set.
   */
  private static String pythonWithOpenAiClient() throws InterruptedException {
    String python = System.getenv().getOrDefault("SATURN_PYTHON", "python3");
    String why = Pytest.cannotRun(python, "import openai, pytest");
    if (why != null) {
      Pytest.missing(why + "; run .ci/install-openai-client.sh (or pip install openai pytest)", "SATURN_REQUIRE_OPENAI_CLIENT");
    }
    return python;
  }
}
