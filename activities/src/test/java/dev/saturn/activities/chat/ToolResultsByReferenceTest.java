package dev.saturn.activities.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.activities.billing.ProviderAttemptRecorder;
import dev.saturn.activities.llm.ChatProvider;
import dev.saturn.activities.llm.ChatProviders;
import dev.saturn.activities.llm.PromptMessage;
import dev.saturn.activities.llm.ProviderReply;
import dev.saturn.activities.llm.ProviderRequest;
import dev.saturn.activities.tools.HttpToolExecutor;
import dev.saturn.activities.tools.SsrfGuard;
import dev.saturn.activities.tools.ToolActivitiesImpl;
import dev.saturn.activities.tools.ToolCatalog;
import dev.saturn.activities.tools.ToolServer;
import dev.saturn.activities.tools.ToolsProperties;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.chat.MessageRow;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.Repositories;
import dev.saturn.db.testing.TestDatabase;
import dev.saturn.db.tools.ToolRow;
import dev.saturn.db.tools.ToolSecrets;
import dev.saturn.db.usage.ProviderAttemptRepository;
import dev.saturn.db.usage.UsageEvent;
import dev.saturn.db.usage.UsageEventRepository;
import dev.saturn.workflows.chat.ChatTurnInput;
import dev.saturn.workflows.chat.ChatTurnResult;
import dev.saturn.workflows.chat.ChatTurnWorkflow;
import dev.saturn.workflows.chat.ChatTurnWorkflowImpl;
import dev.saturn.workflows.common.TaskQueues;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tool loops on the Temporal test server with the real chat and tool activities over MariaDB and
 * a local tool server: each result is stored by the activity that ran the call and travels as a
 * reference, and a recording that fails after a call ran is retried on its own.
 */
class ToolResultsByReferenceTest {

  static final int RESULT_BYTES = 256 * 1024;

  static TestDatabase database;
  static DSLContext db;
  static Repositories repos;
  static ToolSecrets secrets = ToolSecrets.withKey(Base64.getEncoder().encodeToString(new byte[32]));

  TestWorkflowEnvironment env;
  ToolServer server;
  CompanyId company;
  /** What the scripted model does with each request: first the tool calls, then an answer. */
  Function<ProviderRequest, ProviderReply> model;
  /** The tool results the model was shown, as it read them. */
  final List<PromptMessage> shown = new ArrayList<>();
  /** Calls of recordOnce for tool usage; the first one fails as a database outage would. */
  final AtomicInteger toolUsageWrites = new AtomicInteger();

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

  @BeforeEach
  void setUp() {
    company = Fixtures.company(db);
    server = ToolServer.start();
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.CHAT);
    worker.registerWorkflowImplementationTypes(ChatTurnWorkflowImpl.class);
    Clock clock = Clock.systemUTC();
    ToolCatalog catalog = new ToolCatalog(repos.agents(), repos.tools());
    TurnJournal journal = new TurnJournal(repos.events());
    ChatStoreActivitiesImpl store = new ChatStoreActivitiesImpl(
        repos.agents(), repos.turns(), repos.messages(), repos.usage(), database.transactions(), clock,
        catalog, journal, repos.approvals(), null, null);
    ChatProvider scripted = new ChatProvider() {
      @Override
      public String name() {
        return "scripted";
      }

      @Override
      public ProviderReply complete(ProviderRequest request) {
        return model.apply(request);
      }
    };
    LlmActivitiesImpl llm = new LlmActivitiesImpl(repos.messages(), new ChatProviders(List.of(scripted)), catalog,
        repos.usage(), journal, database.transactions(), clock,
        new ProviderAttemptRecorder(new ProviderAttemptRepository(db), clock), null);
    UsageEventRepository failingOnceForTools = new UsageEventRepository(db, clock) {
      @Override
      public boolean recordOnce(CompanyId company, UsageEvent event) {
        if (event.kind().equals("tool_call") && toolUsageWrites.incrementAndGet() == 1) {
          throw new org.springframework.dao.DataAccessResourceFailureException("database went away");
        }
        return super.recordOnce(company, event);
      }
    };
    ToolsProperties properties = new ToolsProperties("127.0.0.1:" + server.port(), Duration.ofHours(24), 300 * 1024, 3);
    ToolActivitiesImpl tools = new ToolActivitiesImpl(
        repos.turns(), catalog, secrets, repos.approvals(), repos.messages(), failingOnceForTools, repos.audit(),
        journal, database.transactions(), clock, properties,
        new HttpToolExecutor(new SsrfGuard(properties.allowedHosts()), properties.maxResponseBytes(), properties.maxRedirects()));
    worker.registerActivitiesImplementations(store, llm, tools);
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
    server.close();
  }

  @Test
  void givenTwelveParallelCallsEachAnswering256KiB_whenTheTurnRuns_itShouldCompleteWithEveryResultStoredInFullAndSmallPayloads() {
    server.answering(r -> ToolServer.Answer.json(bigResult(r.uri())));
    Turn turn = newTurn(tool("fetch_page", "GET", "/pages/{n}"), 12);
    model = request -> {
      List<PromptMessage> results = request.messages().stream().filter(m -> PromptMessage.TOOL.equals(m.role())).toList();
      if (results.isEmpty()) {
        List<PromptMessage.ToolCall> calls = new ArrayList<>();
        for (int n = 1; n <= 12; n++) {
          calls.add(new PromptMessage.ToolCall("call_" + n, "fetch_page", "{\"n\":\"" + n + "\"}"));
        }
        return new ProviderReply("", "scripted-1", 10, 5, false, calls);
      }
      shown.addAll(results);
      return new ProviderReply("read " + results.size() + " pages", "scripted-1", 20, 3, false);
    };

    ChatTurnResult result = run(turn);

    assertThat(result.content()).isEqualTo("read 12 pages");
    assertThat(server.count()).isEqualTo(12);
    List<MessageRow> stored = repos.messages().toolMessages(company, turn.id).stream()
        .filter(m -> MessageRow.TOOL.equals(m.role())).toList();
    assertThat(stored).hasSize(12);
    for (MessageRow message : stored) {
      String n = message.toolCallId().substring("call_".length());
      assertThat(message.content()).as("result of %s stored in full", message.toolCallId())
          .isEqualTo(bigResult("/pages/" + n));
    }
    assertThat(shown).hasSize(12).allSatisfy(m -> assertThat(m.content()).hasSizeGreaterThanOrEqualTo(RESULT_BYTES));
    assertThat(repos.usage().listForTurn(company, turn.id)).filteredOn(e -> e.kind().equals("tool_call")).hasSize(12);
    // 12 × 256 KiB went through the turn, yet no payload in its history carries a result.
    assertThat(largestPayload(turn.workflowId)).isLessThan(16 * 1024);
  }

  @Test
  void givenRecordingFailsAfterANonIdempotentCallSucceeded_whenTheTurnRuns_itShouldCallTheToolOnceShowTheSuccessAndBillOnce() {
    server.answering(r -> ToolServer.Answer.json("{\"payment\":\"p-77\",\"status\":\"paid\"}"));
    Turn turn = newTurn(tool("pay", "POST", "/payments"), 5);
    model = request -> {
      List<PromptMessage> results = request.messages().stream().filter(m -> PromptMessage.TOOL.equals(m.role())).toList();
      if (results.isEmpty()) {
        return new ProviderReply("", "scripted-1", 10, 5, false,
            List.of(new PromptMessage.ToolCall("call_pay", "pay", "{\"amount\":\"5\"}")));
      }
      shown.addAll(results);
      return new ProviderReply("done", "scripted-1", 20, 3, false);
    };

    ChatTurnResult result = run(turn);

    assertThat(result.content()).isEqualTo("done");
    assertThat(server.count()).as("one side effect on the tool server").isEqualTo(1);
    assertThat(toolUsageWrites.get()).as("the recording failed once and was retried").isEqualTo(2);
    assertThat(shown).singleElement().satisfies(m -> {
      assertThat(m.toolCallId()).isEqualTo("call_pay");
      assertThat(m.content()).isEqualTo("{\"payment\":\"p-77\",\"status\":\"paid\"}");
    });
    assertThat(repos.usage().listForTurn(company, turn.id)).filteredOn(e -> e.kind().equals("tool_call"))
        .singleElement().satisfies(e -> assertThat(e.idempotencyKey()).isEqualTo("turn:" + turn.id + ":tool:call_pay"));
    assertThat(repos.events().after(company, turn.id, 0, 100).toString())
        .contains("tool_call_executed").contains("tool_call_result");
  }

  record Turn(String id, String workflowId, ChatTurnInput input) {}

  private ToolRow tool(String name, String method, String path) {
    Instant now = Instant.now();
    ToolRow tool = new ToolRow(Ids.newId(), company.value(), name, name, method, "http://127.0.0.1:" + server.port() + path,
        "{}", "{\"type\":\"object\"}", 5000, false, null, "active", now, now, false);
    repos.tools().insert(company, tool);
    return tool;
  }

  private Turn newTurn(ToolRow tool, int maxToolCalls) {
    AgentRow agent = repos.agents().create(company, "a",
        "{\"provider\":\"scripted\",\"max_tool_calls\":" + maxToolCalls + ",\"tools\":[\"" + tool.id() + "\"]}", null);
    String sessionId = repos.sessions().create(company, agent.id()).id();
    String turnId = Ids.newId();
    String workflowId = "chat-turn:" + company.value() + ":" + sessionId + ":" + turnId;
    repos.turns().insertRunning(company, turnId, sessionId, agent.id(), workflowId);
    return new Turn(turnId, workflowId, new ChatTurnInput(company.value(), agent.id(), sessionId, turnId, "go"));
  }

  private ChatTurnResult run(Turn turn) {
    return env.getWorkflowClient().newWorkflowStub(ChatTurnWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(turn.workflowId).setTaskQueue(TaskQueues.CHAT).build())
        .run(turn.input);
  }

  /** A JSON document of at least 256 KiB (items of short words, as a real API answers), different per page. */
  private static String bigResult(String uri) {
    StringBuilder json = new StringBuilder("{\"page\":\"").append(uri).append("\",\"items\":[");
    for (int i = 0; json.length() < RESULT_BYTES; i++) {
      json.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"title\":\"item ").append(i)
          .append(" of ").append(uri).append(" in plain words\"}");
    }
    return json.append("]}").toString();
  }

  /** The largest payload any event of the workflow's history carries. */
  private long largestPayload(String workflowId) {
    long largest = 0;
    for (HistoryEvent event : env.getWorkflowClient().fetchHistory(workflowId).getEvents()) {
      largest = Math.max(largest, largestPayload(event));
    }
    return largest;
  }

  private static long largestPayload(com.google.protobuf.Message message) {
    long largest = 0;
    for (var field : message.getAllFields().entrySet()) {
      Object value = field.getValue();
      for (Object item : value instanceof List<?> list ? list : List.of(value)) {
        if (item instanceof Payload payload) {
          largest = Math.max(largest, payload.getData().size());
        } else if (item instanceof com.google.protobuf.Message nested) {
          largest = Math.max(largest, largestPayload(nested));
        }
      }
    }
    return largest;
  }
}
