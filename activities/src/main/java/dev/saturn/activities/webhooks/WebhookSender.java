package dev.saturn.activities.webhooks;

import dev.saturn.common.outbound.GuardedHttpClient;
import dev.saturn.common.outbound.SsrfGuard;
import dev.saturn.common.webhooks.WebhookSignatures;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends one webhook attempt: a POST of the event's bytes with the Standard Webhooks headers, to
 * the address the {@link SsrfGuard} checked for the endpoint's host at this very attempt. Redirects
 * are not followed (a 3xx is a failed attempt, as the specification recommends: the endpoint's URL
 * should be updated instead), and the receiver's body is read only up to a few kilobytes and never
 * stored.
 */
public class WebhookSender {

  private static final int MAX_READ_BYTES = 4096;

  /** One attempt: where, the headers' values, and the body they sign. */
  public record Message(URI url, String webhookId, long timestampSeconds, String signatureHeader, byte[] body) {}

  /**
   * What came back: the status (0 when there was no answer) or why there was none; whether the
   * target was refused before any connection; the receiver's {@code Retry-After}, if it sent one.
   */
  public record Outcome(int status, String failure, boolean refused, Duration retryAfter) {
    public boolean delivered() {
      return failure == null && status >= 200 && status < 300;
    }
  }

  /** Receivers' answers are read only this far (some servers wait until the client read them). */
  private static final GuardedHttpClient.BodyEnd ENOUGH_READ = (body, contentType) -> body.length() >= MAX_READ_BYTES;

  private final GuardedHttpClient http;
  private final Clock clock;

  public WebhookSender(SsrfGuard guard, Clock clock) {
    this(guard, clock, GuardedHttpClient.Observer.NONE);
  }

  /** Each attempt a client span ({@code observer}), {@code traceparent} sent to the receiver. */
  public WebhookSender(SsrfGuard guard, Clock clock, GuardedHttpClient.Observer observer) {
    this.http = new GuardedHttpClient(guard, 0, observer);
    this.clock = clock;
  }

  public Outcome send(Message message, Duration timeout) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(WebhookSignatures.ID_HEADER, message.webhookId());
    headers.put(WebhookSignatures.TIMESTAMP_HEADER, Long.toString(message.timestampSeconds()));
    headers.put(WebhookSignatures.SIGNATURE_HEADER, message.signatureHeader());
    headers.put("User-Agent", "SATURN-webhooks/1");
    // The body is JSON SATURN wrote, so valid UTF-8: the bytes sent are the bytes signed.
    GuardedHttpClient.Response response = http.send(new GuardedHttpClient.Request("POST", message.url(), headers,
        new String(message.body(), StandardCharsets.UTF_8), timeout, Integer.MAX_VALUE, "the endpoint", ENOUGH_READ));
    if (response.refused()) {
      return new Outcome(0, "refused: " + response.failure(), true, null);
    }
    int status = response.status();
    String failure = status >= 300 && status < 400 ? "HTTP " + status + ": redirects are not followed"
        : response.failure() != null ? response.failure()
        : status >= 200 && status < 300 ? null : "HTTP " + status;
    return new Outcome(status, failure, false, status == 0 ? null : retryAfter(response.header("retry-after")));
  }

  /** {@code Retry-After} in seconds or as an HTTP date; null when absent or unreadable. */
  private Duration retryAfter(String header) {
    if (header == null) {
      return null;
    }
    String value = header.trim();
    try {
      long seconds = Long.parseLong(value);
      return seconds > 0 ? Duration.ofSeconds(seconds) : null;
    } catch (NumberFormatException notSeconds) {
      try {
        Duration until = Duration.between(clock.instant(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
        return until.isNegative() ? null : until;
      } catch (DateTimeParseException notDate) {
        return null;
      }
    }
  }
}
