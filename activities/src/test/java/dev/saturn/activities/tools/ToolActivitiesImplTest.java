package dev.saturn.activities.tools;

import dev.saturn.activities.tracing.GenAiSpans;
import dev.saturn.activities.common.BusinessMetrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.saturn.activities.chat.TurnJournal;
import dev.saturn.activities.tools.http.HttpToolClient;
import dev.saturn.activities.tools.http.HttpToolExecutor;
import dev.saturn.activities.webhooks.testing.TestWebhookFacts;
import dev.saturn.common.outbound.SsrfGuard;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.audit.AuditEntry;
import dev.saturn.db.audit.AuditFilter;
import dev.saturn.db.chat.MessageRepository;
import dev.saturn.db.chat.MessageRow;
import dev.saturn.db.chat.TurnEventRow;
import dev.saturn.db.chat.TurnEventType;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.Repositories;
import dev.saturn.db.testing.TestDatabase;
import dev.saturn.db.tools.ToolApprovalRow;
import dev.saturn.db.tools.ToolRow;
import dev.saturn.db.tools.ToolSecrets;
import dev.saturn.db.usage.UsageEvent;
import dev.saturn.workflows.tools.ApprovalClosure;
import dev.saturn.workflows.tools.ToolActivities;
import dev.saturn.workflows.tools.ToolCallInput;
import dev.saturn.workflows.tools.ToolCallRecord;
import dev.saturn.workflows.tools.ToolCallRef;
import dev.saturn.workflows.tools.ToolCheck;
import dev.saturn.workflows.tools.ToolOutcome;
import dev.saturn.workflows.tools.ToolOutcomeInput;
import dev.saturn.workflows.tools.ToolResultsInput;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real MariaDB and a real local HTTP tool server (allowlisted); Temporal's activity runner is the test one. */
class ToolActivitiesImplTest {

  static final String SECRET = "planted-secret-4711";
  static final String PARAMS = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
      + "\"pin\":{\"type\":\"string\",\"x-secret\":true}},\"required\":[\"city\"],\"additionalProperties\":false}";

  static TestDatabase database;
  static DSLContext db;
  static Repositories repos;
  static ToolSecrets secrets = ToolSecrets.withKey(Base64.getEncoder().encodeToString(new byte[32]));

  ToolServer server;
  TestActivityEnvironment env;
  ToolActivities activities;
  CompanyId company;
  AgentRow agent;
  String sessionId;
  String turnId;

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
    server = ToolServer.start();
    activities = activitiesOver(repos.messages());
    company = Fixtures.company(db);
  }

  ToolActivities activitiesOver(MessageRepository messages) {
    if (env != null) {
      env.close();
    }
    ToolsProperties properties = new ToolsProperties(Duration.ofHours(24), 4096, 3);
    env = TestActivityEnvironment.newInstance();
    ToolExecutors executors = new ToolExecutors(List.of(
        new HttpToolExecutor(new HttpToolClient(new SsrfGuard("127.0.0.1:" + server.port()), properties.maxRedirects()), secrets),
        echo));
    ToolCallRecorder recorder = new ToolCallRecorder(repos.approvals(), messages, repos.usage(), repos.audit(),
        new TurnJournal(repos.events()), database.transactions(), Clock.systemUTC(), BusinessMetrics.discarded(),
        TestWebhookFacts.over(database.dsl(), Clock.systemUTC()));
    env.registerActivitiesImplementations(new ToolActivitiesImpl(
        repos.turns(), new ToolCatalog(repos.agents(), repos.tools(), repos.toolVersions()), executors, recorder, properties, GenAiSpans.noop()));
    return env.newActivityStub(ToolActivities.class);
  }

  @AfterEach
  void tearDown() {
    env.close();
    env = null;
    server.close();
  }

  /** A second kind of tool: answers with what it was given, so a test sees what the activities hand an executor. */
  final List<ToolCallContext> echoed = new CopyOnWriteArrayList<>();
  final ToolExecutor echo = new ToolExecutor() {
    @Override
    public String kind() {
      return "echo";
    }

    @Override
    public boolean idempotent(ToolRow tool) {
      return false;
    }

    @Override
    public List<String> secretValues(CompanyId company, ToolRow tool) {
      return List.of("echo-" + SECRET);
    }

    @Override
    public ToolCallResult execute(CompanyId company, ToolRow tool, JsonNode arguments, ToolCallContext context) {
      echoed.add(context);
      return new ToolCallResult(ToolCallResult.Status.OK, 200,
          "{\"echo\":" + arguments + ",\"credential\":\"echo-" + SECRET + "\"}", null, false, 7);
    }
  };

  /** A tool, an agent whose version 1 allows it, and a running turn pinned to that version. */
  ToolRow tool(String method, boolean requiresApproval, boolean idempotent) {
    return tool(method, requiresApproval, idempotent, ToolRow.HTTP);
  }

  ToolRow tool(String method, boolean requiresApproval, boolean idempotent, String kind) {
    String id = Ids.newId();
    String headers = "{\"Authorization\":{\"encrypted\":\"" + secrets.encrypt("Bearer " + SECRET, company.value(), id, "Authorization")
        + "\"},\"X-Plain\":\"visible\"}";
    Instant now = Instant.now();
    ToolRow tool = new ToolRow(id, company.value(), "weather", "Weather", method,
        "http://127.0.0.1:" + server.port() + "/weather/{city}", headers, PARAMS, 2000, requiresApproval,
        requiresApproval ? 259_200 : null, "active", now, now, idempotent, kind);
    repos.tools().insert(company, tool);
    agent = repos.agents().create(company, "a", "{\"provider\":\"offline\",\"tools\":[\"" + id + "\"]}", null);
    sessionId = repos.sessions().create(company, agent.id()).id();
    turnId = Ids.newId();
    repos.turns().insertRunning(company, turnId, sessionId, agent.id(), "chat-turn:" + turnId);
    repos.turns().pinVersion(company, turnId, 1);
    return tool;
  }

  ToolCallInput call(String callId, String arguments) {
    return new ToolCallInput(company.value(), agent.id(), sessionId, turnId, 1, callId, "weather", arguments);
  }

  @Test
  void givenArgumentsOutsideTheSchema_whenChecked_itShouldSayWhatIsWrong() {
    tool("GET", false, false);

    ToolCheck bad = activities.checkToolCall(call("c1", "{\"city\":42,\"extra\":1}"));
    ToolCheck good = activities.checkToolCall(call("c2", "{\"city\":\"Oslo\"}"));

    assertThat(bad.valid()).isFalse();
    assertThat(bad.error()).contains("city").contains("extra");
    assertThat(good).isEqualTo(new ToolCheck(true, null, false, 86_400, true));
    assertThat(activities.checkToolCall(call("c3", "not json")).error()).contains("not valid JSON");
  }

  @Test
  void givenAPathValueThatLeavesTheToolsPath_whenChecked_itShouldTellTheModelBeforeAnyRequest() {
    tool("GET", false, false);

    ToolCheck dotDot = activities.checkToolCall(call("c1", "{\"city\":\"..\"}"));
    ToolCheck slash = activities.checkToolCall(call("c2", "{\"city\":\"Oslo%2F..%2Fadmin\"}"));

    assertThat(dotDot.valid()).isFalse();
    assertThat(dotDot.error()).contains("'.' or '..'");
    assertThat(slash.valid()).isFalse();
    assertThat(slash.error()).contains("city").contains("'/'");
    assertThat(server.count()).isZero();
  }

  @Test
  void givenToolRequiringApproval_whenCheckedTwice_itShouldRecordOnePendingApprovalWithRedactedArguments() {
    tool("POST", true, false);

    ToolCheck check = activities.checkToolCall(call("c1", "{\"city\":\"Oslo\",\"pin\":\"9999\"}"));
    activities.checkToolCall(call("c1", "{\"city\":\"Oslo\",\"pin\":\"9999\"}"));

    assertThat(check.requiresApproval()).isTrue();
    assertThat(check.approvalTimeoutSeconds()).isEqualTo(259_200);
    assertThat(check.idempotent()).isFalse();
    List<ToolApprovalRow> pending = repos.approvals().pendingForTurn(company, turnId);
    assertThat(pending).hasSize(1);
    assertThat(pending.get(0).arguments()).contains("Oslo").doesNotContain("9999");
    assertThat(repos.approvals().listPending(company, null, 10).items()).hasSize(1);
    String otherTurn = Ids.newId();
    repos.turns().insertRunning(company, otherTurn, sessionId, agent.id(), "chat-turn:" + otherTurn);
    repos.turns().pinVersion(company, otherTurn, 1);
    activities.checkToolCall(new ToolCallInput(company.value(), agent.id(), sessionId, otherTurn, 1, "c9", "weather", "{\"city\":\"Rome\"}"));
    repos.approvals().cancelPending(company, otherTurn, "the turn failed");
    // A cancelled approval (its turn failed while waiting) is not listed: nobody can decide it any more.
    assertThat(repos.approvals().listPending(company, null, 10).items()).extracting(ToolApprovalRow::turnId).containsExactly(turnId);

    activities.closeApproval(new ApprovalClosure(company.value(), turnId, "c1", "approved", "user:u1", "ok"));

    assertThat(repos.approvals().pendingForTurn(company, turnId)).isEmpty();
    assertThat(repos.approvals().find(company, turnId, "c1").orElseThrow().status()).isEqualTo("approved");
    assertThat(repos.events().after(company, turnId, 0, 100)).extracting(TurnEventRow::type)
        .containsExactly(TurnEventType.APPROVAL_REQUESTED, TurnEventType.APPROVAL_APPROVED);
  }

  @Test
  void givenValidCall_whenRunThenRecorded_itShouldSendTheSecretHeaderStoreTheResultAndRecordUsageAuditAndEventWithoutTheSecret() {
    ToolRow tool = tool("POST", false, false);
    server.answering(r -> ToolServer.Answer.json("{\"temp\":21,\"token\":\"" + SECRET + "\",\"note\":\"Bearer " + SECRET + "\"}"));
    ToolCallInput call = call("c1", "{\"city\":\"Oslo\",\"pin\":\"9999\"}");

    ToolCallRef ref = activities.runToolCall(call);

    assertThat(ref.ok()).isTrue();
    assertThat(ref.stored()).isTrue();
    assertThat(ref.execution().status()).isEqualTo("ok");
    assertThat(ref.execution().httpStatus()).isEqualTo(200);
    MessageRow stored = repos.messages().findToolResult(company, turnId, "c1").orElseThrow();
    assertThat(stored.content()).contains("21").doesNotContain(SECRET);
    assertThat(ref.resultBytes()).isEqualTo(stored.content().length());
    assertThat(repos.usage().listForTurn(company, turnId)).as("running stores the result only").isEmpty();

    activities.recordToolCall(new ToolCallRecord(call, ref.execution(), ref.ok(), ref.errorCode()));
    activities.recordToolCall(new ToolCallRecord(call, ref.execution(), ref.ok(), ref.errorCode()));

    ToolServer.Received received = server.received().get(0);
    assertThat(received.uri()).isEqualTo("/weather/Oslo");
    assertThat(received.header("Authorization")).isEqualTo("Bearer " + SECRET);
    assertThat(received.header("X-Plain")).isEqualTo("visible");
    assertThat(received.header("Idempotency-Key")).isEqualTo(ToolCallContext.idempotencyKey("test-workflow-id", "c1"))
        .startsWith("saturn-");
    assertThat(received.body()).isEqualTo("{\"pin\":\"9999\"}");

    List<UsageEvent> usage = repos.usage().listForTurn(company, turnId);
    assertThat(usage).extracting(UsageEvent::kind, UsageEvent::quantity, UsageEvent::idempotencyKey)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("tool_call", 1L, "turn:" + turnId + ":tool:c1"));
    List<AuditEntry> audit = repos.audit().list(company, new AuditFilter("tool", tool.id(), null, null, null, null), null, 10).items();
    assertThat(audit).hasSize(1);
    assertThat(audit.get(0).action()).isEqualTo("tool.execute");
    assertThat(audit.get(0).diffJson()).contains("\"status\": \"ok\"").contains("duration_ms").contains("Oslo")
        .doesNotContain(SECRET).doesNotContain("9999");
    assertThat(repos.events().after(company, turnId, 0, 100)).extracting(TurnEventRow::type)
        .containsExactly(TurnEventType.TOOL_RESULT, TurnEventType.TOOL_EXECUTED);
    assertThat(repos.events().after(company, turnId, 0, 100).toString()).doesNotContain(SECRET);
  }

  @Test
  void givenAToolOfAnotherKind_whenRunAndRecorded_itShouldGoThroughThatKindsExecutorAndBeRecordedLikeAnyCall() {
    ToolRow tool = tool("POST", false, false, "echo");
    ToolCallInput call = call("c1", "{\"city\":\"Oslo\",\"pin\":\"9999\"}");

    ToolCheck check = activities.checkToolCall(call);
    ToolCallRef ref = activities.runToolCall(call);
    activities.recordToolCall(new ToolCallRecord(call, ref.execution(), ref.ok(), ref.errorCode()));

    assertThat(check).isEqualTo(new ToolCheck(true, null, false, 86_400, false));
    assertThat(server.count()).as("no HTTP request").isZero();
    assertThat(echoed).singleElement().satisfies(context -> {
      assertThat(context.turnId()).isEqualTo(turnId);
      assertThat(context.callId()).isEqualTo("c1");
      assertThat(context.idempotencyKey()).isEqualTo(ToolCallContext.idempotencyKey("test-workflow-id", "c1"));
      assertThat(context.timeout()).isEqualTo(Duration.ofMillis(tool.timeoutMs()));
      assertThat(context.maxResponseBytes()).isEqualTo(4096);
    });
    assertThat(ref.ok()).isTrue();
    assertThat(ref.execution()).extracting(e -> e.status(), e -> e.httpStatus(), e -> e.durationMs())
        .containsExactly("ok", 200, 7L);
    String stored = repos.messages().findToolResult(company, turnId, "c1").orElseThrow().content();
    assertThat(stored).contains("Oslo").doesNotContain(SECRET).doesNotContain("9999");
    assertThat(repos.usage().listForTurn(company, turnId)).extracting(UsageEvent::kind).containsExactly("tool_call");
    assertThat(repos.audit().list(company, new AuditFilter("tool", tool.id(), null, null, null, null), null, 10).items())
        .singleElement().satisfies(a -> assertThat(a.diffJson()).contains("\"status\": \"ok\"").doesNotContain(SECRET));
    assertThat(repos.events().after(company, turnId, 0, 100)).extracting(TurnEventRow::type)
        .containsExactly(TurnEventType.TOOL_RESULT, TurnEventType.TOOL_EXECUTED);
  }

  @Test
  void givenAToolOfAKindNoExecutorRuns_whenRun_itShouldFailForGoodNamingTheKindAndCallNothing() {
    tool("GET", false, false, "smoke-signal");
    ToolCallInput call = call("c1", "{\"city\":\"Oslo\"}");

    assertThat(activities.checkToolCall(call).valid()).as("the check cannot tell; running fails").isTrue();
    assertThatThrownBy(() -> activities.runToolCall(call))
        .isInstanceOf(ActivityFailure.class)
        .cause()
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.getType()).isEqualTo("TOOL_EXECUTION_FAILED");
          assertThat(f.isNonRetryable()).isTrue();
          assertThat(f.getOriginalMessage()).contains("'smoke-signal'").contains("runs: echo, http");
        });
    assertThat(server.count()).isZero();
    assertThat(echoed).isEmpty();
    assertThat(repos.messages().findToolResult(company, turnId, "c1")).isEmpty();
  }

  @Test
  void givenAStoredResult_whenTheCallIsRunAgain_itShouldAnswerFromTheRowWithoutCallingTheTool() {
    tool("POST", false, false);
    server.answering(r -> ToolServer.Answer.json("{\"paid\":true}"));

    ToolCallRef first = activities.runToolCall(call("c1", "{\"city\":\"Oslo\"}"));
    ToolCallRef again = activities.runToolCall(call("c1", "{\"city\":\"Oslo\"}"));

    assertThat(server.count()).isEqualTo(1);
    assertThat(again).isEqualTo(first);
  }

  @Test
  void givenTheRealResultIsStored_whenAFailureIsStoredForTheSameCall_theRealResultShouldWin() {
    tool("POST", false, false);
    server.answering(r -> ToolServer.Answer.json("{\"paid\":true}"));
    ToolCallRef ran = activities.runToolCall(call("c1", "{\"city\":\"Oslo\"}"));

    ToolCallRef stored = activities.storeToolOutcome(new ToolOutcomeInput(company.value(), sessionId, turnId, 1,
        ToolOutcome.error("c1", "weather", "TOOL_EXECUTION_FAILED", "activity timed out"), null));

    assertThat(stored).isEqualTo(ran);
    assertThat(stored.ok()).isTrue();
    assertThat(stored.execution()).isNotNull();
    assertThat(repos.messages().findToolResult(company, turnId, "c1").orElseThrow().content()).isEqualTo("{\"paid\":true}");
  }

  @Test
  void givenTheDatabaseRefusesTheResult_whenTheCallRan_itShouldHandTheResultBackInsteadOfFailing() {
    MessageRepository refusing = new MessageRepository(db, Clock.systemUTC()) {
      @Override
      public MessageRow insertToolResultOnce(
          CompanyId company, String sessionId, String turnId, String callId, String toolName, String content, String json) {
        throw new org.springframework.dao.DataAccessResourceFailureException("database went away");
      }
    };
    activities = activitiesOver(refusing);
    tool("POST", false, false);
    server.answering(r -> ToolServer.Answer.json("{\"paid\":true}"));

    ToolCallRef ref = activities.runToolCall(call("c1", "{\"city\":\"Oslo\"}"));

    assertThat(server.count()).isEqualTo(1);
    assertThat(ref.stored()).isFalse();
    assertThat(ref.unstoredContent()).isEqualTo("{\"paid\":true}");
    assertThat(ref.ok()).isTrue();
    assertThat(ref.execution().status()).isEqualTo("ok");
  }

  @Test
  void givenATurnStartedBeforeResultsByReference_whenExecuted_itShouldReturnTheResultAndRecordItAsBefore() {
    tool("POST", false, false);
    server.answering(r -> ToolServer.Answer.json("{\"temp\":21}"));

    ToolOutcome outcome = activities.executeToolCall(call("c1", "{\"city\":\"Oslo\"}"));

    assertThat(outcome).isEqualTo(new ToolOutcome("c1", "weather", true, null, "{\"temp\":21}"));
    assertThat(repos.usage().listForTurn(company, turnId)).hasSize(1);
    assertThat(repos.messages().findToolResult(company, turnId, "c1")).as("saveToolResults stores it").isEmpty();
  }

  @Test
  void givenIdempotentToolAnswering503_whenExecuted_itShouldThrowRetryableAndRecordNoSecondUsageOnRetry() {
    tool("GET", false, false);
    server.answering(r -> new ToolServer.Answer(503, "{\"error\":\"busy\"}", Map.of()));

    assertThatThrownBy(() -> activities.runToolCall(call("c1", "{\"city\":\"Oslo\"}")))
        .isInstanceOf(ActivityFailure.class)
        .cause()
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.getType()).isEqualTo("TOOL_EXECUTION_FAILED");
          assertThat(f.isNonRetryable()).isFalse();
        });
    server.answering(r -> ToolServer.Answer.json("{\"ok\":true}"));
    assertThat(repos.messages().findToolResult(company, turnId, "c1")).as("a retried attempt stores nothing").isEmpty();
    ToolCallRef ref = activities.runToolCall(call("c1", "{\"city\":\"Oslo\"}"));
    assertThat(ref.ok()).isTrue();
    activities.recordToolCall(new ToolCallRecord(call("c1", "{\"city\":\"Oslo\"}"), ref.execution(), true, null));

    assertThat(server.count()).isEqualTo(2);
    assertThat(repos.usage().listForTurn(company, turnId)).hasSize(1);
    assertThat(repos.audit().list(company, new AuditFilter("tool", null, null, null, null, null), null, 10).items())
        .as("the failed attempt audited itself (the test environment numbers every attempt 0, so they share a row)")
        .anySatisfy(a -> assertThat(a.diffJson()).contains("\"status\": \"failed\"").contains("503"));
  }

  @Test
  void givenNonIdempotentToolAnswering500_whenExecuted_itShouldReturnToolExecutionFailedWithTheStatus() {
    tool("POST", false, false);
    server.answering(r -> new ToolServer.Answer(500, "{\"error\":\"boom\"}", Map.of()));

    ToolCallRef ref = activities.runToolCall(call("c1", "{\"city\":\"Oslo\"}"));

    assertThat(ref.ok()).isFalse();
    assertThat(ref.errorCode()).isEqualTo("TOOL_EXECUTION_FAILED");
    assertThat(ref.execution().httpStatus()).isEqualTo(500);
    assertThat(repos.messages().findToolResult(company, turnId, "c1").orElseThrow().content())
        .contains("HTTP 500").contains("boom");
  }

  @Test
  void givenStepOutcomes_whenSavedTwice_itShouldStoreOneToolMessagePerCall() {
    tool("GET", false, false);
    ToolResultsInput results = new ToolResultsInput(company.value(), sessionId, turnId, 1, List.of(
        new ToolOutcome("c1", "weather", true, null, "{\"temp\":21}"),
        ToolOutcome.error("c2", "nope", "TOOL_NOT_ALLOWED", "not allowed")));

    activities.saveToolResults(results);
    activities.saveToolResults(results);

    List<MessageRow> stored = repos.messages().toolMessages(company, turnId);
    assertThat(stored).extracting(MessageRow::toolCallId).containsExactly("c1", "c2");
    assertThat(stored.get(1).content()).contains("TOOL_NOT_ALLOWED");
    assertThat(repos.events().after(company, turnId, 0, 100)).hasSize(2);
  }
}
