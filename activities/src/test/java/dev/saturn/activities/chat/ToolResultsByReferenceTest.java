package dev.saturn.activities.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.activities.chat.RealChatTurns.Turn;
import dev.saturn.activities.llm.PromptMessage;
import dev.saturn.activities.llm.ProviderReply;
import dev.saturn.activities.tools.ToolServer;
import dev.saturn.db.chat.MessageRow;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.testing.Repositories;
import dev.saturn.db.testing.TestDatabase;
import dev.saturn.db.usage.UsageEvent;
import dev.saturn.db.usage.UsageEventRepository;
import dev.saturn.workflows.chat.ChatTurnResult;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.HistoryEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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
  static Repositories repos;

  RealChatTurns chat;
  ToolServer server;
  /** The tool results the model was shown, as it read them. */
  final List<PromptMessage> shown = new ArrayList<>();
  /** Calls of recordOnce for tool usage; the first one fails as a database outage would. */
  final AtomicInteger toolUsageWrites = new AtomicInteger();

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    repos = Repositories.over(database.dsl(), Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @BeforeEach
  void setUp() {
    UsageEventRepository failingOnceForTools = new UsageEventRepository(database.dsl(), Clock.systemUTC()) {
      @Override
      public boolean recordOnce(CompanyId company, UsageEvent event) {
        if (event.kind().equals("tool_call") && toolUsageWrites.incrementAndGet() == 1) {
          throw new org.springframework.dao.DataAccessResourceFailureException("database went away");
        }
        return super.recordOnce(company, event);
      }
    };
    chat = new RealChatTurns(database, repos, failingOnceForTools).start();
    server = chat.server;
  }

  @AfterEach
  void tearDown() {
    chat.close();
  }

  @Test
  void givenTwelveParallelCallsEachAnswering256KiB_whenTheTurnRuns_itShouldCompleteWithEveryResultStoredInFullAndSmallPayloads() {
    server.answering(r -> ToolServer.Answer.json(bigResult(r.uri())));
    Turn turn = chat.newTurn(chat.tool("fetch_page", "GET", "/pages/{n}", false), 12);
    chat.model = request -> {
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

    ChatTurnResult result = chat.workflow(turn).run(turn.input());

    assertThat(result.content()).isEqualTo("read 12 pages");
    assertThat(server.count()).isEqualTo(12);
    List<MessageRow> stored = repos.messages().toolMessages(chat.company, turn.id()).stream()
        .filter(m -> MessageRow.TOOL.equals(m.role())).toList();
    assertThat(stored).hasSize(12);
    for (MessageRow message : stored) {
      String n = message.toolCallId().substring("call_".length());
      assertThat(message.content()).as("result of %s stored in full", message.toolCallId())
          .isEqualTo(bigResult("/pages/" + n));
    }
    assertThat(shown).hasSize(12).allSatisfy(m -> assertThat(m.content()).hasSizeGreaterThanOrEqualTo(RESULT_BYTES));
    assertThat(repos.usage().listForTurn(chat.company, turn.id())).filteredOn(e -> e.kind().equals("tool_call")).hasSize(12);
    // 12 × 256 KiB went through the turn, yet no payload in its history carries a result.
    assertThat(largestPayload(turn.workflowId())).isLessThan(16 * 1024);
  }

  @Test
  void givenRecordingFailsAfterANonIdempotentCallSucceeded_whenTheTurnRuns_itShouldCallTheToolOnceShowTheSuccessAndBillOnce() {
    server.answering(r -> ToolServer.Answer.json("{\"payment\":\"p-77\",\"status\":\"paid\"}"));
    Turn turn = chat.newTurn(chat.tool("pay", "POST", "/payments", false), 5);
    chat.model = request -> {
      List<PromptMessage> results = request.messages().stream().filter(m -> PromptMessage.TOOL.equals(m.role())).toList();
      if (results.isEmpty()) {
        return new ProviderReply("", "scripted-1", 10, 5, false,
            List.of(new PromptMessage.ToolCall("call_pay", "pay", "{\"amount\":\"5\"}")));
      }
      shown.addAll(results);
      return new ProviderReply("done", "scripted-1", 20, 3, false);
    };

    ChatTurnResult result = chat.workflow(turn).run(turn.input());

    assertThat(result.content()).isEqualTo("done");
    assertThat(server.count()).as("one side effect on the tool server").isEqualTo(1);
    assertThat(toolUsageWrites.get()).as("the recording failed once and was retried").isEqualTo(2);
    assertThat(shown).singleElement().satisfies(m -> {
      assertThat(m.toolCallId()).isEqualTo("call_pay");
      assertThat(m.content()).isEqualTo("{\"payment\":\"p-77\",\"status\":\"paid\"}");
    });
    assertThat(repos.usage().listForTurn(chat.company, turn.id())).filteredOn(e -> e.kind().equals("tool_call"))
        .singleElement().satisfies(e -> assertThat(e.idempotencyKey()).isEqualTo("turn:" + turn.id() + ":tool:call_pay"));
    assertThat(repos.events().after(chat.company, turn.id(), 0, 100).toString())
        .contains("tool.executed").contains("tool.result");
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
    for (HistoryEvent event : chat.env.getWorkflowClient().fetchHistory(workflowId).getEvents()) {
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
