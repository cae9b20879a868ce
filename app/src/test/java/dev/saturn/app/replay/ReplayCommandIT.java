package dev.saturn.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.app.durability.DurabilityInfra;
import dev.saturn.app.durability.SaturnProcess;
import dev.saturn.app.e2e.HttpJson;
import dev.saturn.app.e2e.TestApp;
import dev.saturn.app.e2e.TestApp.Tenant;
import dev.saturn.app.runtime.LocalPorts;
import dev.saturn.app.runtime.temporal.RequiredTemporalCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar saturn.jar replay} against a real Temporal dev server: a chat turn that SATURN
 * (the packaged jar) completed there, its payloads encrypted by the codec, is fetched and replayed
 * by a second, short-lived process of the same jar with the same codec keys, which starts no server
 * of its own; an exported history replays from a file; an edited one is reported as
 * non-deterministic; what cannot be replayed (a key missing included) says why, with exit 2.
 *
 * <p>Needs the {@code temporal} CLI, like the durability ITs.
 */
class ReplayCommandIT {

  static final Path WORK = Path.of("target", "replay-command-it").toAbsolutePath();
  static final String ADMIN = "replay-it-operator-token";

  static DurabilityInfra infra;
  static SaturnProcess saturn;
  static Path cli;
  static String workflowId;

  @BeforeAll
  static void completeATurn() throws Exception {
    cli = RequiredTemporalCli.locateOrSkip();
    infra = DurabilityInfra.start(WORK);
    saturn = infra.saturn("saturn", LocalPorts.pickFree(), infra.env("api,worker", ADMIN, WORK.resolve("data"), "20s"))
        .awaitReady(SaturnProcess.STARTUP);
    HttpJson http = new HttpJson(saturn.baseUrl());
    Tenant tenant = TestApp.newCompany(http, ADMIN, "replay-it");
    String agent = TestApp.newAgent(http, tenant, Map.of());
    HttpJson.Response reply = http.post("/v1/agents/" + agent + "/chat", tenant.apiKey(), Map.of("message", "hello"));
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    workflowId = (String) infra.database.dsl().fetchValue(
        "SELECT workflow_id FROM turns WHERE company_id = ? AND id = ?", tenant.companyId(), reply.text("turn_id"));
  }

  @AfterAll
  static void stopEverything() throws Exception {
    DurabilityInfra.closeAll(saturn, infra);
  }

  static Map<String, String> external() {
    return Map.of("SATURN_TEMPORAL_MODE", "external", "SATURN_TEMPORAL_TARGET", infra.temporal.target(),
        "SATURN_CODEC_KEYS", DurabilityInfra.CODEC_KEYS);
  }

  /** No server settings, only the codec keys: what a replay of a file needs. */
  static Map<String, String> keysOnly() {
    return Map.of("SATURN_CODEC_KEYS", DurabilityInfra.CODEC_KEYS);
  }

  @Test
  void givenACompletedTurn_whenReplayedByWorkflowId_itShouldExitZeroAndReportTheTurn() throws Exception {
    ReplayRun run = ReplayRun.of(WORK, external(), "--workflow-id", workflowId);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ReplayCommand.OK);
    assertThat(run.out())
        .contains("source    Temporal at " + infra.temporal.target() + " (EXTERNAL), namespace default")
        .contains("workflow  " + workflowId + " run ")
        .contains("type      ChatTurnWorkflow (task queue saturn-chat)")
        .containsPattern("events    \\d+, last WORKFLOW_EXECUTION_COMPLETED")
        .contains("payloads  encrypted with codec key it-1")
        .contains("result    OK");

    Matcher runId = Pattern.compile(" run ([0-9a-f-]{36})").matcher(run.out());
    assertThat(runId.find()).isTrue();
    ReplayRun thatRun = ReplayRun.of(WORK, external(), "--workflow-id", workflowId, "--run-id", runId.group(1));
    assertThat(thatRun.exitCode()).as(thatRun.toString()).isEqualTo(ReplayCommand.OK);
  }

  @Test
  void givenDevServerMode_whenReplayed_itShouldReadFromTheConfiguredPortAndStartNothing() throws Exception {
    Path dataDir = WORK.resolve("dev-server-mode-data");
    String port = infra.temporal.target().substring(infra.temporal.target().lastIndexOf(':') + 1);

    ReplayRun run = ReplayRun.of(WORK, Map.of(
        "SATURN_TEMPORAL_MODE", "dev-server", "SATURN_TEMPORAL_PORT", port, "SATURN_DATA_DIR", dataDir.toString(),
        "SATURN_CODEC_KEYS", DurabilityInfra.CODEC_KEYS),
        "--workflow-id", workflowId);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ReplayCommand.OK);
    assertThat(run.out()).contains("(DEV_SERVER)").contains("result    OK");
    assertThat(dataDir).as("no dev server, no embedded database under the data dir").doesNotExist();
  }

  @Test
  void givenAHistoryExportedWithTheCli_whenReplayedFromItsFile_itShouldExitZero() throws Exception {
    Path exported = HistoryExport.export(cli, infra.temporal.target(), workflowId, WORK.resolve("exported.json"));

    // No Temporal settings but the keys: a file needs no server (and embedded mode has none).
    ReplayRun run = ReplayRun.of(WORK, Map.of("SATURN_TEMPORAL_MODE", "embedded", "SATURN_CODEC_KEYS", DurabilityInfra.CODEC_KEYS),
        "--file", exported.toString());

    assertThat(Files.readString(exported)).as("the export is encrypted").doesNotContain("hello")
        .contains("\"encryption-key-id\"");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ReplayCommand.OK);
    assertThat(run.out()).contains("source    file " + exported).contains("ChatTurnWorkflow")
        .contains("payloads  encrypted with codec key it-1").contains("result    OK");
  }

  @Test
  void givenAnEncryptedHistory_whenReplayedWithoutItsKey_itShouldExitTwoNamingTheKey() throws Exception {
    Path exported = HistoryExport.export(cli, infra.temporal.target(), workflowId, WORK.resolve("exported-no-key.json"));
    String otherKey = "other:" + java.util.Base64.getEncoder().encodeToString(new byte[32]);

    ReplayRun none = ReplayRun.of(WORK, Map.of("SATURN_DATA_DIR", WORK.resolve("no-keys-data").toString()),
        "--file", exported.toString());
    ReplayRun wrong = ReplayRun.of(WORK, Map.of("SATURN_CODEC_KEYS", otherKey), "--file", exported.toString());
    ReplayRun fromServer = ReplayRun.of(WORK, Map.of("SATURN_TEMPORAL_MODE", "external",
        "SATURN_TEMPORAL_TARGET", infra.temporal.target(), "SATURN_CODEC_KEYS", otherKey), "--workflow-id", workflowId);

    assertThat(none.exitCode()).as(none.toString()).isEqualTo(ReplayCommand.CANNOT_REPLAY);
    assertThat(none.err()).contains("encrypted with codec key(s) it-1").contains("holds no keys");
    assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(ReplayCommand.CANNOT_REPLAY);
    assertThat(wrong.err()).contains("encrypted with codec key(s) it-1").contains("holds other");
    assertThat(fromServer.exitCode()).as(fromServer.toString()).isEqualTo(ReplayCommand.CANNOT_REPLAY);
    assertThat(fromServer.err()).contains("it-1");
  }

  @Test
  void givenAnExportedHistoryWithAnEditedCommand_whenReplayed_itShouldExitOneNamingNonDeterminism() throws Exception {
    Path exported = HistoryExport.export(cli, infra.temporal.target(), workflowId, WORK.resolve("to-edit.json"));
    String history = Files.readString(exported);
    // The turn's first regular activity (its store steps are local activities, recorded as markers).
    assertThat(history).contains("\"Generate\"");
    // The model call is now another activity than the code schedules.
    Path edited = Files.writeString(WORK.resolve("edited.json"), history.replaceFirst("\"Generate\"", "\"CompleteTurn\""));

    ReplayRun run = ReplayRun.of(WORK, keysOnly(), "--file", edited.toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ReplayCommand.REPLAY_FAILED);
    assertThat(run.out()).contains("result    NON-DETERMINISTIC")
        .contains("NonDeterministicException").contains("Generate").contains("CompleteTurn");
  }

  @Test
  void givenAnUnknownWorkflowOrRun_whenReplayed_itShouldExitTwoSayingSo() throws Exception {
    ReplayRun unknown = ReplayRun.of(WORK, external(), "--workflow-id", "chat-turn:no:such:turn");
    assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(ReplayCommand.CANNOT_REPLAY);
    assertThat(unknown.err()).contains("no workflow chat-turn:no:such:turn on Temporal at " + infra.temporal.target());

    String otherRun = UUID.randomUUID().toString();
    ReplayRun wrongRun = ReplayRun.of(WORK, external(), "--workflow-id", workflowId, "--run-id", otherRun);
    assertThat(wrongRun.exitCode()).as(wrongRun.toString()).isEqualTo(ReplayCommand.CANNOT_REPLAY);
    assertThat(wrongRun.err()).contains(otherRun);
  }

  @Test
  void givenBadUsageOrNoServer_whenRun_itShouldExitTwoWithAClearMessage() throws Exception {
    ReplayRun usage = ReplayRun.of(WORK, Map.of(), "--workflow-id");
    assertThat(usage.exitCode()).as(usage.toString()).isEqualTo(ReplayCommand.CANNOT_REPLAY);
    assertThat(usage.err()).contains("--workflow-id needs a value").contains("Usage: java -jar saturn.jar replay");

    ReplayRun embedded = ReplayRun.of(WORK, Map.of("SATURN_TEMPORAL_MODE", "embedded"), "--workflow-id", workflowId);
    assertThat(embedded.exitCode()).as(embedded.toString()).isEqualTo(ReplayCommand.CANNOT_REPLAY);
    assertThat(embedded.err()).contains("EMBEDDED").contains("no server to fetch one from");

    ReplayRun invalid = ReplayRun.of(WORK, Map.of("SATURN_TEMPORAL_MODE", "external"), "--workflow-id", workflowId);
    assertThat(invalid.exitCode()).as(invalid.toString()).isEqualTo(ReplayCommand.CANNOT_REPLAY);
    assertThat(invalid.err()).contains("saturn.temporal.target (host:port) is required when mode is EXTERNAL");
    assertThat(invalid.out()).as("no startup report or stack trace besides the message").isEmpty();
  }
}
