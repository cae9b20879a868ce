package dev.saturn.activities.chat;

import dev.saturn.activities.tracing.GenAiSpans;
import dev.saturn.activities.common.BusinessMetrics;
import dev.saturn.activities.billing.ProviderAttemptRecorder;
import dev.saturn.activities.common.HeartbeatingPool;
import dev.saturn.activities.llm.ChatProvider;
import dev.saturn.activities.llm.ChatProviders;
import dev.saturn.activities.llm.ProviderReply;
import dev.saturn.activities.llm.ProviderRequest;
import dev.saturn.activities.llm.TextSink;
import dev.saturn.activities.tools.ToolExecutors;
import dev.saturn.activities.tools.http.HttpToolClient;
import dev.saturn.activities.tools.http.HttpToolExecutor;
import dev.saturn.activities.tools.ToolActivitiesImpl;
import dev.saturn.activities.tools.ToolCallRecorder;
import dev.saturn.activities.tools.ToolCatalog;
import dev.saturn.activities.tools.ToolServer;
import dev.saturn.activities.tools.ToolsProperties;
import dev.saturn.activities.webhooks.testing.TestWebhookFacts;
import dev.saturn.common.outbound.SsrfGuard;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.Repositories;
import dev.saturn.db.testing.TestDatabase;
import dev.saturn.db.tools.ToolRow;
import dev.saturn.db.tools.ToolSecrets;
import dev.saturn.db.usage.ProviderAttemptRepository;
import dev.saturn.db.usage.UsageEventRepository;
import dev.saturn.workflows.chat.ChatTurnInput;
import dev.saturn.workflows.chat.ChatTurnWorkflow;
import dev.saturn.workflows.chat.ChatTurnWorkflowImpl;
import dev.saturn.workflows.common.SaturnSearchAttributes;
import dev.saturn.workflows.common.TaskQueues;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Chat turns on the Temporal test server with the real chat and tool activities over a test
 * database, a scripted model ({@link #model}) and a local tool server. Built, then {@link #start}ed
 * after a test registered what else it needs on {@link #worker}.
 */
final class RealChatTurns implements AutoCloseable {

  private final HeartbeatingPool calls = new HeartbeatingPool("llm-call", 4, 0);

  static final ToolSecrets SECRETS = ToolSecrets.withKey(Base64.getEncoder().encodeToString(new byte[32]));

  final TestDatabase database;
  final Repositories repos;
  final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
  final Worker worker = env.newWorker(TaskQueues.CHAT);
  final ToolServer server = ToolServer.start();
  final CompanyId company;
  final ChatStoreActivitiesImpl store;
  /** What the scripted model answers to each request. */
  volatile Function<ProviderRequest, ProviderReply> model = request -> new ProviderReply("ok", "scripted-1", 1, 1, false);
  /** What the scripted model streams and answers; by default {@link #model}'s reply, streamed in one piece. */
  volatile BiFunction<ProviderRequest, TextSink, ProviderReply> streamingModel = (request, text) -> {
    ProviderReply reply = model.apply(request);
    if (!reply.content().isEmpty()) {
      text.accept(reply.content());
    }
    return reply;
  };

  record Turn(String id, String workflowId, ChatTurnInput input) {}

  /** @param usage the usage repository the tool activities record through (tests may make it fail) */
  RealChatTurns(TestDatabase database, Repositories repos, UsageEventRepository usage) {
    this.database = database;
    this.repos = repos;
    this.company = Fixtures.company(database.dsl());
    Clock clock = Clock.systemUTC();
    SaturnSearchAttributes.definitions().forEach(env::registerSearchAttribute);
    worker.registerWorkflowImplementationTypes(ChatTurnWorkflowImpl.class);
    ToolCatalog catalog = new ToolCatalog(repos.agents(), repos.tools(), repos.toolVersions());
    TurnJournal journal = new TurnJournal(repos.events());
    store = new ChatStoreActivitiesImpl(
        repos.stepReads(), repos.turns(), repos.messages(), repos.usage(), database.transactions(), clock,
        catalog, journal, repos.approvals(), null, null, BusinessMetrics.discarded(), TestWebhookFacts.over(database.dsl(), clock));
    ChatProvider scripted = new ChatProvider() {
      @Override
      public String name() {
        return "scripted";
      }

      @Override
      public ProviderReply stream(ProviderRequest request, TextSink text) {
        return streamingModel.apply(request, text);
      }
    };
    LlmActivitiesImpl llm = new LlmActivitiesImpl(repos.messages(), repos.stepReads(), new ChatProviders(List.of(scripted)), catalog,
        repos.usage(), journal, database.transactions(), clock,
        new ProviderAttemptRecorder(new ProviderAttemptRepository(database.dsl()), clock), null, calls,
        new AnswerStreams(journal, repos.events(), database.transactions(), new AnswerStreamProperties(null)),
        BusinessMetrics.discarded(), GenAiSpans.noop());
    ToolsProperties properties = new ToolsProperties(Duration.ofHours(24), 300 * 1024, 3);
    ToolExecutors executors = new ToolExecutors(List.of(new HttpToolExecutor(
        new HttpToolClient(new SsrfGuard("127.0.0.1:" + server.port()), properties.maxRedirects()), SECRETS)));
    ToolCallRecorder recorder = new ToolCallRecorder(
        repos.approvals(), repos.messages(), usage, repos.audit(), journal, database.transactions(), clock, BusinessMetrics.discarded(),
        TestWebhookFacts.over(database.dsl(), clock));
    ToolActivitiesImpl tools = new ToolActivitiesImpl(repos.turns(), catalog, executors, recorder, properties, GenAiSpans.noop());
    worker.registerActivitiesImplementations(store, llm, tools);
  }

  RealChatTurns start() {
    env.start();
    return this;
  }

  /** An HTTP tool on the local tool server at {@code path}. */
  ToolRow tool(String name, String method, String path, boolean requiresApproval) {
    Instant now = Instant.now();
    ToolRow tool = new ToolRow(Ids.newId(), company.value(), name, name, method, "http://127.0.0.1:" + server.port() + path,
        "{}", "{\"type\":\"object\"}", 5000, requiresApproval, requiresApproval ? 259_200 : null, "active", now, now, false, ToolRow.HTTP);
    repos.tools().insert(company, tool);
    return tool;
  }

  /** A running turn of a new agent that may call {@code tool} (null: no tools). */
  Turn newTurn(ToolRow tool, int maxToolCalls) {
    String tools = tool == null ? "" : ",\"max_tool_calls\":" + maxToolCalls + ",\"tools\":[\"" + tool.id() + "\"]";
    AgentRow agent = repos.agents().create(company, "a", "{\"provider\":\"scripted\"" + tools + "}", null);
    String sessionId = repos.sessions().create(company, agent.id()).id();
    String turnId = Ids.newId();
    String workflowId = "chat-turn:" + company.value() + ":" + sessionId + ":" + turnId;
    repos.turns().insertRunning(company, turnId, sessionId, agent.id(), workflowId);
    return new Turn(turnId, workflowId, new ChatTurnInput(company.value(), agent.id(), sessionId, turnId, "go"));
  }

  ChatTurnWorkflow workflow(Turn turn) {
    return env.getWorkflowClient().newWorkflowStub(ChatTurnWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(turn.workflowId()).setTaskQueue(TaskQueues.CHAT).build());
  }

  @Override
  public void close() {
    env.close();
    calls.close();
    server.close();
  }
}
