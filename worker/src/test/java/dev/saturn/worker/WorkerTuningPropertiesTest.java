package dev.saturn.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.worker.WorkerOptions;
import org.junit.jupiter.api.Test;

class WorkerTuningPropertiesTest {

  @Test
  void givenPollerCounts_theChatQueueShouldPollWithThem() {
    WorkerOptions options =
        new WorkerTuningProperties(2, 3).applyToChatQueue(WorkerOptions.newBuilder()).validateAndBuildWithDefaults();

    assertThat(options.getMaxConcurrentWorkflowTaskPollers()).isEqualTo(2);
    assertThat(options.getMaxConcurrentActivityTaskPollers()).isEqualTo(3);
  }

  @Test
  void givenNothingSet_theSdkDefaultsShouldStay() {
    WorkerOptions defaults = WorkerOptions.newBuilder().validateAndBuildWithDefaults();
    WorkerOptions options =
        new WorkerTuningProperties(null, null).applyToChatQueue(WorkerOptions.newBuilder()).validateAndBuildWithDefaults();

    assertThat(options.getMaxConcurrentWorkflowTaskPollers()).isEqualTo(defaults.getMaxConcurrentWorkflowTaskPollers());
    assertThat(options.getMaxConcurrentActivityTaskPollers()).isEqualTo(defaults.getMaxConcurrentActivityTaskPollers());
  }

  @Test
  void givenZeroPollers_bindingShouldFail() {
    assertThatThrownBy(() -> new WorkerTuningProperties(0, null))
        .hasMessageContaining("saturn.worker.workflow-task-pollers");
  }
}
