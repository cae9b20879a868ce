package dev.saturn.workflows.webhooks;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Webhook activities that answer from a script and remember what they were asked. */
class ScriptedWebhookActivities implements WebhookActivities {

  final Deque<DeliveryAttempt> attempts = new ArrayDeque<>();
  final List<DeliveryAttemptInput> asked = new ArrayList<>();
  final List<WebhookEventRef> fannedOut = new ArrayList<>();

  ScriptedWebhookActivities attempt(DeliveryAttempt... results) {
    attempts.addAll(List.of(results));
    return this;
  }

  @Override
  public FanOutResult fanOutEvent(WebhookEventRef event) {
    fannedOut.add(event);
    return new FanOutResult(2);
  }

  @Override
  public DeliveryAttempt attemptDelivery(DeliveryAttemptInput input) {
    asked.add(input);
    return attempts.removeFirst();
  }

  @Override
  public RelayResult relayUndispatchedEvents() {
    return new RelayResult(3, 2);
  }
}
