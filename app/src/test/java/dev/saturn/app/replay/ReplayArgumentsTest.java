package dev.saturn.app.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saturn.app.replay.ReplayArguments.UsageException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReplayArgumentsTest {

  @Test
  void givenAWorkflowIdAndRun_itShouldFetchThatRun() {
    ReplayArguments args = ReplayArguments.parse("--workflow-id", "chat-turn:c:s:k", "--run-id=r-1");
    assertThat(args.workflowId()).isEqualTo("chat-turn:c:s:k");
    assertThat(args.runId()).isEqualTo("r-1");
    assertThat(args.fromFile()).isFalse();
  }

  @Test
  void givenAFile_itShouldReplayItWithoutAServer() {
    ReplayArguments args = ReplayArguments.parse("--file=h.json");
    assertThat(args.fromFile()).isTrue();
    assertThat(args.file()).isEqualTo(Path.of("h.json"));
  }

  @Test
  void givenSettingsAsDottedKeyValues_itShouldPassThemToTheBinderUntouched() {
    ReplayArguments args = ReplayArguments.parse(
        "--saturn.temporal.mode=external", "--workflow-id", "w", "--saturn.temporal.target=temporal:7233");
    assertThat(args.settings()).containsExactly("--saturn.temporal.mode=external", "--saturn.temporal.target=temporal:7233");
  }

  @Test
  void givenNothingToReplay_itShouldBeAUsageError() {
    assertThatThrownBy(ReplayArguments::parse).isInstanceOf(UsageException.class).hasMessageContaining("--workflow-id");
  }

  @Test
  void givenAnOptionWithoutItsValue_itShouldBeAUsageError() {
    assertThatThrownBy(() -> ReplayArguments.parse("--workflow-id")).isInstanceOf(UsageException.class)
        .hasMessage("--workflow-id needs a value");
    assertThatThrownBy(() -> ReplayArguments.parse("--workflow-id", "--file", "h.json")).isInstanceOf(UsageException.class)
        .hasMessage("--workflow-id needs a value");
  }

  @Test
  void givenARunIdForAFile_itShouldBeAUsageError() {
    assertThatThrownBy(() -> ReplayArguments.parse("--file", "h.json", "--run-id", "r")).isInstanceOf(UsageException.class);
  }

  @Test
  void givenAnUnknownArgument_itShouldBeAUsageError() {
    assertThatThrownBy(() -> ReplayArguments.parse("--workflow-id", "w", "--verbose")).isInstanceOf(UsageException.class)
        .hasMessageContaining("--verbose");
    assertThatThrownBy(() -> ReplayArguments.parse("w")).isInstanceOf(UsageException.class);
  }

  @Test
  void givenHelp_itShouldNotAskForMore() {
    assertThat(ReplayArguments.parse("--help").help()).isTrue();
  }
}
