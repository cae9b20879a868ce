package dev.saturn.worker;

import io.temporal.worker.WorkerOptions;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Pollers of the chat queue's worker ({@code saturn.worker.*}); unset values keep the Java SDK's
 * defaults. The sticky cache is the starter's {@code spring.temporal.workflow-cache.*}.
 * docs/operations.md lists the defaults and docs/benchmarks.md the measurement behind them.
 *
 * @param workflowTaskPollers concurrent workflow-task polls of the chat queue (SDK: 5, shared
 *     between the queue and the worker's sticky queue)
 * @param activityTaskPollers concurrent activity-task polls of the chat queue (SDK: 5); with
 *     eager activity execution most of a turn's activities never go through a poll
 */
@ConfigurationProperties("saturn.worker")
public record WorkerTuningProperties(Integer workflowTaskPollers, Integer activityTaskPollers) {

  public WorkerTuningProperties {
    requirePositive("workflow-task-pollers", workflowTaskPollers);
    requirePositive("activity-task-pollers", activityTaskPollers);
  }

  /** The chat queue's pollers; the other queues keep the SDK's defaults. */
  WorkerOptions.Builder applyToChatQueue(WorkerOptions.Builder options) {
    if (workflowTaskPollers != null) {
      options.setMaxConcurrentWorkflowTaskPollers(workflowTaskPollers);
    }
    if (activityTaskPollers != null) {
      options.setMaxConcurrentActivityTaskPollers(activityTaskPollers);
    }
    return options;
  }

  private static void requirePositive(String name, Integer value) {
    if (value != null && value < 1) {
      throw new IllegalArgumentException("saturn.worker." + name + " must be at least 1");
    }
  }
}
