package dev.saturn.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.saturn.activities.llm.testing.OpenAiStandIn;
import dev.saturn.activities.llm.testing.OpenAiStandIn.ScriptedCall;
import dev.saturn.activities.tools.ToolServer;
import dev.saturn.app.durability.DurabilityInfra;
import dev.saturn.app.durability.SaturnProcess;
import dev.saturn.app.e2e.HttpJson;
import dev.saturn.app.e2e.TestApp;
import dev.saturn.app.e2e.TestApp.Tenant;
import dev.saturn.app.replay.HistoryExport;
import dev.saturn.app.runtime.temporal.RequiredTemporalCli;
import dev.saturn.workflows.common.SaturnSearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an operator does with the Temporal UI and CLI, against a real Temporal dev server and the
 * packaged jar with encrypted payloads: find a company's turns, its failed turns and the turns
 * waiting for an approval by search attributes (the queries of docs/operations.md); read a turn's
 * history and find no message in it; decode it through SATURN's codec endpoint, with HTTP and with
 * the CLI's {@code --codec-endpoint}.
 *
 * <p>Needs the {@code temporal} CLI, like the durability ITs.
 */
class TemporalOpsIT {

  static final Path WORK = Path.of("target", "temporal-ops-it").toAbsolutePath();
  static final String ADMIN = "temporal-ops-it-operator-token";
  static final String MESSAGE = "Please refund order 7731 to IBAN DE89 3704 0044 0532 0130 00";
  static final ObjectMapper JSON = new ObjectMapper();

  static Path cli;
  static DurabilityInfra infra;
  static OpenAiStandIn model;
  static ToolServer tools;
  static SaturnProcess saturn;
  static WorkflowServiceStubs stubs;
  static WorkflowClient temporal;
  static HttpJson http;
  static Tenant tenant;
  static Instant started;

  @BeforeAll
  static void start() throws Exception {
    cli = RequiredTemporalCli.locateOrSkip();
    infra = DurabilityInfra.start(WORK);
    model = OpenAiStandIn.start().withUsage(30, 5);
    tools = ToolServer.start().answering(r -> ToolServer.Answer.json("{\"refunded\":true}"));
    saturn = infra.saturnWith(model, tools, ADMIN, WORK.resolve("data"));
    stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(infra.temporal.target()).build());
    temporal = WorkflowClient.newInstance(stubs);
    http = new HttpJson(saturn.baseUrl());
    tenant = TestApp.newCompany(http, ADMIN, "temporal-ops");
    started = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
  }

  @AfterAll
  static void stop() throws Exception {
    if (stubs != null) {
      stubs.shutdownNow();
    }
    DurabilityInfra.closeAll(saturn, tools, model, infra);
  }

  @Test
  void givenTurnsOfACompany_whenTheOperatorQueriesItsSearchAttributes_itShouldFindThemAndItsFailedOnes() throws Exception {
    String agent = TestApp.newAgent(http, tenant, Map.of("provider", "openai"));
    model.enqueueReply("Done.");
    HttpJson.Response ok = http.post("/v1/agents/" + agent + "/chat", tenant.apiKey(), Map.of("message", "hello"));
    assertThat(ok.status()).as(ok.body().toString()).isEqualTo(200);
    model.enqueueError(401, "{\"error\":{\"message\":\"bad key\"}}");
    HttpJson.Response failed = http.post("/v1/agents/" + agent + "/chat", tenant.apiKey(), Map.of("message", "again"));
    assertThat(failed.status()).as(failed.body().toString()).isEqualTo(502);
    String failedTurn = failed.body().path("turn_id").asText(null);

    String company = "SaturnCompanyId='" + tenant.companyId() + "'";
    List<WorkflowExecutionMetadata> all = await(
        "WorkflowType='ChatTurnWorkflow' AND " + company + " AND SaturnAgentId='" + agent + "'", found -> found.size() >= 2);
    assertThat(all).hasSize(2);
    assertThat(all).allSatisfy(turn -> {
      assertThat(turn.getTypedSearchAttributes().get(SaturnSearchAttributes.AGENT_ID))
          .isEqualTo(agent);
      assertThat(turn.getTypedSearchAttributes().get(SaturnSearchAttributes.SESSION_ID))
          .isNotBlank();
    });

    // "Failed turns of company X today", as docs/operations.md writes it.
    String failedToday = "WorkflowType='ChatTurnWorkflow' AND " + company + " AND ExecutionStatus='Failed' AND StartTime > '"
        + started + "'";
    List<WorkflowExecutionMetadata> failures = await(failedToday, found -> !found.isEmpty());
    assertThat(failures).hasSize(1);
    if (failedTurn != null) {
      assertThat(failures.get(0).getTypedSearchAttributes()
          .get(SaturnSearchAttributes.TURN_ID)).isEqualTo(failedTurn);
    }
    String listed = temporal("workflow", "list", "--query", failedToday);
    assertThat(listed).contains(failures.get(0).getExecution().getWorkflowId()).contains("Failed");
    assertThat(temporal("workflow", "list", "--query", "SaturnCompanyId='no-such-company'"))
        .doesNotContain("ChatTurnWorkflow");
  }

  @Test
  void givenATurnWaitingForApproval_whenTheOperatorQueriesWaitingTurns_itShouldFindItUntilItIsDecided() throws Exception {
    HttpJson.Response tool = http.post("/v1/tools", tenant.apiKey(), Map.of(
        "name", "refund", "description", "refunds an order", "method", "POST",
        "url", "http://127.0.0.1:" + tools.port() + "/refunds",
        "parameters", Map.of("type", "object", "properties", Map.of("order_id", Map.of("type", "string"))),
        "requires_approval", true, "approval_timeout", "P2D"));
    assertThat(tool.status()).as(tool.body().toString()).isEqualTo(201);
    String approvalAgent = TestApp.newAgent(http, tenant, Map.of("provider", "openai"));
    assertThat(http.post("/v1/agents/" + approvalAgent + "/tools/" + tool.text("id"), tenant.apiKey(), Map.of()).status())
        .isEqualTo(200);
    model.enqueueToolCalls(new ScriptedCall("call_refund", "refund", "{\"order_id\":\"7731\"}")).enqueueReply("Refunded.");
    HttpJson.Response waiting = http.post("/v1/agents/" + approvalAgent + "/chat", tenant.apiKey(), Map.of("message", "refund 7731"));
    assertThat(waiting.text("status")).as(waiting.body().toString()).isEqualTo("awaiting_approval");
    String turnId = waiting.text("turn_id");

    String waitingLongerThan = "WorkflowType='ChatTurnWorkflow' AND ExecutionStatus='Running' AND SaturnAwaitingApprovalSince < '%s'";
    String waitingNow = String.format(waitingLongerThan, Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.SECONDS))
        + " AND SaturnCompanyId='" + tenant.companyId() + "'";
    List<WorkflowExecutionMetadata> found = await(waitingNow, list -> !list.isEmpty());
    assertThat(found).extracting(w -> w.getTypedSearchAttributes()
        .get(SaturnSearchAttributes.TURN_ID)).containsExactly(turnId);
    String longerThanADay = String.format(waitingLongerThan, Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS))
        + " AND SaturnCompanyId='" + tenant.companyId() + "'";
    assertThat(temporal.listExecutions(longerThanADay).toList()).as("it waits for seconds, not a day").isEmpty();

    assertThat(http.post("/v1/turns/" + turnId + "/approvals/call_refund", tenant.apiKey(), Map.of("decision", "approve"))
        .status()).isEqualTo(200);
    assertThat(DurabilityInfra.awaitTurnEnd(http, tenant.apiKey(), turnId, Duration.ofSeconds(60)).text("status"))
        .isEqualTo("completed");
    assertThat(await(waitingNow, List::isEmpty)).as("a decided turn waits no more").isEmpty();
    String everWaited = "SaturnTurnId='" + turnId + "' AND SaturnAwaitingApprovalSince IS NULL";
    assertThat(await(everWaited, list -> !list.isEmpty())).as("the attribute is unset, not left behind").hasSize(1);
  }

  @Test
  void givenATurn_whenItsHistoryIsExported_itShouldHoldNoMessageAndTheCodecEndpointShouldDecodeIt() throws Exception {
    String agent = TestApp.newAgent(http, tenant, Map.of("provider", "openai"));
    model.enqueueReply("I have passed the refund on.");
    HttpJson.Response reply = http.post("/v1/agents/" + agent + "/chat", tenant.apiKey(), Map.of("message", MESSAGE));
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    String workflowId = (String) infra.database.dsl().fetchValue(
        "SELECT workflow_id FROM turns WHERE company_id = ? AND id = ?", tenant.companyId(), reply.text("turn_id"));

    Path exported = HistoryExport.export(cli, infra.temporal.target(), workflowId, WORK.resolve("turn.json"));
    String raw = Files.readString(exported);
    JsonNode history = JSON.readTree(raw);
    StringBuilder everything = new StringBuilder(raw);
    List<JsonNode> encrypted = new ArrayList<>();
    for (JsonNode payload : history.findParents("data")) {
      everything.append('\n').append(unbase64(payload.path("data")));
      payload.path("metadata").fields().forEachRemaining(m -> everything.append('\n').append(unbase64(m.getValue())));
      if ("binary/encrypted".equals(unbase64(payload.path("metadata").path("encoding")))) {
        encrypted.add(payload);
      }
    }
    assertThat(everything.toString()).doesNotContain("7731", "DE89", "refund", "passed the refund on");
    assertThat(encrypted).as("encrypted payloads").isNotEmpty();

    JsonNode input = history.path("events").path(0).path("workflowExecutionStartedEventAttributes").path("input");
    HttpJson.Response decoded = http.post("/v1/codec/decode", ADMIN, Map.of("payloads", input.path("payloads")),
        Map.of("X-Namespace", "default"));
    assertThat(decoded.status()).as(decoded.body().toString()).isEqualTo(200);
    assertThat(unbase64(decoded.body().path("payloads").path(0).path("data"))).contains(MESSAGE);
    assertThat(http.post("/v1/codec/decode", tenant.apiKey(), Map.of("payloads", input.path("payloads"))).status())
        .isEqualTo(403);

    String shown = temporal("workflow", "show", "--workflow-id", workflowId, "--output", "json",
        "--codec-endpoint", saturn.baseUrl() + "/v1/codec", "--codec-auth", "Bearer " + ADMIN);
    StringBuilder decodedByCli = new StringBuilder(shown);
    JSON.readTree(shown).findValues("data").forEach(d -> decodedByCli.append('\n').append(unbase64(d)));
    assertThat(decodedByCli.toString()).contains(MESSAGE).contains("I have passed the refund on.");
  }

  static String unbase64(JsonNode node) {
    return node.isTextual() ? new String(Base64.getDecoder().decode(node.asText()), StandardCharsets.UTF_8) : "";
  }

  /** Visibility is eventually consistent: asks until {@code done} holds or 20 s pass, then answers the last list. */
  static List<WorkflowExecutionMetadata> await(String query, Predicate<List<WorkflowExecutionMetadata>> done)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(20);
    List<WorkflowExecutionMetadata> found;
    do {
      found = temporal.listExecutions(query).toList();
      if (done.test(found)) {
        return found;
      }
      Thread.sleep(250);
    } while (Instant.now().isBefore(deadline));
    return found;
  }

  /** The Temporal CLI against the dev server; its stdout. */
  static String temporal(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(cli.toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--address", infra.temporal.target(), "--namespace", "default"));
    Path out = Files.createTempFile(WORK, "cli-", ".out");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("temporal %s finished", args[0]).isTrue();
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("temporal %s: %s", String.join(" ", args), text).isZero();
    return text;
  }
}
