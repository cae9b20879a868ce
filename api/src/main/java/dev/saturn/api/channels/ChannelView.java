package dev.saturn.api.channels;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.saturn.db.channels.ChannelRow;
import dev.saturn.db.webhooks.WebhookEndpointRow;
import java.time.Instant;

/**
 * A channel as the API shows it; {@code secret} (signs the sender's messages and SATURN's
 * replies) only in the answer that made it.
 */
record ChannelView(
    String id,
    String name,
    String agentId,
    String replyUrl,
    String messagesPath,
    Instant previousSecretExpiresAt,
    Instant createdAt,
    Instant updatedAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {

  static ChannelView of(ChannelRow channel, WebhookEndpointRow endpoint, Instant now) {
    return new ChannelView(channel.id(), channel.name(), channel.agentId(), endpoint.url(),
        "/v1/channels/" + channel.id() + "/messages", endpoint.previousSecretValidUntil(now),
        channel.createdAt(), channel.updatedAt(), null);
  }

  ChannelView withSecret(String shownOnce) {
    return new ChannelView(id, name, agentId, replyUrl, messagesPath, previousSecretExpiresAt, createdAt, updatedAt,
        shownOnce);
  }
}
