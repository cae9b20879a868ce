package dev.saturn.activities.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saturn.activities.billing.ProviderAttemptRecorder;
import dev.saturn.activities.common.BusinessMetrics;
import dev.saturn.activities.common.HeartbeatingPool;
import dev.saturn.activities.llm.ChatProviders;
import dev.saturn.activities.llm.CompanyProviders;
import dev.saturn.activities.llm.LlmProperties;
import dev.saturn.activities.llm.OfflineChatProvider;
import dev.saturn.activities.llm.OllamaChatProvider;
import dev.saturn.activities.llm.testing.OllamaStandIn;
import dev.saturn.activities.webhooks.testing.TestWebhookFacts;
import dev.saturn.activities.tools.ToolCatalog;
import dev.saturn.common.outbound.SsrfGuard;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.providers.ProviderSettingsRepository;
import dev.saturn.db.providers.ProviderSettingsRow;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.Repositories;
import dev.saturn.db.testing.TestDatabase;
import dev.saturn.db.tools.ToolSecrets;
import dev.saturn.db.usage.ProviderAttemptRepository;
import dev.saturn.db.usage.UsageEventRepository;
import dev.saturn.workflows.chat.ChatTurnInput;
import dev.saturn.workflows.chat.ChatTurnResult;
import dev.saturn.workflows.chat.ChatTurnWorkflow;
import dev.saturn.workflows.chat.ChatTurnWorkflowImpl;
import dev.saturn.workflows.common.SaturnSearchAttributes;
import dev.saturn.workflows.common.TaskQueues;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whole chat turns on the Temporal test server (real time, no skipping) against an Ollama stand-in
 * registered as the company's own provider: the company's endpoint, key and model are used, the
 * provider's {@code Retry-After} sets when the activity's next attempt runs, and a base URL the SSRF
 * guard refuses at call time fails the turn without a request.
 */
class CompanyProviderTurnTest {

  static final String SECRET_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
  static TestDatabase database;
  static DSLContext db;
  static Repositories repos;

  final ToolSecrets secrets = ToolSecrets.withKey(SECRET_KEY);
  final ProviderSettingsRepository settings = new ProviderSettingsRepository(db);
  final HeartbeatingPool calls = new HeartbeatingPool("llm-call", 2, 0);
  final OllamaStandIn ollama = OllamaStandIn.start();
  TestWorkflowEnvironment env;

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    db = database.dsl();
    repos = Repositories.over(db, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @AfterEach
  void tearDown() {
    if (env != null) {
      env.close();
    }
    calls.close();
    ollama.close();
  }

  @Test
  void givenA429WithRetryAfter_whenTheTurnRuns_itShouldRetryAfterThatDelayAtTheCompanysEndpointAndComplete() {
    startWorker("127.0.0.1");
    CompanyId company = Fixtures.company(db);
    storeOllamaSettings(company, ollama.baseUrl(), "company-key-42", "company-model");
    ollama.enqueueError(429, "rate limit exceeded", Map.of("Retry-After", "3"));

    ChatTurnResult result = run(company);

    assertThat(ollama.requests()).hasSize(2);
    // The activity's own backoff starts at 1 s; only the provider's word makes it wait 3 s.
    assertThat(ollama.between(1, 2)).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
    assertThat(ollama.lastRequest().model()).isEqualTo("company-model");
    assertThat(ollama.lastRequest().header("Authorization")).isEqualTo("Bearer company-key-42");
    assertThat(result.content()).isEqualTo("ollama reply #2 to: hello");
    assertThat(result.provider()).isEqualTo("ollama");
  }

  @Test
  void givenACompanyBaseUrlTheGuardRefuses_whenTheTurnRuns_itShouldFailWithoutSendingARequest() {
    startWorker("");
    CompanyId company = Fixtures.company(db);
    storeOllamaSettings(company, ollama.baseUrl(), null, null);

    Turn turn = newTurn(company);
    assertThatThrownBy(() -> workflow(turn.workflowId).run(turn.input)).isInstanceOf(WorkflowException.class);

    assertThat(ollama.requests()).isEmpty();
    assertThat(repos.turns().find(company, turn.id).orElseThrow().errorCode()).isEqualTo("LLM_PROVIDER_ERROR");
  }

  private void storeOllamaSettings(CompanyId company, String baseUrl, String apiKey, String model) {
    String sealed = apiKey == null ? null : secrets.encrypt(apiKey, company.value(),
        ProviderSettingsRow.SECRET_OWNER + "ollama", ProviderSettingsRow.SECRET_NAME);
    settings.put(company, new ProviderSettingsRow(company.value(), "ollama", baseUrl, sealed, model, Instant.now(),
        Instant.now()));
  }

  private void startWorker(String allowedHosts) {
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    SaturnSearchAttributes.definitions().forEach(env::registerSearchAttribute);
    Worker worker = env.newWorker(TaskQueues.CHAT);
    worker.registerWorkflowImplementationTypes(ChatTurnWorkflowImpl.class);
    ToolCatalog catalog = new ToolCatalog(repos.agents(), repos.tools(), repos.toolVersions());
    TurnJournal journal = new TurnJournal(repos.events());
    BusinessMetrics metrics = new BusinessMetrics(new SimpleMeterRegistry());
    UsageEventRepository usage = new UsageEventRepository(db, Clock.systemUTC(), List.of(metrics));
    ChatStoreActivitiesImpl store = new ChatStoreActivitiesImpl(
        repos.stepReads(), repos.turns(), repos.messages(), usage, database.transactions(), Clock.systemUTC(),
        catalog, journal, repos.approvals(), null, null, metrics, TestWebhookFacts.over(db, Clock.systemUTC()));
    // The server's own Ollama setting points nowhere: only the company's settings can answer.
    LlmProperties server = new LlmProperties(null, new LlmProperties.Ollama("http://127.0.0.1:9", "server-model",
        Duration.ofSeconds(10)));
    ChatProviders providers = new ChatProviders(List.of(new OllamaChatProvider(server), new OfflineChatProvider()));
    CompanyProviders companyProviders = new CompanyProviders(settings, secrets, new SsrfGuard(allowedHosts), server);
    worker.registerActivitiesImplementations(store, new LlmActivitiesImpl(
        repos.messages(), repos.stepReads(), providers, catalog, usage, journal, database.transactions(), Clock.systemUTC(),
        new ProviderAttemptRecorder(new ProviderAttemptRepository(db), Clock.systemUTC()), null, calls,
        new AnswerStreams(journal, repos.events(), database.transactions(), new AnswerStreamProperties(null)), metrics,
        dev.saturn.activities.tracing.GenAiSpans.noop(), companyProviders));
    env.start();
  }

  record Turn(String id, String workflowId, ChatTurnInput input) {}

  private ChatTurnResult run(CompanyId company) {
    Turn turn = newTurn(company);
    return workflow(turn.workflowId).run(turn.input);
  }

  private Turn newTurn(CompanyId company) {
    AgentRow agent = repos.agents().create(company, "a", "{\"provider\": \"ollama\"}", null);
    String sessionId = repos.sessions().create(company, agent.id()).id();
    String turnId = Ids.newId();
    String workflowId = "chat-turn:" + company.value() + ":" + sessionId + ":" + turnId;
    repos.turns().insertRunning(company, turnId, sessionId, agent.id(), workflowId);
    return new Turn(turnId, workflowId, new ChatTurnInput(company.value(), agent.id(), sessionId, turnId, "hello"));
  }

  private ChatTurnWorkflow workflow(String workflowId) {
    return env.getWorkflowClient().newWorkflowStub(ChatTurnWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(TaskQueues.CHAT)
        .build());
  }
}
