package dev.saturn.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.api.codec.CodecProperties;
import dev.saturn.app.runtime.SaturnProperties;
import dev.saturn.app.runtime.temporal.TemporalProperties;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The replay command in this JVM, with settings bound from a map instead of the application's
 * configuration (the packaged jar is {@code ReplayCommandIT}'s to run).
 */
class ReplayCommandTest {

  static final Path HISTORIES = Path.of("..", "workflows", "src", "test", "resources", "histories");

  @TempDir Path dir;

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int replay(Map<String, String> settings, String... args) {
    ReplayCommand command = new ReplayCommand(
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        ignored -> {
          Binder binder = new Binder(new MapConfigurationPropertySource(settings));
          return new ReplaySettings.Settings(
              binder.bindOrCreate("saturn.temporal", TemporalProperties.class),
              binder.bindOrCreate("saturn.temporal.codec", CodecProperties.class),
              binder.bindOrCreate("saturn", SaturnProperties.class).dataDir());
        });
    return command.execute(args);
  }

  int replay(String... args) {
    return replay(Map.of(), args);
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void givenARecordedHistory_whenReplayedFromItsFile_itShouldExitZeroAndSayWhatItReplayed() {
    int exit = replay("--file", HISTORIES.resolve("chat-turn-tool-approved.json").toString());

    assertThat(exit).as(err()).isEqualTo(ReplayCommand.OK);
    assertThat(out())
        .contains("type      ChatTurnWorkflow (task queue saturn-chat)")
        .contains("events    77, last WORKFLOW_EXECUTION_COMPLETED")
        .contains("result    OK");
  }

  @Test
  void givenAHistoryWhoseFirstActivityIsAnother_whenReplayed_itShouldExitOneNamingNonDeterminism() throws Exception {
    // A history with StartTurn as a regular activity (since local-store-steps it is a local one,
    // whose name is inside a marker's payload).
    String recorded = Files.readString(HISTORIES.resolve("chat-turn-completed-before-local-store-steps.json"));
    Path altered = dir.resolve("altered.json");
    Files.writeString(altered, recorded.replaceFirst("\"StartTurn\"", "\"CompleteTurn\""));

    int exit = replay("--file", altered.toString());

    assertThat(exit).isEqualTo(ReplayCommand.REPLAY_FAILED);
    assertThat(out()).contains("result    NON-DETERMINISTIC")
        .contains("NonDeterministicException").contains("StartTurn").contains("CompleteTurn")
        .doesNotContain("\tat io.temporal");
  }

  @Test
  void givenAHistoryOfAWorkflowTypeSaturnDoesNotHave_itShouldExitTwo() throws Exception {
    String recorded = Files.readString(HISTORIES.resolve("kb-delete.json"));
    Path foreign = dir.resolve("foreign.json");
    Files.writeString(foreign, recorded.replaceFirst("\"KbDeleteWorkflow\"", "\"SomeoneElsesWorkflow\""));

    assertThat(replay("--file", foreign.toString())).isEqualTo(ReplayCommand.CANNOT_REPLAY);
    assertThat(err()).contains("SomeoneElsesWorkflow is not a SATURN workflow").contains("KbDeleteWorkflow");
  }

  @Test
  void givenAFileThatIsNoHistory_itShouldExitTwo() throws Exception {
    Path notJson = Files.writeString(dir.resolve("notes.json"), "these are my notes");
    assertThat(replay("--file", notJson.toString())).isEqualTo(ReplayCommand.CANNOT_REPLAY);
    assertThat(err()).contains("is not a workflow history in Temporal's JSON format");

    assertThat(replay("--file", dir.resolve("missing.json").toString())).isEqualTo(ReplayCommand.CANNOT_REPLAY);
    assertThat(err()).contains("cannot read");
  }

  @Test
  void givenNoArguments_itShouldExitTwoWithTheUsage() {
    assertThat(replay()).isEqualTo(ReplayCommand.CANNOT_REPLAY);
    assertThat(err()).contains("Usage: java -jar saturn.jar replay").contains("Exit codes");
    assertThat(replay("--help")).isEqualTo(ReplayCommand.OK);
    assertThat(out()).contains("Usage: java -jar saturn.jar replay");
  }

  @Test
  void givenEmbeddedMode_whenAskedToFetch_itShouldExplainThatThereIsNoServerToReadFrom() {
    assertThat(replay(Map.of("saturn.temporal.mode", "embedded"), "--workflow-id", "w")).isEqualTo(ReplayCommand.CANNOT_REPLAY);
    assertThat(err()).contains("EMBEDDED").contains("--file");
  }

  @Test
  void givenAServerThatIsNotThere_itShouldExitTwoSayingWhereItLooked() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Map<String, String> settings = new HashMap<>();
    settings.put("saturn.temporal.mode", "external");
    settings.put("saturn.temporal.target", "127.0.0.1:" + closedPort);
    Instant start = Instant.now();

    assertThat(replay(settings, "--workflow-id", "w")).isEqualTo(ReplayCommand.CANNOT_REPLAY);
    assertThat(err()).contains("cannot reach Temporal at 127.0.0.1:" + closedPort + " (EXTERNAL), namespace default");
    assertThat(Duration.between(start, Instant.now())).isLessThan(ReplayCommand.CONNECT_TIMEOUT.plusSeconds(10));
  }

  @Test
  void givenEveryRecordedHistory_whenReplayed_itShouldExitZero() throws Exception {
    List<Path> files;
    try (var list = Files.walk(HISTORIES)) {
      files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThan(20);
    for (Path file : files) {
      assertThat(replay("--file", file.toString())).as("%s: %s %s", file, out(), err()).isEqualTo(ReplayCommand.OK);
    }
  }
}
