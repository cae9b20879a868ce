package dev.saturn.api.channels;

import dev.saturn.api.audit.AuditTrail;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.web.ApiException;
import dev.saturn.api.web.FieldError;
import dev.saturn.api.webhooks.DeliveryView;
import dev.saturn.api.webhooks.EndpointDeliveries;
import dev.saturn.api.webhooks.EndpointSecrets;
import dev.saturn.api.webhooks.WebhookUrls;
import dev.saturn.common.outbound.SsrfGuard;
import dev.saturn.common.webhooks.WebhookSignatures;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.channels.ChannelRepository;
import dev.saturn.db.channels.ChannelRow;
import dev.saturn.db.common.Ids;
import dev.saturn.db.common.Page;
import dev.saturn.db.common.Times;
import dev.saturn.db.webhooks.WebhookDeliveryRepository;
import dev.saturn.db.webhooks.WebhookEndpointRepository;
import dev.saturn.db.webhooks.WebhookEndpointRow;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Channel CRUD and secret rotation. A channel owns an endpoint of kind {@code channel} (its reply
 * URL and secrets), never listed among the webhooks; each change commits with its audit row.
 */
@Service
class ChannelService {

  static final int MAX_NAME = 200;

  /** {@code POST /v1/channels}. */
  record CreateChannel(String name, String agentId, String replyUrl) {}

  private final ChannelRepository channels;
  private final WebhookEndpointRepository endpoints;
  private final WebhookDeliveryRepository deliveries;
  private final AgentRepository agents;
  private final EndpointSecrets secrets;
  private final EndpointDeliveries deliveryViews;
  private final SsrfGuard guard;
  private final AuditTrail audit;
  private final TransactionTemplate transaction;
  private final Clock clock;

  ChannelService(
      ChannelRepository channels, WebhookEndpointRepository endpoints, WebhookDeliveryRepository deliveries,
      AgentRepository agents, EndpointSecrets secrets, EndpointDeliveries deliveryViews, SsrfGuard guard,
      AuditTrail audit, TransactionTemplate transaction, Clock clock) {
    this.channels = channels;
    this.endpoints = endpoints;
    this.deliveries = deliveries;
    this.agents = agents;
    this.secrets = secrets;
    this.deliveryViews = deliveryViews;
    this.guard = guard;
    this.audit = audit;
    this.transaction = transaction;
    this.clock = clock;
  }

  ChannelView create(Caller caller, CreateChannel request) {
    List<FieldError> errors = new ArrayList<>();
    if (request.name() == null || request.name().isBlank()) {
      errors.add(new FieldError("name", "must not be blank"));
    } else if (request.name().length() > MAX_NAME) {
      errors.add(new FieldError("name", "must be at most " + MAX_NAME + " characters"));
    }
    if (request.agentId() == null || request.agentId().isBlank()) {
      errors.add(new FieldError("agent_id", "must not be blank"));
    }
    WebhookUrls.problem("reply_url", request.replyUrl(), guard).ifPresent(errors::add);
    if (!errors.isEmpty()) {
      throw ApiException.validation("The channel is invalid", errors);
    }
    agents.find(caller.company(), request.agentId()).orElseThrow(() -> ApiException.notFound("agent " + request.agentId()));
    Instant now = Times.now(clock);
    String company = caller.company().value();
    String endpointId = Ids.newId();
    String secret = WebhookSignatures.newSecret();
    WebhookEndpointRow endpoint = new WebhookEndpointRow(endpointId, company, WebhookEndpointRow.CHANNEL,
        request.replyUrl(), null, List.of(), WebhookEndpointRow.ACTIVE, null, null,
        secrets.sealNew(secret, company, endpointId), null, null, null, null, now, now);
    ChannelRow channel = new ChannelRow(Ids.newId(), company, request.agentId(), request.name(), endpointId, now, now);
    return transaction.execute(status -> {
      endpoints.insert(caller.company(), endpoint);
      channels.insert(caller.company(), channel);
      ChannelView view = ChannelView.of(channel, endpoint, now);
      audit.record(caller, "channel.create", "channel", channel.id(), null, view);
      return view.withSecret(secret);
    });
  }

  Page<ChannelView> list(Caller caller, String cursor, int limit) {
    Instant now = clock.instant();
    Page<ChannelRow> page = channels.list(caller.company(), cursor, limit);
    return new Page<>(page.items().stream().map(c -> ChannelView.of(c, endpointOf(caller, c), now)).toList(),
        page.nextCursor());
  }

  ChannelView get(Caller caller, String channelId) {
    ChannelRow channel = find(caller, channelId);
    return ChannelView.of(channel, endpointOf(caller, channel), clock.instant());
  }

  /** Deletes the channel, its session mapping and its reply endpoint with its deliveries; sessions and turns stay. */
  void delete(Caller caller, String channelId) {
    transaction.executeWithoutResult(status -> {
      ChannelRow channel = find(caller, channelId);
      WebhookEndpointRow endpoint = endpointOf(caller, channel);
      ChannelView before = ChannelView.of(channel, endpoint, clock.instant());
      channels.delete(caller.company(), channelId);
      deliveries.deleteForEndpoint(caller.company(), endpoint.id());
      endpoints.delete(caller.company(), endpoint.id());
      audit.record(caller, "channel.delete", "channel", channelId, before, null);
    });
  }

  /** A new secret, shown once; the previous one still verifies messages and signs replies for the grace period. */
  ChannelView rotateSecret(Caller caller, String channelId) {
    return transaction.execute(status -> {
      ChannelRow channel = find(caller, channelId);
      WebhookEndpointRow endpoint = endpoints.findForUpdate(caller.company(), channel.endpointId()).orElseThrow();
      Instant now = Times.now(clock);
      EndpointSecrets.Issued issued = secrets.rotate(endpoint, now);
      endpoints.update(caller.company(), issued.endpoint());
      ChannelView view = ChannelView.of(channel, issued.endpoint(), now);
      audit.record(caller, "channel.rotate_signing_key", "channel", channelId, null,
          Map.of("previous_key_valid_until", String.valueOf(view.previousSecretExpiresAt())));
      return view.withSecret(issued.secret());
    });
  }

  /** The deliveries of the channel's replies. */
  Page<DeliveryView> deliveries(Caller caller, String channelId, String cursor, int limit) {
    ChannelRow channel = find(caller, channelId);
    return deliveryViews.list(caller.company(), channel.endpointId(), cursor, limit);
  }

  private ChannelRow find(Caller caller, String channelId) {
    return channels.find(caller.company(), channelId).orElseThrow(() -> ApiException.notFound("channel " + channelId));
  }

  private WebhookEndpointRow endpointOf(Caller caller, ChannelRow channel) {
    return endpoints.find(caller.company(), channel.endpointId()).orElseThrow();
  }
}
