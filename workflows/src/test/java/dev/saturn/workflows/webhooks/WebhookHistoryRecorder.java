package dev.saturn.workflows.webhooks;

import dev.saturn.workflows.common.SaturnSearchAttributes;
import dev.saturn.workflows.common.TaskQueues;
import dev.saturn.workflows.common.WorkflowIds;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Regenerates the histories {@link WebhookReplayTest} replays, only when a change is meant to be
 * incompatible: {@code ./mvnw -pl workflows test -Dtest=WebhookHistoryRecorder -Dsaturn.recordHistories=true}.
 */
@EnabledIfSystemProperty(named = "saturn.recordHistories", matches = "true")
class WebhookHistoryRecorder {

  static final Path DIR = Path.of("src", "test", "resources", "histories");

  /** A delivery whose first attempt gets a 500, waits 5 s on a timer, and succeeds; a fan-out; a relay sweep. */
  @Test
  void recordDeliveryFanOutAndRelay() throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      SaturnSearchAttributes.definitions().forEach(env::registerSearchAttribute);
      Worker worker = env.newWorker(TaskQueues.WEBHOOKS);
      worker.registerWorkflowImplementationTypes(
          WebhookDeliveryWorkflowImpl.class, WebhookFanoutWorkflowImpl.class, WebhookRelayWorkflowImpl.class);
      worker.registerActivitiesImplementations(new ScriptedWebhookActivities().attempt(
          new DeliveryAttempt("pending", 500, 5_000), new DeliveryAttempt("delivered", 200, 0)));
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      String delivery = WorkflowIds.webhookDelivery("e1", "ev1");
      client.newWorkflowStub(WebhookDeliveryWorkflow.class, options(delivery)).run(new WebhookDeliveryInput("c1", "d1"));
      String fanOut = WorkflowIds.webhookEvent("ev1");
      client.newWorkflowStub(WebhookFanoutWorkflow.class, options(fanOut)).run(new WebhookEventRef("c1", "ev1"));
      client.newWorkflowStub(WebhookRelayWorkflow.class, options(WorkflowIds.WEBHOOK_RELAY)).run();
      Files.createDirectories(DIR);
      Files.writeString(DIR.resolve("webhook-delivery-retried.json"), client.fetchHistory(delivery).toJson(true));
      Files.writeString(DIR.resolve("webhook-fanout.json"), client.fetchHistory(fanOut).toJson(true));
      Files.writeString(DIR.resolve("webhook-relay.json"), client.fetchHistory(WorkflowIds.WEBHOOK_RELAY).toJson(true));
    }
  }

  private static WorkflowOptions options(String id) {
    return WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.WEBHOOKS).build();
  }
}
