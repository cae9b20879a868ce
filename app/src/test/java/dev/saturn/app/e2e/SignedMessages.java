package dev.saturn.app.e2e;

import dev.saturn.activities.webhooks.testing.SpecVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/** A sender of inbound channel messages, signing with the test's own verifier code (not SATURN's signer). */
public final class SignedMessages {

  private SignedMessages() {}

  /** {@code body} signed now with {@code secret} under {@code webhookId}. */
  public static HttpJson.Response send(HttpJson http, String channelId, String secret, String webhookId, String body) {
    return send(http, channelId, secret, webhookId, Instant.now().getEpochSecond(), body);
  }

  public static HttpJson.Response send(
      HttpJson http, String channelId, String secret, String webhookId, long timestamp, String body) {
    String signature = SpecVerifier.sign(secret, webhookId, Long.toString(timestamp), body.getBytes(StandardCharsets.UTF_8));
    return http.send("POST", "/v1/channels/" + channelId + "/messages", null, body, Map.of(
        "webhook-id", webhookId, "webhook-timestamp", Long.toString(timestamp), "webhook-signature", signature));
  }

  /** A message body: {@code {"session_key": ..., "message": ...}}. */
  public static String message(String sessionKey, String text) {
    return "{\"session_key\":\"" + sessionKey + "\",\"message\":\"" + text + "\"}";
  }
}
