package dev.saturn.api.channels;

import dev.saturn.api.chat.TurnChannel;
import dev.saturn.api.chat.TurnStarter;
import dev.saturn.api.idempotency.IdempotentRequests;
import dev.saturn.api.ratelimit.ChannelRateLimits;
import dev.saturn.api.web.ApiException;
import dev.saturn.api.web.RequestContext;
import dev.saturn.api.webhooks.EndpointSecrets;
import dev.saturn.api.webhooks.WebhookProperties;
import dev.saturn.common.webhooks.WebhookSignatures;
import dev.saturn.db.channels.ChannelRepository;
import dev.saturn.db.channels.ChannelRow;
import dev.saturn.db.chat.SessionRepository;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Times;
import dev.saturn.db.webhooks.WebhookEndpointRepository;
import dev.saturn.workflows.common.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes a signed inbound message: verifies its Standard Webhooks signature with the channel's
 * secrets (constant-time, timestamp within {@code saturn.webhooks.inbound-tolerance}), charges the
 * channel's rate limits, maps the sender's {@code session_key} to a session, and starts the turn
 * through the {@link TurnStarter} with the {@code webhook-id} as idempotency key (in the channel's
 * own key space), so a sender's retry finds its first turn instead of starting another.
 */
@Service
class ChannelInbox {

  /** The {@code webhook-id} is signed over as {@code id.timestamp.body}: printable, no spaces, bounded. */
  private static final Pattern WEBHOOK_ID = Pattern.compile("[\\x21-\\x7e]{1,255}");
  private static final Pattern CHANNEL_ID = Pattern.compile("[0-9a-f-]{36}");

  /** What the handler answers: the turn the message started (now or at its first delivery). */
  record MessageAccepted(String channelId, String webhookId, String turnId, String sessionId, String status) {}

  /** A verified message's content. */
  record InboundMessage(String sessionKey, String message) {}

  private final ChannelRepository channels;
  private final WebhookEndpointRepository endpoints;
  private final SessionRepository sessions;
  private final EndpointSecrets secrets;
  private final ChannelRateLimits rateLimits;
  private final TurnStarter starter;
  private final TransactionTemplate transaction;
  private final WebhookProperties properties;
  private final Clock clock;

  ChannelInbox(
      ChannelRepository channels, WebhookEndpointRepository endpoints, SessionRepository sessions,
      EndpointSecrets secrets, ChannelRateLimits rateLimits, TurnStarter starter, TransactionTemplate transaction,
      WebhookProperties properties, Clock clock) {
    this.channels = channels;
    this.endpoints = endpoints;
    this.sessions = sessions;
    this.secrets = secrets;
    this.rateLimits = rateLimits;
    this.starter = starter;
    this.transaction = transaction;
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * @throws ApiException 401 WEBHOOK_SIGNATURE_INVALID for an unknown channel, a missing or
   *     malformed header, a timestamp outside the tolerance or no matching signature (one answer
   *     for all, but the detail names which); then what the turn starter answers
   */
  MessageAccepted receive(
      String channelId, String webhookId, String timestamp, String signature, byte[] body, InboundMessage message) {
    Instant now = clock.instant();
    ChannelRow channel = verified(channelId, webhookId, timestamp, signature, body, now);
    CompanyId company = CompanyId.of(channel.companyId());
    RequestContext.setCompany(company.value());
    rateLimits.charge(company, channel.id());
    String sessionId = sessionFor(company, channel, message.sessionKey());
    String key = channel.id() + ":" + IdempotentRequests.hash(webhookId);
    TurnStarter.AcceptedTurn turn = starter.start(new TurnStarter.StartTurn(company, channel.agentId(), sessionId,
        message.message(), key, TurnChannel.WEBHOOK, accepted -> channels.recordMessage(company,
            new ChannelRepository.ChannelMessage(company.value(), accepted.id(), channel.id(), webhookId,
                message.sessionKey()), Times.now(clock))));
    return new MessageAccepted(channel.id(), webhookId, turn.turnId(), turn.sessionId(), turn.status().dbValue());
  }

  private ChannelRow verified(String channelId, String webhookId, String timestamp, String signature, byte[] body,
      Instant now) {
    if (webhookId == null || timestamp == null || signature == null) {
      throw refused("the headers webhook-id, webhook-timestamp and webhook-signature are required");
    }
    if (!WEBHOOK_ID.matcher(webhookId).matches()) {
      throw refused("webhook-id must be 1 to 255 printable characters without spaces");
    }
    // An unknown channel verifies against no secret: the same answer as a wrong signature.
    Optional<ChannelRow> channel = CHANNEL_ID.matcher(channelId).matches()
        ? channels.findForInboundMessage(channelId)
        : Optional.empty();
    List<String> keys = channel
        .flatMap(c -> endpoints.find(CompanyId.of(c.companyId()), c.endpointId()))
        .map(endpoint -> secrets.verifying(endpoint, now))
        .orElse(List.of());
    WebhookSignatures.Verdict verdict = WebhookSignatures.verify(keys, webhookId, timestamp, signature, body, now,
        properties.inboundTolerance());
    return switch (verdict) {
      case VALID -> channel.orElseThrow();
      case MALFORMED -> throw refused("webhook-timestamp must be the Unix time in seconds");
      case OUTSIDE_TOLERANCE -> throw refused("webhook-timestamp is more than "
          + properties.inboundTolerance().toSeconds() + " s from now (a replay, or a wrong clock)");
      case NO_MATCHING_SIGNATURE -> throw refused("no v1 signature in webhook-signature matches this channel's secret");
    };
  }

  /** The session of the sender's conversation; the first message of a conversation makes one (the first mapping wins). */
  private String sessionFor(CompanyId company, ChannelRow channel, String sessionKey) {
    return channels.sessionFor(company, channel.id(), sessionKey).orElseGet(() -> {
      Optional<String> mine = transaction.execute(status -> {
        String session = sessions.create(company, channel.agentId()).id();
        if (!channels.mapSession(company, channel.id(), sessionKey, session, Times.now(clock))) {
          status.setRollbackOnly();
          return Optional.<String>empty();
        }
        return Optional.of(session);
      });
      return mine.orElseGet(() -> channels.sessionFor(company, channel.id(), sessionKey).orElseThrow());
    });
  }

  private static ApiException refused(String detail) {
    return ApiException.of(ErrorCode.WEBHOOK_SIGNATURE_INVALID, "The message is not accepted: " + detail);
  }
}
