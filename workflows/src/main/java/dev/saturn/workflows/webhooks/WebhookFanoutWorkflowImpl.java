package dev.saturn.workflows.webhooks;

import io.temporal.workflow.Workflow;

public class WebhookFanoutWorkflowImpl implements WebhookFanoutWorkflow {

  private final WebhookActivities activities =
      Workflow.newActivityStub(WebhookActivities.class, WebhookActivityOptions.STORE);

  @Override
  public FanOutResult run(WebhookEventRef event) {
    return activities.fanOutEvent(event);
  }
}
