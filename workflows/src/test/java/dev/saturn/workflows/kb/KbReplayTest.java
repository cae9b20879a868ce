package dev.saturn.workflows.kb;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Replays recorded indexing and delete histories against the current code (determinism). */
class KbReplayTest {

  static Stream<String> histories() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("src", "test", "resources", "histories"))) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("kb-")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("histories")
  void givenRecordedHistory_whenReplayedOnCurrentCode_itShouldBeDeterministic(String file) throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/" + file, KbIndexingWorkflowImpl.class, KbDeleteWorkflowImpl.class);
  }

  @Test
  void givenHistoriesDirectory_itShouldHoldEveryShape() throws IOException {
    assertThat(histories()).contains(
        "kb-index-ready.json", "kb-index-two-in-flight.json", "kb-index-failed.json", "kb-delete.json");
  }
}
