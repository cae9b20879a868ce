package dev.saturn.api.webhooks;

import dev.saturn.api.audit.AuditTrail;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.web.ApiException;
import dev.saturn.api.web.FieldError;
import dev.saturn.common.outbound.SsrfGuard;
import dev.saturn.common.webhooks.WebhookSignatures;
import dev.saturn.db.common.Ids;
import dev.saturn.db.common.Page;
import dev.saturn.db.common.Times;
import dev.saturn.db.webhooks.WebhookDeliveryRepository;
import dev.saturn.db.webhooks.WebhookEndpointRepository;
import dev.saturn.db.webhooks.WebhookEndpointRow;
import dev.saturn.db.webhooks.WebhookEventType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Webhook endpoint CRUD, secret rotation and deliveries; each change commits with its audit row. */
@Service
class WebhookService {

  static final int MAX_DESCRIPTION = 500;
  static final int MAX_EVENTS = 20;

  private final WebhookEndpointRepository endpoints;
  private final WebhookDeliveryRepository deliveries;
  private final EndpointSecrets secrets;
  private final EndpointDeliveries deliveryViews;
  private final SsrfGuard guard;
  private final AuditTrail audit;
  private final TransactionTemplate transaction;
  private final Clock clock;

  WebhookService(
      WebhookEndpointRepository endpoints, WebhookDeliveryRepository deliveries, EndpointSecrets secrets,
      EndpointDeliveries deliveryViews, SsrfGuard guard, AuditTrail audit, TransactionTemplate transaction, Clock clock) {
    this.endpoints = endpoints;
    this.deliveries = deliveries;
    this.secrets = secrets;
    this.deliveryViews = deliveryViews;
    this.guard = guard;
    this.audit = audit;
    this.transaction = transaction;
    this.clock = clock;
  }

  WebhookView create(Caller caller, WebhookRequests.CreateWebhook request) {
    List<FieldError> errors = new ArrayList<>();
    WebhookUrls.problem("url", request.url(), guard).ifPresent(errors::add);
    List<String> events = events(request.events(), errors);
    description(request.description(), errors);
    if (!errors.isEmpty()) {
      throw ApiException.validation("The webhook is invalid", errors);
    }
    Instant now = Times.now(clock);
    String id = Ids.newId();
    String secret = WebhookSignatures.newSecret();
    WebhookEndpointRow row = new WebhookEndpointRow(id, caller.company().value(), WebhookEndpointRow.WEBHOOK,
        request.url(), blankToNull(request.description()), events, WebhookEndpointRow.ACTIVE, null, null,
        secrets.sealNew(secret, caller.company().value(), id), null, null, null, null, now, now);
    return transaction.execute(status -> {
      endpoints.insert(caller.company(), row);
      WebhookView view = WebhookView.of(row, now);
      audit.record(caller, "webhook.create", "webhook", id, null, view);
      return view.withSecret(secret);
    });
  }

  Page<WebhookView> list(Caller caller, String cursor, int limit) {
    Instant now = clock.instant();
    Page<WebhookEndpointRow> page = endpoints.list(caller.company(), WebhookEndpointRow.WEBHOOK, cursor, limit);
    return new Page<>(page.items().stream().map(e -> WebhookView.of(e, now)).toList(), page.nextCursor());
  }

  WebhookView get(Caller caller, String webhookId) {
    return WebhookView.of(find(caller, webhookId), clock.instant());
  }

  /**
   * Applies a patch. A URL moved to another origin (scheme, host, port) gets a new secret at once,
   * shown in this answer only, and the old ones stop signing: a message signed for the old receiver
   * must not reach another host that could replay it there.
   */
  WebhookView update(Caller caller, String webhookId, WebhookRequests.PatchWebhook patch) {
    List<FieldError> errors = new ArrayList<>();
    if (patch.url() != null) {
      WebhookUrls.problem("url", patch.url(), guard).ifPresent(errors::add);
    }
    List<String> events = patch.events() == null ? null : events(patch.events(), errors);
    description(patch.description(), errors);
    if (!errors.isEmpty()) {
      throw ApiException.validation("The webhook is invalid", errors);
    }
    return transaction.execute(status -> {
      WebhookEndpointRow stored = endpoints.findForUpdate(caller.company(), webhookId)
          .filter(e -> e.kind().equals(WebhookEndpointRow.WEBHOOK))
          .orElseThrow(() -> notFound(webhookId));
      Instant now = Times.now(clock);
      String url = patch.url() != null ? patch.url() : stored.url();
      String description = patch.description() != null ? blankToNull(patch.description()) : stored.description();
      WebhookEndpointRow changed = status(stored, patch.enabled(), caller, now);
      changed = new WebhookEndpointRow(stored.id(), stored.companyId(), stored.kind(), url, description,
          events != null ? events : stored.eventTypes(), changed.status(), changed.disabledReason(), changed.disabledAt(),
          stored.secretSealed(), stored.previousSecretSealed(), stored.previousSecretExpiresAt(), changed.failingSince(),
          stored.lastSuccessAt(), stored.createdAt(), now);
      String newSecret = null;
      if (!WebhookUrls.sameOrigin(stored.url(), url)) {
        EndpointSecrets.Issued issued = secrets.replace(changed, now);
        changed = issued.endpoint();
        newSecret = issued.secret();
      }
      endpoints.update(caller.company(), changed);
      WebhookView after = WebhookView.of(changed, now);
      audit.record(caller, "webhook.update", "webhook", webhookId, WebhookView.of(stored, now),
          newSecret == null ? after : Map.of("view", after, "origin_changed", true));
      return newSecret == null ? after : after.withSecret(newSecret);
    });
  }

  /** {@code enabled}: true re-enables (the failure streak starts over), false disables by hand; null keeps. */
  private static WebhookEndpointRow status(WebhookEndpointRow e, Boolean enabled, Caller caller, Instant now) {
    if (enabled == null || enabled == e.active()) {
      return e;
    }
    return enabled
        ? new WebhookEndpointRow(e.id(), e.companyId(), e.kind(), e.url(), e.description(), e.eventTypes(),
            WebhookEndpointRow.ACTIVE, null, null, e.secretSealed(), e.previousSecretSealed(), e.previousSecretExpiresAt(),
            null, e.lastSuccessAt(), e.createdAt(), now)
        : new WebhookEndpointRow(e.id(), e.companyId(), e.kind(), e.url(), e.description(), e.eventTypes(),
            WebhookEndpointRow.DISABLED, "disabled by " + caller.actor(), now, e.secretSealed(), e.previousSecretSealed(),
            e.previousSecretExpiresAt(), e.failingSince(), e.lastSuccessAt(), e.createdAt(), now);
  }

  /** Deletes the endpoint and its deliveries; a delivery still retrying ends at its next attempt. */
  void delete(Caller caller, String webhookId) {
    transaction.executeWithoutResult(status -> {
      WebhookEndpointRow stored = endpoints.findForUpdate(caller.company(), webhookId)
          .filter(e -> e.kind().equals(WebhookEndpointRow.WEBHOOK))
          .orElseThrow(() -> notFound(webhookId));
      deliveries.deleteForEndpoint(caller.company(), webhookId);
      endpoints.delete(caller.company(), webhookId);
      audit.record(caller, "webhook.delete", "webhook", webhookId, WebhookView.of(stored, clock.instant()), null);
    });
  }

  /** A new secret, shown once; the previous one keeps signing for {@code saturn.webhooks.secret-rotation-grace}. */
  WebhookView rotateSecret(Caller caller, String webhookId) {
    return transaction.execute(status -> {
      WebhookEndpointRow stored = endpoints.findForUpdate(caller.company(), webhookId)
          .filter(e -> e.kind().equals(WebhookEndpointRow.WEBHOOK))
          .orElseThrow(() -> notFound(webhookId));
      Instant now = Times.now(clock);
      EndpointSecrets.Issued issued = secrets.rotate(stored, now);
      endpoints.update(caller.company(), issued.endpoint());
      WebhookView view = WebhookView.of(issued.endpoint(), now);
      audit.record(caller, "webhook.rotate_signing_key", "webhook", webhookId, null,
          Map.of("previous_key_valid_until", String.valueOf(view.previousSecretExpiresAt())));
      return view.withSecret(issued.secret());
    });
  }

  Page<DeliveryView> deliveries(Caller caller, String webhookId, String cursor, int limit) {
    find(caller, webhookId);
    return deliveryViews.list(caller.company(), webhookId, cursor, limit);
  }

  DeliveryView redeliver(Caller caller, String webhookId, String deliveryId) {
    DeliveryView redelivery = deliveryViews.redeliver(caller.company(), find(caller, webhookId), deliveryId);
    transaction.executeWithoutResult(status -> audit.record(caller, "webhook.redeliver", "webhook", webhookId, null,
        Map.of("delivery_id", deliveryId, "redelivery_id", redelivery.id(), "event_id", redelivery.eventId())));
    return redelivery;
  }

  private WebhookEndpointRow find(Caller caller, String webhookId) {
    return endpoints.find(caller.company(), WebhookEndpointRow.WEBHOOK, webhookId).orElseThrow(() -> notFound(webhookId));
  }

  /** The event types, each subscribable, without repeats, in the order given. */
  private static List<String> events(List<String> requested, List<FieldError> errors) {
    if (requested == null || requested.isEmpty()) {
      errors.add(new FieldError("events", "must name at least one event type"));
      return List.of();
    }
    if (requested.size() > MAX_EVENTS) {
      errors.add(new FieldError("events", "must name at most " + MAX_EVENTS + " event types"));
      return List.of();
    }
    LinkedHashSet<String> events = new LinkedHashSet<>();
    for (int i = 0; i < requested.size(); i++) {
      String name = requested.get(i);
      if (name == null || WebhookEventType.fromWire(name).filter(WebhookEventType::subscribable).isEmpty()) {
        errors.add(new FieldError("events[" + i + "]", "is not an event type; use one of " + subscribable()));
      } else {
        events.add(name);
      }
    }
    return List.copyOf(events);
  }

  private static List<String> subscribable() {
    return java.util.Arrays.stream(WebhookEventType.values()).filter(WebhookEventType::subscribable)
        .map(WebhookEventType::wireName).toList();
  }

  private static void description(String description, List<FieldError> errors) {
    if (description != null && description.length() > MAX_DESCRIPTION) {
      errors.add(new FieldError("description", "must be at most " + MAX_DESCRIPTION + " characters"));
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static ApiException notFound(String webhookId) {
    return ApiException.notFound("webhook " + webhookId);
  }
}
