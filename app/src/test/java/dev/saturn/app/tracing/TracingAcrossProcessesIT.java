package dev.saturn.app.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.saturn.activities.llm.testing.OpenAiStandIn;
import dev.saturn.activities.llm.testing.OpenAiStandIn.ScriptedCall;
import dev.saturn.activities.tools.ToolServer;
import dev.saturn.app.durability.DurabilityInfra;
import dev.saturn.app.durability.SaturnProcess;
import dev.saturn.app.e2e.HttpJson;
import dev.saturn.app.runtime.LocalPorts;
import dev.saturn.app.tracing.OtlpReceiver.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One chat turn with a tool call, an API process and a separate worker process started from the
 * packaged jar against the Temporal dev server, both exporting over OTLP/HTTP to a receiver in this
 * test: every span of the turn, from the HTTP request through the workflow start, the workflow, its
 * activities, the model call and the tool call down to their HTTP requests, is in one trace whose
 * root is the API's HTTP server span; the model and tool servers are told that trace in
 * {@code traceparent}; log lines of both processes carry its id; no span holds the user's words.
 *
 * <p>Needs the {@code temporal} CLI, like the durability ITs.
 */
class TracingAcrossProcessesIT {

  static final String ADMIN = "tracing-it-operator-token";
  static final Path WORK = Path.of("target", "tracing-it").toAbsolutePath();
  /** Words of the user's message and of the tool's arguments, which no span may contain. */
  static final String CANARY = "tracing-canary-4711";
  static final String CITY = "Trondheim";

  DurabilityInfra infra;
  OpenAiStandIn model;
  ToolServer tools;
  OtlpReceiver collector;
  SaturnProcess api;
  SaturnProcess worker;

  @BeforeEach
  void startInfrastructure() throws Exception {
    infra = DurabilityInfra.start(WORK);
    model = OpenAiStandIn.start().withUsage(40, 8);
    tools = ToolServer.start().answering(r -> ToolServer.Answer.json("{\"sky\":\"clear\"}"));
    collector = OtlpReceiver.start();
  }

  @AfterEach
  void stopEverything() throws Exception {
    DurabilityInfra.closeAll(worker, api, collector, tools, model, infra);
  }

  Map<String, String> env(String role) {
    Map<String, String> env = infra.env(role, ADMIN, WORK.resolve("data-" + role), "20s");
    env.put("SATURN_OPENAI_BASE_URL", model.baseUrl());
    env.put("SATURN_OUTBOUND_ALLOWED_HOSTS", "127.0.0.1:" + tools.port());
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint());
    env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
    env.put("OTEL_SERVICE_NAME", "saturn-" + role);
    // Export within half a second of a span's end instead of Boot's 5 s: the test waits less.
    env.put("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_SCHEDULE_DELAY", "500ms");
    return env;
  }

  @Test
  void givenApiAndWorkerProcesses_whenATurnCallsATool_itShouldProduceOneTraceFromTheRequestToTheToolsHttpCall()
      throws Exception {
    api = infra.saturn("api", LocalPorts.pickFree(), env("api"));
    worker = infra.saturn("worker", LocalPorts.pickFree(), env("worker"));
    api.awaitReady(Duration.ofSeconds(300));
    worker.awaitReady(Duration.ofSeconds(300));
    HttpJson http = new HttpJson(api.baseUrl());

    HttpJson.Response company = http.post("/v1/companies", ADMIN, Map.of("name", "traced", "owner", Map.of("email", "o@traced.test")));
    String companyId = company.body().path("company").path("id").asText();
    String key = company.text("api_key");
    HttpJson.Response tool = http.post("/v1/tools", key, Map.of(
        "name", "weather", "description", "current weather", "method", "GET",
        "url", "http://127.0.0.1:" + tools.port() + "/weather/{city}",
        "parameters", Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")), "required", List.of("city"))));
    assertThat(tool.status()).as(tool.body().toString()).isEqualTo(201);
    String agentId = http.post("/v1/agents", key, Map.of("name", "a", "config", Map.of("provider", "openai", "model", "m"))).text("id");
    assertThat(http.post("/v1/agents/" + agentId + "/tools/" + tool.text("id"), key, Map.of()).status()).isEqualTo(200);
    model.enqueueToolCalls(new ScriptedCall("call_wx", "weather", "{\"city\":\"" + CITY + "\"}")).enqueueReply("Clear skies.");

    HttpJson.Response reply = http.post("/v1/agents/" + agentId + "/chat", key,
        Map.of("message", "What is the weather in " + CITY + "? " + CANARY));
    String turnId = reply.text("turn_id");
    HttpJson.Response turn = DurabilityInfra.awaitTurnEnd(http, key, turnId, Duration.ofSeconds(60));
    assertThat(turn.text("status")).as(turn.body().toString()).isEqualTo("completed");
    assertThat(tools.count()).isEqualTo(1);

    Predicate<ReceivedSpan> chatRequest = s -> s.service().equals("saturn-api") && s.kind() == SpanKind.SPAN_KIND_SERVER
        && turnId.equals(s.attribute("saturn.turn_id"));
    // Each process exports on its own schedule: wait for the last span of each.
    List<ReceivedSpan> all = collector.await(spans -> spans.stream().anyMatch(chatRequest)
        && spans.stream().anyMatch(s -> s.name().equals("RunWorkflow:ChatTurnWorkflow"))
        && count(spans, "chat m") == 2 && spans.stream().anyMatch(s -> s.name().equals("RunActivity:CompleteTurn")),
        Duration.ofSeconds(60));
    // For whoever reads a failure: every span received, with its ids and attributes.
    Files.write(WORK.resolve("spans.txt"), all.stream().map(ReceivedSpan::toString).toList());

    ReceivedSpan request = single(all, chatRequest);
    assertThat(request.name()).isEqualTo("http post /v1/agents/{agentId}/chat");
    String traceId = request.traceId();
    List<ReceivedSpan> trace = all.stream().filter(s -> s.traceId().equals(traceId)).toList();
    Map<String, ReceivedSpan> byId = trace.stream().collect(Collectors.toMap(ReceivedSpan::spanId, Function.identity()));

    // Every span that names the turn is in its trace, whichever process made it.
    List<ReceivedSpan> ofTheTurn = all.stream().filter(s -> turnId.equals(s.attribute("saturn.turn_id"))).toList();
    assertThat(ofTheTurn).hasSizeGreaterThan(10).allSatisfy(s -> assertThat(s.traceId()).as(s.name()).isEqualTo(traceId));
    assertThat(request.attribute("saturn.company_id")).isEqualTo(companyId);
    assertThat(request.attribute("saturn.agent_id")).isEqualTo(agentId);

    ReceivedSpan start = single(trace, s -> s.name().equals("StartWorkflow:ChatTurnWorkflow"));
    assertThat(start.service()).isEqualTo("saturn-api");
    assertThat(ancestors(start, byId)).containsExactly(request);
    // A workflow replayed from its history (another worker, an evicted cache, a query) runs again: one span per run.
    List<ReceivedSpan> runs = trace.stream().filter(s -> s.name().equals("RunWorkflow:ChatTurnWorkflow")).toList();
    assertThat(runs).isNotEmpty().allSatisfy(run -> {
      assertThat(run.service()).isEqualTo("saturn-worker");
      assertThat(run.parentSpanId()).as("the workflow continues the start, across processes").isEqualTo(start.spanId());
    });
    for (String activity : List.of("StartTurn", "Generate", "CheckToolCall", "RunToolCall", "CompleteTurn")) {
      List<ReceivedSpan> activityRuns = trace.stream().filter(s -> s.name().equals("RunActivity:" + activity)).toList();
      assertThat(activityRuns).as("activity %s", activity).isNotEmpty().allSatisfy(s -> {
        assertThat(s.service()).isEqualTo("saturn-worker");
        assertThat(ancestors(s, byId)).contains(request).containsAnyElementsOf(runs);
        assertThat(s.attribute("saturn.company_id")).isEqualTo(companyId);
        assertThat(s.attribute("saturn.agent_id")).isEqualTo(agentId);
      });
    }

    List<ReceivedSpan> chats = trace.stream().filter(s -> s.name().equals("chat m")).toList();
    assertThat(chats).hasSize(2).allSatisfy(chat -> {
      assertThat(chat.service()).isEqualTo("saturn-worker");
      assertThat(chat.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
      assertThat(chat.attribute("gen_ai.operation.name")).isEqualTo("chat");
      assertThat(chat.attribute("gen_ai.provider.name")).isEqualTo("openai");
      assertThat(chat.attribute("gen_ai.request.model")).isEqualTo("m");
      assertThat(ancestors(chat, byId)).extracting(ReceivedSpan::name).contains("RunActivity:Generate");
      assertThat(ancestors(chat, byId)).contains(request);
      assertThat(children(chat, trace)).extracting(ReceivedSpan::kind).containsExactly(SpanKind.SPAN_KIND_CLIENT);
    });
    assertThat(chats).extracting(c -> c.attributes().get("gen_ai.response.finish_reasons"))
        .containsExactlyInAnyOrder(List.of("tool_calls"), List.of("stop"));
    assertThat(chats.stream().mapToLong(c -> c.longAttribute("gen_ai.usage.input_tokens")).sum())
        .isEqualTo(turn.body().path("usage").path("input_tokens").asLong()).isEqualTo(80);
    assertThat(chats.stream().mapToLong(c -> c.longAttribute("gen_ai.usage.output_tokens")).sum())
        .isEqualTo(turn.body().path("usage").path("output_tokens").asLong()).isEqualTo(16);

    ReceivedSpan executeTool = single(trace, s -> s.name().equals("execute_tool weather"));
    assertThat(executeTool.attribute("gen_ai.operation.name")).isEqualTo("execute_tool");
    assertThat(executeTool.attribute("gen_ai.tool.name")).isEqualTo("weather");
    assertThat(executeTool.attribute("gen_ai.tool.call.id")).isEqualTo("call_wx");
    assertThat(ancestors(executeTool, byId)).extracting(ReceivedSpan::name).contains("RunActivity:RunToolCall");
    ReceivedSpan toolRequest = single(children(executeTool, trace), s -> true);
    assertThat(toolRequest.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
    assertThat(toolRequest.name()).isEqualTo("GET /weather/{city}");
    assertThat(toolRequest.longAttribute("http.response.status_code")).isEqualTo(200);
    assertThat(tools.received().get(0).header("traceparent"))
        .isEqualTo("00-" + traceId + "-" + toolRequest.spanId() + "-01");
    assertThat(model.requests()).hasSize(2).allSatisfy(r -> assertThat(r.header("traceparent")).startsWith("00-" + traceId + "-"));

    // Content capture is off: neither the user's message nor the tool's arguments are in any span.
    assertThat(all).allSatisfy(s -> assertThat(String.valueOf(s.attributes())).as(s.name())
        .doesNotContain(CANARY).doesNotContain(CITY));

    // Both processes' log lines of the turn carry its trace id, the worker's inside activities too.
    assertThat(jsonLines(api.log(), "turn accepted", turnId)).singleElement().satisfies(line -> {
      assertThat(line.path("trace_id").asText()).isEqualTo(traceId);
      assertThat(line.path("turn_id").asText()).isEqualTo(turnId);
    });
    List<JsonNode> llmLines = jsonLines(worker.log(), "llm call finished", turnId);
    assertThat(llmLines).hasSize(2).allSatisfy(line -> {
      assertThat(line.path("trace_id").asText()).isEqualTo(traceId);
      assertThat(line.path("span_id").asText()).matches("[0-9a-f]{16}");
      assertThat(line.path("turn_id").asText()).isEqualTo(turnId);
    });
  }

  static long count(List<ReceivedSpan> spans, String name) {
    return spans.stream().filter(s -> s.name().equals(name)).count();
  }

  static ReceivedSpan single(List<ReceivedSpan> spans, Predicate<ReceivedSpan> which) {
    List<ReceivedSpan> found = spans.stream().filter(which).toList();
    assertThat(found).as("one matching span among %s", names(spans)).hasSize(1);
    return found.get(0);
  }

  static List<ReceivedSpan> ancestors(ReceivedSpan span, Map<String, ReceivedSpan> byId) {
    List<ReceivedSpan> out = new ArrayList<>();
    for (ReceivedSpan parent = byId.get(span.parentSpanId()); parent != null; parent = byId.get(parent.parentSpanId())) {
      out.add(parent);
    }
    return out;
  }

  static List<ReceivedSpan> children(ReceivedSpan span, List<ReceivedSpan> trace) {
    return trace.stream().filter(s -> s.parentSpanId().equals(span.spanId())).toList();
  }

  static List<String> names(List<ReceivedSpan> spans) {
    return spans.stream().map(s -> s.service() + "/" + s.name()).sorted().toList();
  }

  /** JSON lines of this turn (logs are appended to across runs) with the given text. */
  static List<JsonNode> jsonLines(Path log, String containing, String turnId) throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      if (line.startsWith("{") && line.contains(containing) && line.contains(turnId)) {
        lines.add(json.readTree(line));
      }
    }
    return lines;
  }
}
