package dev.saturn.workflows.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays recorded ChatTurnWorkflow histories against the current code: a change that would
 * break a turn already running in production (a non-deterministic change) fails here.
 */
class ChatTurnReplayTest {

  static Stream<String> histories() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("src", "test", "resources", "histories"))) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("chat-turn-")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("histories")
  void givenRecordedHistory_whenReplayedOnCurrentCode_itShouldBeDeterministic(String file) throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource("histories/" + file, ChatTurnWorkflowImpl.class);
  }

  @org.junit.jupiter.api.Test
  void givenHistoriesDirectory_itShouldHoldEveryShapeOfTheTurn() throws IOException {
    List<String> shapes = List.of("chat-turn-completed", "chat-turn-llm-failed", "chat-turn-save-retried",
        "chat-turn-tool-by-reference", "chat-turn-cancelled", "chat-turn-kb-retrieval");
    // Every shape as recorded before local-store-steps (turns of that shape may still be running when
    // the new code is deployed) and after it; the fallback to the regular store activity only after;
    // tool-approved from before tool-results-by-reference.
    assertThat(histories())
        .contains(shapes.stream().map(s -> s + ".json").toArray(String[]::new))
        .contains(shapes.stream().map(s -> s + "-before-local-store-steps.json").toArray(String[]::new))
        .contains("chat-turn-store-fallback.json", "chat-turn-tool-approved.json");
  }
}
