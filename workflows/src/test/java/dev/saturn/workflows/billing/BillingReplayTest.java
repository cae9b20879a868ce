package dev.saturn.workflows.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Replays recorded billing histories against the current code: a non-deterministic change fails here. */
class BillingReplayTest {

  static Stream<String> histories() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("src", "test", "resources", "histories"))) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("billing-")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("histories")
  void givenRecordedHistory_whenReplayedOnCurrentCode_itShouldBeDeterministic(String file) throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource("histories/" + file,
        MonthlyBillingWorkflowImpl.class, BillingRunWorkflowImpl.class, InvoiceDraftWorkflowImpl.class);
  }

  @org.junit.jupiter.api.Test
  void givenHistoriesDirectory_itShouldHoldEveryBillingWorkflow() throws IOException {
    assertThat(histories()).contains("billing-monthly.json", "billing-run.json", "billing-invoice-draft.json",
        "billing-invoice-draft-finalized.json");
  }
}
