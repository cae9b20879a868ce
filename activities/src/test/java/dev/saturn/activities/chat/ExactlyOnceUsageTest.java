package dev.saturn.activities.chat;

import dev.saturn.activities.tracing.GenAiSpans;
import static dev.saturn.db.jooq.Tables.WEBHOOK_EVENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saturn.activities.billing.ProviderAttemptRecorder;
import dev.saturn.activities.common.BusinessMetrics;
import dev.saturn.db.usage.UsageEventRepository;
import dev.saturn.workflows.common.SaturnSearchAttributes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.saturn.activities.common.HeartbeatingPool;
import dev.saturn.activities.llm.ChatProvider;
import dev.saturn.activities.llm.ChatProviders;
import dev.saturn.activities.llm.ProviderReply;
import dev.saturn.activities.llm.ProviderRequest;
import dev.saturn.activities.llm.TextSink;
import dev.saturn.activities.tools.ToolCatalog;
import dev.saturn.activities.webhooks.testing.TestWebhookFacts;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.Repositories;
import dev.saturn.db.testing.TestDatabase;
import dev.saturn.db.usage.ProviderAttempt;
import dev.saturn.db.usage.ProviderAttemptRepository;
import dev.saturn.db.webhooks.WebhookEventRepository;
import dev.saturn.db.webhooks.WebhookEventRow;
import dev.saturn.workflows.chat.ChatStoreActivities;
import dev.saturn.workflows.chat.ChatTurnInput;
import dev.saturn.workflows.chat.ChatTurnWorkflow;
import dev.saturn.workflows.chat.ChatTurnWorkflowImpl;
import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.common.TaskQueues;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whole chat turns on the Temporal test server with the real activities over a real MariaDB:
 * retries and replays never record a usage event (or the turn's webhook event) twice, and retried
 * provider attempts show as cost, not as billable usage.
 */
class ExactlyOnceUsageTest {

  static TestDatabase database;
  static DSLContext db;
  static Repositories repos;
  static ProviderAttemptRepository attempts;

  TestWorkflowEnvironment env;
  Worker worker;
  CompanyId company;
  final HeartbeatingPool calls = new HeartbeatingPool("llm-call", 2, 0);
  /** Calls of the flaky provider: the first one times out. */
  final AtomicInteger providerCalls = new AtomicInteger();
  /** Calls of the store's completeTurn: the first one writes and then "loses" its reply. */
  final AtomicInteger completeCalls = new AtomicInteger();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final BusinessMetrics metrics = new BusinessMetrics(meters);
  /** Webhook events told to the application after their commit (it starts their delivery). */
  final List<String> eventsCommitted = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    db = database.dsl();
    repos = Repositories.over(db, Clock.systemUTC());
    attempts = new ProviderAttemptRepository(db);
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @BeforeEach
  void setUp() {
    company = Fixtures.company(db);
    TestWebhookFacts.subscribe(db, company, "turn.completed");
    env = TestWorkflowEnvironment.newInstance();
    SaturnSearchAttributes.definitions().forEach(env::registerSearchAttribute);
    worker = env.newWorker(TaskQueues.CHAT);
    worker.registerWorkflowImplementationTypes(ChatTurnWorkflowImpl.class);
    ToolCatalog catalog = new ToolCatalog(repos.agents(), repos.tools(), repos.toolVersions());
    TurnJournal journal = new TurnJournal(repos.events());
    // The application's repository tells the metrics about each event it inserts.
    UsageEventRepository usage = new UsageEventRepository(db, Clock.systemUTC(), List.of(metrics));
    ChatStoreActivitiesImpl store = new ChatStoreActivitiesImpl(
        repos.stepReads(), repos.turns(), repos.messages(), usage, database.transactions(), Clock.systemUTC(),
        catalog, journal, repos.approvals(), null, null, metrics,
        TestWebhookFacts.over(db, Clock.systemUTC(), (c, eventId) -> eventsCommitted.add(eventId)));
    ChatProviders providers = new ChatProviders(List.of(new FlakyProvider(providerCalls)));
    worker.registerActivitiesImplementations(
        replyLostAfterFirstWrite(store, "completeTurn", completeCalls),
        new LlmActivitiesImpl(repos.messages(), repos.stepReads(), providers, catalog, usage, journal, database.transactions(),
            Clock.systemUTC(), new ProviderAttemptRecorder(attempts, Clock.systemUTC()), null, calls,
            new AnswerStreams(journal, repos.events(), database.transactions(), new AnswerStreamProperties(null)), metrics,
            GenAiSpans.noop()));
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
    calls.close();
  }

  @Test
  void givenActivitiesRetriedAfterTheirWrites_whenTheTurnCompletes_itShouldHoldOneUsageEventAndTwoCostAttempts() {
    Turn turn = newTurn();

    workflow(turn.workflowId).run(turn.input);

    assertThat(completeCalls.get()).as("completeTurn ran twice: the write succeeded, the reply was lost").isEqualTo(2);
    assertThat(providerCalls.get()).as("the model call was retried after a timeout").isEqualTo(2);
    assertThat(repos.usage().listForTurn(company, turn.id)).singleElement().satisfies(e -> {
      assertThat(e.kind()).isEqualTo("llm");
      assertThat(e.inputTokens()).isEqualTo(40);
      assertThat(e.outputTokens()).isEqualTo(9);
      assertThat(e.idempotencyKey()).isEqualTo("turn:" + turn.id + ":llm:1");
    });
    List<ProviderAttempt> costs = attempts.listForTurn(company, turn.id);
    assertThat(costs).extracting(ProviderAttempt::attempt, ProviderAttempt::outcome, ProviderAttempt::errorCode)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, ProviderAttempt.FAILED, ErrorCode.LLM_TIMEOUT.name()),
            org.assertj.core.groups.Tuple.tuple(2, ProviderAttempt.SUCCEEDED, null));
    assertThat(costs.get(0).inputTokens()).as("the failed attempt's prompt, estimated").isPositive();
    assertThat(costs.get(1).inputTokens()).isEqualTo(40);
    assertThat(costs).allSatisfy(a -> assertThat(a.workflowId()).isEqualTo(turn.workflowId));
    // the turn.completed fact: one outbox row, one delivery started, though completeTurn ran twice
    WebhookEventRow event = new WebhookEventRepository(db).findByFact(company, "turn.completed:" + turn.id).orElseThrow();
    assertThat(db.fetchCount(WEBHOOK_EVENTS, WEBHOOK_EVENTS.COMPANY_ID.eq(company.value())
        .and(WEBHOOK_EVENTS.FACT_KEY.like("turn.%:" + turn.id)))).isEqualTo(1);
    assertThat(eventsCommitted).containsExactly(event.id());
  }

  @Test
  void givenActivitiesRetriedAfterTheirWrites_whenTheTurnCompletes_itsMetricsShouldCountEachFactOnce() {
    Turn turn = newTurn();

    workflow(turn.workflowId).run(turn.input);

    assertThat(completeCalls.get()).as("completeTurn ran twice").isEqualTo(2);
    assertThat(meters.get(BusinessMetrics.TURNS).tags("outcome", "completed", "error_code", "none").counter().count())
        .as("the retried completeTurn found the turn completed and counted nothing").isEqualTo(1.0);
    assertThat(meters.get(BusinessMetrics.TURN_DURATION).tags("outcome", "completed").timer().count()).isEqualTo(1);
    assertThat(meters.get(BusinessMetrics.USAGE_EVENTS).tags("kind", "llm").counter().count()).isEqualTo(1.0);
    assertThat(meters.get(BusinessMetrics.LLM_TOKENS).tags("provider", "flaky", "direction", "input").counter().count())
        .isEqualTo(40.0);
    assertThat(meters.get(BusinessMetrics.LLM_TOKENS).tags("provider", "flaky", "direction", "output").counter().count())
        .isEqualTo(9.0);
    assertThat(meters.get(BusinessMetrics.LLM_CALL_DURATION).tags("provider", "flaky", "outcome", "error").timer().count())
        .as("every attempt is a call: the one that timed out").isEqualTo(1);
    assertThat(meters.get(BusinessMetrics.LLM_CALL_DURATION).tags("provider", "flaky", "outcome", "success").timer().count())
        .isEqualTo(1);
  }

  @Test
  void givenACompletedTurn_whenItsHistoryIsReplayedAndItIsStartedAgain_itShouldRecordNothingNew() throws Exception {
    Turn turn = newTurn();
    workflow(turn.workflowId).run(turn.input);
    int events = repos.usage().listForTurn(company, turn.id).size();
    int costs = attempts.listForTurn(company, turn.id).size();
    int completes = completeCalls.get();

    WorkflowExecutionHistory history = env.getWorkflowClient().fetchHistory(turn.workflowId);
    WorkflowReplayer.replayWorkflowExecution(history, worker);
    assertThatThrownBy(() -> WorkflowClient.start(workflow(turn.workflowId)::run, turn.input))
        .isInstanceOf(WorkflowExecutionAlreadyStarted.class);

    assertThat(events).isEqualTo(1);
    assertThat(repos.usage().listForTurn(company, turn.id)).hasSize(events);
    assertThat(attempts.listForTurn(company, turn.id)).hasSize(costs);
    assertThat(completeCalls.get()).as("replay runs no activity").isEqualTo(completes);
    assertThat(eventsCommitted).as("the turn.completed event, once").hasSize(1);
  }

  record Turn(String id, String workflowId, ChatTurnInput input) {}

  private Turn newTurn() {
    AgentRow agent = repos.agents().create(company, "a", "{\"provider\": \"flaky\"}", null);
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
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .build());
  }

  /** The real store, except that the first call of {@code method} throws after its write committed. */
  private static ChatStoreActivities replyLostAfterFirstWrite(ChatStoreActivities real, String method, AtomicInteger calls) {
    return (ChatStoreActivities) Proxy.newProxyInstance(
        ChatStoreActivities.class.getClassLoader(), new Class<?>[] {ChatStoreActivities.class}, (proxy, m, args) -> {
          Object result;
          try {
            result = m.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (m.getName().equals(method) && calls.incrementAndGet() == 1) {
            throw new IllegalStateException("worker lost the reply after the write committed");
          }
          return result;
        });
  }

  /** Times out on its first call (after the provider may already have billed the platform), then answers. */
  static final class FlakyProvider implements ChatProvider {
    private final AtomicInteger calls;

    FlakyProvider(AtomicInteger calls) {
      this.calls = calls;
    }

    @Override
    public String name() {
      return "flaky";
    }

    @Override
    public ProviderReply stream(ProviderRequest request, TextSink text) {
      if (calls.incrementAndGet() == 1) {
        throw ApplicationFailure.newFailure("read timed out", ErrorCode.LLM_TIMEOUT.name());
      }
      return new ProviderReply("hi there", "flaky-1", 40, 9, false);
    }
  }
}
