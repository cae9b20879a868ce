package dev.saturn.workflows.webhooks;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The webhook machinery's activities; each is safe to run again. */
@ActivityInterface
public interface WebhookActivities {

  /**
   * Creates one delivery per endpoint the event is for (a channel's reply endpoint, or the
   * company's active webhooks that listen to its type), starts each delivery's workflow
   * ({@code webhook:{endpoint}:{event}}, a duplicate start is a no-op) and marks the event
   * dispatched.
   */
  @ActivityMethod
  FanOutResult fanOutEvent(WebhookEventRef event);

  /**
   * Sends the event once, signed with the endpoint's current (and, during a rotation, previous)
   * secret, to the address the SSRF guard checked; records the attempt on the delivery and the
   * endpoint (and disables an endpoint failing for too long).
   */
  @ActivityMethod
  DeliveryAttempt attemptDelivery(DeliveryAttemptInput input);

  /** Starts the fan-out of events recorded a while ago whose fan-out never started (a bounded batch). */
  @ActivityMethod
  RelayResult relayUndispatchedEvents();
}
