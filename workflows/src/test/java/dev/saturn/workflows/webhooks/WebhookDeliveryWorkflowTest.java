package dev.saturn.workflows.webhooks;

import dev.saturn.workflows.common.SaturnSearchAttributes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.workflows.common.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The delivery loop on the time-skipping test server: attempts, and the waits the attempts ask for. */
class WebhookDeliveryWorkflowTest {

  TestWorkflowEnvironment env;
  ScriptedWebhookActivities activities;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    SaturnSearchAttributes.definitions().forEach(env::registerSearchAttribute);
    activities = new ScriptedWebhookActivities();
    Worker worker = env.newWorker(TaskQueues.WEBHOOKS);
    worker.registerWorkflowImplementationTypes(WebhookDeliveryWorkflowImpl.class, WebhookFanoutWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities);
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  WebhookDeliveryWorkflow delivery(String id) {
    return env.getWorkflowClient().newWorkflowStub(WebhookDeliveryWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.WEBHOOKS).build());
  }

  @Test
  void givenTwoFailedAttempts_whenTheThirdSucceeds_itShouldWaitWhatEachAttemptAskedAndNumberTheAttempts() {
    activities.attempt(
        new DeliveryAttempt("pending", 500, Duration.ofHours(2).toMillis()),
        new DeliveryAttempt("pending", null, Duration.ofHours(5).toMillis()),
        new DeliveryAttempt("delivered", 200, 0));
    Instant before = Instant.ofEpochMilli(env.currentTimeMillis());

    DeliveryAttempt last = delivery("webhook:e1:v1").run(new WebhookDeliveryInput("c1", "d1"));

    assertThat(last.status()).isEqualTo("delivered");
    assertThat(activities.asked).extracting(DeliveryAttemptInput::attempt).containsExactly(1, 2, 3);
    assertThat(activities.asked).allMatch(a -> a.deliveryId().equals("d1") && a.companyId().equals("c1"));
    // the two waits passed on workflow timers (skipped in test time), not in an activity
    assertThat(Duration.between(before, Instant.ofEpochMilli(env.currentTimeMillis()))).isGreaterThanOrEqualTo(Duration.ofHours(7));
  }

  @Test
  void givenAnAttemptThatEndsTheDelivery_whenRun_itShouldStopThere() {
    activities.attempt(new DeliveryAttempt("cancelled", null, 0), new DeliveryAttempt("delivered", 200, 0));

    assertThat(delivery("webhook:e2:v2").run(new WebhookDeliveryInput("c1", "d2")).status()).isEqualTo("cancelled");
    assertThat(activities.asked).hasSize(1);
  }

  @Test
  void givenAnEvent_whenItsFanOutIsStartedTwice_itShouldRunOnce() {
    WorkflowClient client = env.getWorkflowClient();
    assertThat(WebhookStarts.fanOut(client, "c1", "ev1")).isTrue();
    assertThat(WebhookStarts.fanOut(client, "c1", "ev1")).isFalse();
    client.newUntypedWorkflowStub("webhook-event:ev1").getResult(FanOutResult.class);
    assertThat(activities.fannedOut).containsExactly(new WebhookEventRef("c1", "ev1"));
  }
}
