package dev.saturn.workflows.webhooks;

import io.temporal.workflow.Workflow;
import java.time.Duration;

public class WebhookDeliveryWorkflowImpl implements WebhookDeliveryWorkflow {

  private final WebhookActivities activities =
      Workflow.newActivityStub(WebhookActivities.class, WebhookActivityOptions.ATTEMPT);

  @Override
  public DeliveryAttempt run(WebhookDeliveryInput delivery) {
    for (int attempt = 1; ; attempt++) {
      DeliveryAttempt result =
          activities.attemptDelivery(new DeliveryAttemptInput(delivery.companyId(), delivery.deliveryId(), attempt));
      if (result.ended()) {
        return result;
      }
      // a durable timer: days of backoff hold no thread and survive restarts
      Workflow.sleep(Duration.ofMillis(result.retryInMillis()));
    }
  }
}
