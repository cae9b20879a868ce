package dev.saturn.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the histories recorded from a real Temporal dev server (exported with {@code temporal
 * workflow show --output json}; see the folder's README) against the current workflow classes,
 * every SATURN workflow registered as the worker registers them. A change that would break a
 * workflow already running in production fails here.
 */
class DevServerReplayTest {

  static final Path DIR = Path.of("src", "test", "resources", "histories", "dev-server");
  static final ObjectMapper JSON = new ObjectMapper();

  static List<Path> histories() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }

  @ParameterizedTest
  @MethodSource("histories")
  void givenAHistoryFromTheDevServer_whenReplayedOnCurrentCode_itShouldBeDeterministic(Path file) throws Exception {
    List<Class<?>> workflows = SaturnWorkflows.IMPLEMENTATIONS;
    WorkflowReplayer.replayWorkflowExecution(file.toFile(), workflows.get(0),
        workflows.subList(1, workflows.size()).toArray(Class<?>[]::new));
  }

  @Test
  void givenTheRecordings_itShouldHoldEveryWorkflowTypeOfSaturn() throws IOException {
    Set<String> recorded = new TreeSet<>();
    for (Path file : histories()) {
      recorded.add(JSON.readTree(file.toFile()).path("events").path(0)
          .path("workflowExecutionStartedEventAttributes").path("workflowType").path("name").asText());
    }
    assertThat(recorded).isEqualTo(SaturnWorkflows.workflowTypes());
  }

  @Test
  void givenTheChatTurnRecordings_itShouldHoldEveryShapeOfATurn() throws IOException {
    assertThat(activities("chat-turn-plain")).containsExactly("StartTurn", "Generate", "CompleteTurn");
    assertThat(activities("chat-turn-tool-call")).contains("RunToolCall", "RecordToolCall").doesNotContain("CloseApproval");
    assertThat(activities("chat-turn-kb-retrieval")).containsSequence("StartTurn", "Retrieve", "Generate");

    assertThat(eventTypes("chat-turn-approval-approved")).contains("WORKFLOW_EXECUTION_UPDATE_ACCEPTED");
    assertThat(activities("chat-turn-approval-approved")).containsSequence("CloseApproval", "RunToolCall");
    assertThat(payloads("chat-turn-approval-approved")).contains("\"decision\":\"approve\"");

    assertThat(eventTypes("chat-turn-approval-denied")).contains("WORKFLOW_EXECUTION_UPDATE_ACCEPTED");
    assertThat(activities("chat-turn-approval-denied")).containsSequence("CloseApproval", "StoreToolOutcome")
        .doesNotContain("RunToolCall");
    assertThat(payloads("chat-turn-approval-denied")).contains("\"decision\":\"deny\"", "TOOL_APPROVAL_DENIED");

    assertThat(eventTypes("chat-turn-approval-timed-out")).contains("TIMER_FIRED")
        .doesNotContain("WORKFLOW_EXECUTION_UPDATE_ACCEPTED");
    assertThat(activities("chat-turn-approval-timed-out")).doesNotContain("RunToolCall");
    assertThat(payloads("chat-turn-approval-timed-out")).contains("TOOL_APPROVAL_TIMEOUT");
  }

  /** Worker identities are {@code pid@host}, and sticky task queues start with one. */
  @Test
  void givenTheRecordings_itShouldHoldNoMachineIdentity() throws IOException {
    for (Path file : histories()) {
      for (JsonNode identity : JSON.readTree(file.toFile()).findValues("identity")) {
        assertThat(identity.asText()).as(file.toString()).isIn("saturn-history-recorder", "");
      }
      assertThat(Files.readString(file)).as(file.toString()).doesNotContainPattern("\"\\d+@");
    }
  }

  private static List<String> eventTypes(String name) throws IOException {
    List<String> types = new ArrayList<>();
    for (JsonNode event : JSON.readTree(DIR.resolve(name + ".json").toFile()).path("events")) {
      types.add(event.path("eventType").asText().replaceFirst("^EVENT_TYPE_", ""));
    }
    return types;
  }

  private static List<String> activities(String name) throws IOException {
    return JSON.readTree(DIR.resolve(name + ".json").toFile()).findValues("activityTaskScheduledEventAttributes").stream()
        .map(a -> a.path("activityType").path("name").asText())
        .toList();
  }

  /** Every payload of the history, decoded. */
  private static String payloads(String name) throws IOException {
    StringBuilder text = new StringBuilder();
    for (JsonNode data : JSON.readTree(DIR.resolve(name + ".json").toFile()).findValues("data")) {
      text.append(new String(Base64.getDecoder().decode(data.asText()), StandardCharsets.UTF_8)).append('\n');
    }
    return text.toString();
  }
}
