package dev.saturn.activities.webhooks;

import dev.saturn.common.webhooks.WebhookSignatures;
import dev.saturn.db.audit.AuditEntry;
import dev.saturn.db.audit.AuditLogRepository;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Times;
import dev.saturn.db.webhooks.DeliveryStatus;
import dev.saturn.db.webhooks.EventOutbox;
import dev.saturn.db.webhooks.WebhookDeliveryRepository;
import dev.saturn.db.webhooks.WebhookDeliveryRow;
import dev.saturn.db.webhooks.WebhookEndpointRepository;
import dev.saturn.db.webhooks.WebhookEndpointRow;
import dev.saturn.db.webhooks.WebhookEventRepository;
import dev.saturn.db.webhooks.WebhookEventRow;
import dev.saturn.db.webhooks.WebhookEventType;
import dev.saturn.db.webhooks.WebhookSecrets;
import dev.saturn.db.webhooks.WebhookSweep;
import dev.saturn.workflows.common.WorkflowIds;
import dev.saturn.workflows.webhooks.DeliveryAttempt;
import dev.saturn.workflows.webhooks.DeliveryAttemptInput;
import dev.saturn.workflows.webhooks.FanOutResult;
import dev.saturn.workflows.webhooks.RelayResult;
import dev.saturn.workflows.webhooks.WebhookActivities;
import dev.saturn.workflows.webhooks.WebhookEventRef;
import dev.saturn.workflows.webhooks.WebhookStarts;
import io.temporal.client.WorkflowClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fan-out, delivery attempts and the relay's sweep. Every write is keyed (a delivery by endpoint,
 * event and seq; an attempt by its number; the disabled notice by the endpoint's failure streak),
 * and every workflow start uses a business id with REJECT_DUPLICATE, so each method may run again.
 */
@Component
public class WebhookActivitiesImpl implements WebhookActivities {

  private static final Logger log = LoggerFactory.getLogger(WebhookActivitiesImpl.class);
  /** Who the audit log names for what the delivery machinery does on its own. */
  static final String ACTOR_TYPE = "system";
  static final String ACTOR_ID = "webhooks";

  private final WebhookEventRepository events;
  private final WebhookEndpointRepository endpoints;
  private final WebhookDeliveryRepository deliveries;
  private final WebhookSweep sweep;
  private final WebhookSecrets secrets;
  private final WebhookSender sender;
  private final EventOutbox outbox;
  private final AuditLogRepository audit;
  private final TransactionTemplate transaction;
  private final WorkflowClient temporal;
  private final WebhookDeliveryProperties delivery;
  private final WebhookRelayProperties relay;
  private final Clock clock;

  public WebhookActivitiesImpl(
      WebhookEventRepository events, WebhookEndpointRepository endpoints, WebhookDeliveryRepository deliveries,
      WebhookSweep sweep, WebhookSecrets secrets, WebhookSender sender, EventOutbox outbox, AuditLogRepository audit,
      TransactionTemplate transaction, WorkflowClient temporal, WebhookDeliveryProperties delivery,
      WebhookRelayProperties relay, Clock clock) {
    this.events = events;
    this.endpoints = endpoints;
    this.deliveries = deliveries;
    this.sweep = sweep;
    this.secrets = secrets;
    this.sender = sender;
    this.outbox = outbox;
    this.audit = audit;
    this.transaction = transaction;
    this.temporal = temporal;
    this.delivery = delivery;
    this.relay = relay;
    this.clock = clock;
  }

  /** The id of an event's first delivery to an endpoint: the same on every run of the fan-out. */
  static String firstDeliveryId(String endpointId, String eventId) {
    return UUID.nameUUIDFromBytes(("webhook-delivery:" + endpointId + ":" + eventId + ":0").getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  @Override
  public FanOutResult fanOutEvent(WebhookEventRef ref) {
    CompanyId company = CompanyId.of(ref.companyId());
    Optional<WebhookEventRow> found = events.find(company, ref.eventId());
    if (found.isEmpty()) {
      return new FanOutResult(0);
    }
    WebhookEventRow event = found.get();
    Instant now = Times.now(clock);
    // Deliveries an earlier run created stay (their workflows are started again: a no-op if they run),
    // then every endpoint the event is for now gets one.
    Map<String, WebhookDeliveryRow> targets = new LinkedHashMap<>();
    deliveries.firstDeliveries(company, event.id()).forEach(d -> targets.put(d.endpointId(), d));
    for (WebhookEndpointRow endpoint : endpointsFor(company, event)) {
      targets.computeIfAbsent(endpoint.id(), id -> {
        WebhookDeliveryRow row = new WebhookDeliveryRow(firstDeliveryId(id, event.id()), company.value(), id, event.id(),
            0, WorkflowIds.webhookDelivery(id, event.id()), DeliveryStatus.PENDING, 0, null, null, null, now, null,
            now, now);
        deliveries.insertOnce(company, row);
        return row;
      });
    }
    for (WebhookDeliveryRow row : targets.values()) {
      WebhookStarts.delivery(temporal, company.value(), row.id(), row.workflowId());
    }
    events.markDispatched(company, event.id(), now);
    return new FanOutResult(targets.size());
  }

  private List<WebhookEndpointRow> endpointsFor(CompanyId company, WebhookEventRow event) {
    if (event.targetEndpointId() != null) {
      return endpoints.find(company, event.targetEndpointId()).filter(WebhookEndpointRow::active).stream().toList();
    }
    boolean notice = WebhookEventType.WEBHOOK_DISABLED.wireName().equals(event.eventType());
    return endpoints.activeWebhooks(company).stream()
        .filter(e -> notice || e.eventTypes().contains(event.eventType()))
        .toList();
  }

  @Override
  public DeliveryAttempt attemptDelivery(DeliveryAttemptInput input) {
    CompanyId company = CompanyId.of(input.companyId());
    Optional<WebhookDeliveryRow> found = deliveries.find(company, input.deliveryId());
    if (found.isEmpty()) {
      return ended(DeliveryStatus.CANCELLED, null); // its endpoint was deleted with its deliveries
    }
    WebhookDeliveryRow row = found.get();
    if (row.status() != DeliveryStatus.PENDING) {
      return ended(row.status(), row.lastStatusCode()); // this attempt was recorded before the activity was retried
    }
    Instant now = Times.now(clock);
    Optional<WebhookEndpointRow> endpoint = endpoints.find(company, row.endpointId());
    Optional<WebhookEventRow> event = events.find(company, row.eventId());
    if (endpoint.isEmpty() || event.isEmpty() || !endpoint.get().active()) {
      String why = endpoint.isEmpty() || event.isEmpty() ? "the endpoint was deleted" : "the endpoint is disabled";
      deliveries.end(company, row.id(), DeliveryStatus.CANCELLED, why, now);
      return ended(DeliveryStatus.CANCELLED, null);
    }
    WebhookEndpointRow target = endpoint.get();
    byte[] body = event.get().payload().getBytes(StandardCharsets.UTF_8);
    long timestamp = now.getEpochSecond();
    List<String> keys = secrets.openAll(target.signingSecretsSealed(now), company.value(), target.id());
    // webhook-id is the event's id: the same on every attempt and every redelivery, for the receiver's deduplication
    String webhookId = event.get().id();
    WebhookSender.Outcome outcome = sender.send(new WebhookSender.Message(URI.create(target.url()), webhookId, timestamp,
        WebhookSignatures.header(keys, webhookId, timestamp, body), body), delivery.attemptTimeout());
    Integer code = outcome.status() == 0 ? null : outcome.status();
    if (outcome.delivered()) {
      transaction.executeWithoutResult(status -> {
        deliveries.recordAttempt(company, row.id(), input.attempt(), DeliveryStatus.DELIVERED, code, null, now, null);
        endpoints.recordSuccess(company, target.id(), now);
      });
      return ended(DeliveryStatus.DELIVERED, code);
    }
    log.info("webhook delivery {} attempt {} to endpoint {} failed: {}", row.id(), input.attempt(), target.id(),
        outcome.failure());
    if (outcome.status() == 410) {
      // 410 Gone: the receiver wants no more (the specification says to disable the endpoint)
      transaction.executeWithoutResult(status -> {
        deliveries.recordAttempt(company, row.id(), input.attempt(), DeliveryStatus.FAILED, code, outcome.failure(), now, null);
        endpoints.recordFailure(company, target.id(), now);
        disable(company, target, "the endpoint answered 410 Gone", now);
      });
      return ended(DeliveryStatus.FAILED, code);
    }
    Duration wait = nextWait(input.attempt(), outcome.retryAfter());
    DeliveryStatus after = wait == null ? DeliveryStatus.FAILED : DeliveryStatus.PENDING;
    boolean disabled = Boolean.TRUE.equals(transaction.execute(status -> {
      endpoints.recordFailure(company, target.id(), now);
      boolean off = failingTooLong(company, target.id(), now)
          && disable(company, target, "every attempt failed for " + delivery.disableAfter() + " or longer", now);
      deliveries.recordAttempt(company, row.id(), input.attempt(), off ? DeliveryStatus.FAILED : after, code,
          outcome.failure(), now, off || wait == null ? null : now.plus(wait));
      return off;
    }));
    return disabled || wait == null ? ended(DeliveryStatus.FAILED, code) : new DeliveryAttempt(DeliveryAttempt.PENDING, code,
        wait.toMillis());
  }

  /** The wait after failed attempt {@code attempt}, with jitter and the receiver's Retry-After; null when the schedule is used up. */
  private Duration nextWait(int attempt, Duration retryAfter) {
    if (attempt > delivery.retrySchedule().size()) {
      return null;
    }
    Duration wait = delivery.retrySchedule().get(attempt - 1);
    long jitter = (long) (wait.toMillis() * delivery.jitter() * ThreadLocalRandom.current().nextDouble());
    wait = wait.plusMillis(jitter);
    if (retryAfter != null) {
      Duration asked = retryAfter.compareTo(delivery.maxRetryAfter()) > 0 ? delivery.maxRetryAfter() : retryAfter;
      wait = asked.compareTo(wait) > 0 ? asked : wait;
    }
    return wait;
  }

  private boolean failingTooLong(CompanyId company, String endpointId, Instant now) {
    return endpoints.find(company, endpointId)
        .map(e -> e.failingSince() != null && !e.failingSince().plus(delivery.disableAfter()).isAfter(now))
        .orElse(false);
  }

  /**
   * Disables a webhook endpoint (a channel's reply endpoint answers its own sender and stays), in
   * the caller's transaction with its audit row and the {@code webhook.disabled} notice to the
   * company's other endpoints.
   *
   * @return whether this call disabled it
   */
  private boolean disable(CompanyId company, WebhookEndpointRow endpoint, String reason, Instant now) {
    if (!WebhookEndpointRow.WEBHOOK.equals(endpoint.kind()) || !endpoints.disable(company, endpoint.id(), reason, now)) {
      return false;
    }
    Instant failingSince = endpoints.find(company, endpoint.id()).map(WebhookEndpointRow::failingSince).orElse(now);
    audit.append(company, new AuditEntry(UUID.randomUUID().toString(), company.value(), ACTOR_TYPE, ACTOR_ID,
        "webhook.disable", "webhook", endpoint.id(),
        "{\"before\":{\"status\":\"active\"},\"after\":{\"status\":\"disabled\",\"disabled_reason\":"
            + quoted(reason) + "}}", null, now));
    outbox.record(company, WebhookEventType.WEBHOOK_DISABLED, "webhook.disabled:" + endpoint.id() + ":" + now,
        "{\"webhook_id\":" + quoted(endpoint.id()) + ",\"url\":" + quoted(endpoint.url()) + ",\"reason\":" + quoted(reason)
            + ",\"failing_since\":" + quoted(failingSince.toString()) + ",\"disabled_at\":" + quoted(now.toString()) + "}");
    log.warn("webhook endpoint {} of company {} disabled: {}", endpoint.id(), company.value(), reason);
    return true;
  }

  private static String quoted(String text) {
    return new com.fasterxml.jackson.databind.node.TextNode(text).toString();
  }

  private static DeliveryAttempt ended(DeliveryStatus status, Integer code) {
    return new DeliveryAttempt(status.dbValue(), code, 0);
  }

  @Override
  public RelayResult relayUndispatchedEvents() {
    Instant before = clock.instant().minus(relay.gracePeriod());
    int found = 0;
    int started = 0;
    String afterCompany = null;
    while (found < relay.batchSize()) {
      List<String> companies = sweep.companiesWithUndispatchedEvents(before, afterCompany, 100);
      for (String companyId : companies) {
        CompanyId company = CompanyId.of(companyId);
        for (WebhookEventRow event : events.undispatched(company, before, relay.batchSize() - found)) {
          found++;
          if (WebhookStarts.fanOut(temporal, companyId, event.id())) {
            started++;
          }
        }
        if (found >= relay.batchSize()) {
          break;
        }
      }
      if (companies.size() < 100) {
        break;
      }
      afterCompany = companies.get(companies.size() - 1);
    }
    if (found > 0) {
      log.info("webhook relay: {} undispatched events, {} fan-outs started", found, started);
    }
    return new RelayResult(found, started);
  }
}
