package dev.saturn.db.webhooks;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.ContextListeners;
import dev.saturn.db.common.Ids;
import dev.saturn.db.common.Times;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Records a fact as a webhook event, in the caller's transaction: the fact and its event commit
 * together or not at all, and the unique fact key ({@code turn.completed:{turnId}}, ...) makes a
 * retried or repeated recording a no-op. After the commit every {@link Listener} hears of the new
 * event (the application starts its delivery at once); the relay's sweep finds any event a listener
 * missed. An event no endpoint is for at that moment is recorded as already dispatched and nobody
 * is told, so a company without webhooks costs one insert per fact and no workflow.
 */
@Component
public class EventOutbox implements SmartInitializingSingleton {

  private static final Logger log = LoggerFactory.getLogger(EventOutbox.class);

  /** Told of an event after the transaction that recorded it committed; must not throw. */
  public interface Listener {
    void recorded(CompanyId company, String eventId);
  }

  private final WebhookEventRepository events;
  private final WebhookEndpointRepository endpoints;
  private final ContextListeners<Listener> listeners;
  private final Clock clock;

  public EventOutbox(
      WebhookEventRepository events, WebhookEndpointRepository endpoints, ObjectProvider<Listener> listeners, Clock clock) {
    this.events = events;
    this.endpoints = endpoints;
    this.listeners = new ContextListeners<>(listeners);
    this.clock = clock;
  }

  @Override
  public void afterSingletonsInstantiated() {
    listeners.resolve();
  }

  private boolean subscribed(CompanyId company, WebhookEventType type) {
    return endpoints.activeWebhooks(company).stream()
        .anyMatch(e -> type == WebhookEventType.WEBHOOK_DISABLED || e.eventTypes().contains(type.wireName()));
  }

  /** An event for the company's subscribed endpoints. @see #record(CompanyId, WebhookEventType, String, String, String) */
  public Optional<String> record(CompanyId company, WebhookEventType type, String factKey, String dataJson) {
    return record(company, type, factKey, dataJson, null);
  }

  /**
   * @param factKey what makes the fact unique within the company; at most 255 characters
   * @param dataJson the payload's {@code data}, a JSON object
   * @param targetEndpointId the one endpoint the event is for, or null for every subscribed endpoint
   * @return the new event's id; empty when the fact was recorded before
   * @throws IllegalStateException outside a transaction: an event must commit with its fact
   */
  public Optional<String> record(
      CompanyId company, WebhookEventType type, String factKey, String dataJson, String targetEndpointId) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      throw new IllegalStateException("a webhook event is recorded in the transaction of its fact");
    }
    return record(company, type, factKey, dataJson, targetEndpointId,
        targetEndpointId != null || subscribed(company, type));
  }

  /**
   * As {@link #record(CompanyId, WebhookEventType, String, String, String)}, for a caller that read
   * whether an endpoint subscribes to {@code type} with its fact
   * ({@link WebhookEndpointRepository#anyActiveFor}), in the same transaction.
   */
  public Optional<String> record(
      CompanyId company, WebhookEventType type, String factKey, String dataJson, String targetEndpointId,
      boolean subscribed) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      throw new IllegalStateException("a webhook event is recorded in the transaction of its fact");
    }
    boolean forSomeone = targetEndpointId != null || subscribed;
    Instant now = Times.now(clock);
    String payload = "{\"type\":\"" + type.wireName() + "\",\"timestamp\":\"" + now + "\",\"data\":" + dataJson + "}";
    WebhookEventRow row = new WebhookEventRow(
        Ids.newId(), company.value(), factKey, type.wireName(), targetEndpointId, payload, now, forSomeone ? null : now);
    if (!events.insertOnce(company, row, now)) {
      return Optional.empty();
    }
    if (!forSomeone) {
      return Optional.of(row.id());
    }
    TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
      @Override
      public void afterCommit() {
        for (Listener listener : listeners.all()) {
          try {
            listener.recorded(company, row.id());
          } catch (RuntimeException e) {
            // the commit happened: the sweep delivers what a listener could not start
            log.warn("webhook event {} recorded, but its delivery did not start now: {}", row.id(), e.toString());
          }
        }
      }
    });
    return Optional.of(row.id());
  }
}
