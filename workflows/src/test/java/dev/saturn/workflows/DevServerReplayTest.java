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
import org.junit.jupiter.params.provider.ValueSource;

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
    assertThat(activities("chat-turn-plain")).containsExactly("Generate");
    assertThat(localActivities("chat-turn-plain")).containsExactly("StartTurn", "CompleteTurn");
    assertThat(activities("chat-turn-tool-call")).contains("RunToolCall", "RecordToolCall").doesNotContain("CloseApproval");
    assertThat(activities("chat-turn-kb-retrieval")).containsSequence("Retrieve", "Generate");

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

  /**
   * The approval shapes exist twice: recorded before {@code approval-search-attribute} (no upserts;
   * such turns may still be running when the new code is deployed) and after it, where the turn sets
   * {@code SaturnAwaitingApprovalSince} while the call waits and unsets it once decided or timed out.
   */
  @ParameterizedTest
  @ValueSource(strings = {"chat-turn-approval-approved", "chat-turn-approval-denied", "chat-turn-approval-timed-out"})
  void givenAnApprovalShape_itShouldBeRecordedBeforeAndAfterTheApprovalSearchAttribute(String name) throws IOException {
    String before = name + "-before-approval-search-attribute";

    assertThat(eventTypes(before)).doesNotContain("UPSERT_WORKFLOW_SEARCH_ATTRIBUTES");
    assertThat(activities(before)).isEqualTo(activities(name + "-before-local-store-steps"));
    assertThat(eventTypes(name)).filteredOn("UPSERT_WORKFLOW_SEARCH_ATTRIBUTES"::equals).hasSize(2);
    List<String> awaiting = JSON.readTree(DIR.resolve(name + ".json").toFile())
        .findValues("upsertWorkflowSearchAttributesEventAttributes").stream()
        .map(u -> decoded(u.path("searchAttributes").path("indexedFields").path("SaturnAwaitingApprovalSince").path("data")))
        .toList();
    assertThat(awaiting).hasSize(2);
    assertThat(awaiting.get(0)).as("set while the call waits").matches("\"\\d{4}-\\d{2}-\\d{2}T.*Z\"");
    assertThat(awaiting.get(1)).as("unset once it no longer does").isEqualTo("null");
  }

  /**
   * Every chat-turn shape exists as recorded before {@code local-store-steps} (startTurn and
   * completeTurn or failTurn as regular activities; such turns may still run when the new code is
   * deployed) and after it, where they are local activities (markers) and no longer scheduled.
   */
  @ParameterizedTest
  @ValueSource(strings = {"chat-turn-plain", "chat-turn-tool-call", "chat-turn-kb-retrieval",
      "chat-turn-approval-approved", "chat-turn-approval-denied", "chat-turn-approval-timed-out"})
  void givenAChatTurnShape_itShouldBeRecordedBeforeAndAfterLocalStoreSteps(String name) throws IOException {
    String before = name + "-before-local-store-steps";

    assertThat(activities(before)).startsWith("StartTurn").contains("CompleteTurn");
    assertThat(localActivities(before)).isEmpty();
    assertThat(localActivities(name)).startsWith("StartTurn").contains("CompleteTurn");
    assertThat(activities(name)).doesNotContain("StartTurn", "CompleteTurn", "FailTurn");
    assertThat(activities(name)).isEqualTo(activities(before).stream()
        .filter(a -> !List.of("StartTurn", "CompleteTurn", "FailTurn").contains(a)).toList());
  }

  /** The new recordings start with the ids an operator filters on; the periodic workflows have none. */
  @Test
  void givenTheRecordingsOfCompanyWork_itShouldCarryTheSaturnSearchAttributes() throws IOException {
    for (String name : List.of("chat-turn-plain", "chat-turn-tool-call", "chat-turn-kb-retrieval",
        "chat-turn-approval-approved", "chat-turn-approval-denied", "chat-turn-approval-timed-out")) {
      assertThat(startSearchAttributes(name)).as(name)
          .containsExactlyInAnyOrder("SaturnCompanyId", "SaturnAgentId", "SaturnSessionId", "SaturnTurnId");
    }
    assertThat(startSearchAttributes("kb-index")).containsExactlyInAnyOrder("SaturnCompanyId", "SaturnAgentId");
    assertThat(startSearchAttributes("kb-delete")).containsExactlyInAnyOrder("SaturnCompanyId", "SaturnAgentId");
    assertThat(startSearchAttributes("invoice-draft")).containsExactly("SaturnCompanyId");
    assertThat(startSearchAttributes("turn-reconciler")).noneMatch(a -> a.startsWith("Saturn"));
  }

  private static List<String> startSearchAttributes(String name) throws IOException {
    List<String> names = new ArrayList<>();
    JSON.readTree(DIR.resolve(name + ".json").toFile()).path("events").path(0)
        .path("workflowExecutionStartedEventAttributes").path("searchAttributes").path("indexedFields")
        .fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String decoded(JsonNode base64) {
    return new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.UTF_8);
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

  /** The activity types of the history's local activity markers, in order. */
  private static List<String> localActivities(String name) throws IOException {
    return JSON.readTree(DIR.resolve(name + ".json").toFile()).findValues("markerRecordedEventAttributes").stream()
        .filter(m -> m.path("markerName").asText().equals("LocalActivity"))
        .map(m -> decoded(m.path("details").path("type").path("payloads").path(0).path("data")).replace("\"", ""))
        .toList();
  }

  /** Every payload of the history, decoded. */
  private static String payloads(String name) throws IOException {
    StringBuilder text = new StringBuilder();
    for (JsonNode data : JSON.readTree(DIR.resolve(name + ".json").toFile()).findValues("data")) {
      text.append(decoded(data)).append('\n');
    }
    return text.toString();
  }
}
