package dev.saturn.workflows.webhooks;

import dev.saturn.workflows.common.SaturnSearchAttributes;
import dev.saturn.workflows.common.TaskQueues;
import dev.saturn.workflows.common.WorkflowIds;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;

/**
 * Starts the webhook workflows from outside a workflow (the API, activities, the commit hook),
 * always under their business id with REJECT_DUPLICATE: a second start of the same id is a no-op,
 * so every caller may start as often as it likes.
 */
public final class WebhookStarts {

  private WebhookStarts() {}

  /** Starts an event's fan-out ({@code webhook-event:{eventId}}); @return false when it was started before */
  public static boolean fanOut(WorkflowClient temporal, String companyId, String eventId) {
    WebhookFanoutWorkflow workflow = temporal.newWorkflowStub(WebhookFanoutWorkflow.class,
        options(WorkflowIds.webhookEvent(eventId), companyId));
    try {
      WorkflowClient.start(workflow::run, new WebhookEventRef(companyId, eventId));
      return true;
    } catch (WorkflowExecutionAlreadyStarted alreadyStarted) {
      return false;
    }
  }

  /** Starts a delivery's workflow under {@code workflowId}; @return false when it was started before */
  public static boolean delivery(WorkflowClient temporal, String companyId, String deliveryId, String workflowId) {
    WebhookDeliveryWorkflow workflow = temporal.newWorkflowStub(WebhookDeliveryWorkflow.class, options(workflowId, companyId));
    try {
      WorkflowClient.start(workflow::run, new WebhookDeliveryInput(companyId, deliveryId));
      return true;
    } catch (WorkflowExecutionAlreadyStarted alreadyStarted) {
      return false;
    }
  }

  private static WorkflowOptions options(String workflowId, String companyId) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTypedSearchAttributes(SaturnSearchAttributes.company(companyId))
        .setTaskQueue(TaskQueues.WEBHOOKS)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .build();
  }
}
