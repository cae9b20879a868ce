package dev.saturn.api.websocket;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code saturn.websocket}: the chat WebSocket at {@code /v1/ws}.
 *
 * @param allowedOrigins browser origins (patterns as Spring's {@code allowedOriginPatterns}, e.g.
 *     {@code https://*.example.com}) whose pages may open the socket; empty: same origin only. A
 *     client that sends no {@code Origin} header (not a browser) is not affected
 * @param maxFrameBytes the largest text frame accepted; a bigger one closes the socket with 1009
 * @param maxTurnsPerSocket turns one socket may stream at the same time; one more is refused with
 *     an error frame ({@code RATE_LIMITED})
 * @param authTimeout a socket not authenticated within this long is closed (1008)
 * @param sendTimeout a client that takes no frame for this long is disconnected
 * @param sendBufferBytes frames held for a slow client before it is disconnected
 */
@ConfigurationProperties("saturn.websocket")
public record WebSocketProperties(
    List<String> allowedOrigins,
    @DefaultValue("262144") int maxFrameBytes,
    @DefaultValue("4") int maxTurnsPerSocket,
    @DefaultValue("10s") Duration authTimeout,
    @DefaultValue("10s") Duration sendTimeout,
    @DefaultValue("1048576") int sendBufferBytes) {

  public WebSocketProperties {
    allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
    if (maxFrameBytes < 1024) {
      throw new IllegalArgumentException("saturn.websocket.max-frame-bytes must be at least 1024: " + maxFrameBytes);
    }
    if (maxTurnsPerSocket < 1) {
      throw new IllegalArgumentException("saturn.websocket.max-turns-per-socket must be at least 1: " + maxTurnsPerSocket);
    }
    if (authTimeout == null || authTimeout.isNegative() || authTimeout.isZero()) {
      throw new IllegalArgumentException("saturn.websocket.auth-timeout must be positive");
    }
    if (sendTimeout == null || sendTimeout.isNegative() || sendTimeout.isZero()) {
      throw new IllegalArgumentException("saturn.websocket.send-timeout must be positive");
    }
    if (sendBufferBytes < maxFrameBytes) {
      throw new IllegalArgumentException("saturn.websocket.send-buffer-bytes must be at least max-frame-bytes");
    }
  }
}
