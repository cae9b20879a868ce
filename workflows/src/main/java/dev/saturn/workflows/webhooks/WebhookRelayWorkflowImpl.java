package dev.saturn.workflows.webhooks;

import dev.saturn.workflows.common.Retries;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public class WebhookRelayWorkflowImpl implements WebhookRelayWorkflow {

  /** A few attempts: what a pass cannot do, the next pass does. */
  static final ActivityOptions OPTIONS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(60))
      .setRetryOptions(Retries.backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 3))
      .build();

  private final WebhookActivities activities = Workflow.newActivityStub(WebhookActivities.class, OPTIONS);

  @Override
  public RelayResult run() {
    return activities.relayUndispatchedEvents();
  }
}
