package dev.saturn.workflows.webhooks;

import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.Test;

/** Replays the recorded webhook histories against the current code. */
class WebhookReplayTest {

  @Test
  void givenARecordedDeliveryWithARetry_whenReplayedOnCurrentCode_itShouldBeDeterministic() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/webhook-delivery-retried.json", WebhookDeliveryWorkflowImpl.class);
  }

  @Test
  void givenARecordedFanOut_whenReplayedOnCurrentCode_itShouldBeDeterministic() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource("histories/webhook-fanout.json", WebhookFanoutWorkflowImpl.class);
  }

  @Test
  void givenARecordedRelaySweep_whenReplayedOnCurrentCode_itShouldBeDeterministic() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource("histories/webhook-relay.json", WebhookRelayWorkflowImpl.class);
  }
}
