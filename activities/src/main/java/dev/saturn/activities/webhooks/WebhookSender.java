package dev.saturn.activities.webhooks;

import dev.saturn.activities.common.PinnedHttp;
import dev.saturn.common.outbound.SsrfGuard;
import dev.saturn.common.webhooks.WebhookSignatures;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;

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

  private final SsrfGuard guard;
  private final Clock clock;

  public WebhookSender(SsrfGuard guard, Clock clock) {
    this.guard = guard;
    this.clock = clock;
  }

  public Outcome send(Message message, Duration timeout) {
    URI url = message.url();
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
      return new Outcome(0, "webhooks go to http(s) URLs only", true, null);
    }
    int port = PinnedHttp.port(url);
    InetAddress address;
    try {
      address = guard.check(url.getHost(), port);
    } catch (SsrfGuard.RefusedTarget refused) {
      return new Outcome(0, "refused: " + refused.getMessage(), true, null);
    }
    Timeout limit = Timeout.ofMilliseconds(timeout.toMillis());
    long deadline = System.nanoTime() + timeout.toNanos();
    try (CloseableHttpClient client = PinnedHttp.client(limit)) {
      HttpPost post = new HttpPost(URI.create(PinnedHttp.pathAndQuery(url)));
      post.setHeader(WebhookSignatures.ID_HEADER, message.webhookId());
      post.setHeader(WebhookSignatures.TIMESTAMP_HEADER, Long.toString(message.timestampSeconds()));
      post.setHeader(WebhookSignatures.SIGNATURE_HEADER, message.signatureHeader());
      post.setHeader("User-Agent", "SATURN-webhooks/1");
      post.setEntity(new ByteArrayEntity(message.body(), ContentType.APPLICATION_JSON));
      try (ClassicHttpResponse response = client.executeOpen(PinnedHttp.target(url, address, port), post, null)) {
        drain(response.getEntity(), deadline);
        int status = response.getCode();
        boolean ok = status >= 200 && status < 300;
        return new Outcome(status, ok ? null : "HTTP " + status, false, retryAfter(response.getFirstHeader("Retry-After")));
      }
    } catch (SocketTimeoutException | org.apache.hc.core5.http.ConnectionRequestTimeoutException e) {
      return new Outcome(0, "no answer within " + timeout.toMillis() + " ms", false, null);
    } catch (IOException e) {
      return new Outcome(0, "could not reach the endpoint: " + e.getClass().getSimpleName(), false, null);
    }
  }

  /** Reads a little of the answer (some servers wait until the client read it), never more. */
  private static void drain(HttpEntity entity, long deadline) throws IOException {
    if (entity == null) {
      return;
    }
    try (InputStream in = entity.getContent()) {
      byte[] buffer = new byte[1024];
      int total = 0;
      int n;
      while (total < MAX_READ_BYTES && System.nanoTime() < deadline && (n = in.read(buffer)) >= 0) {
        total += n;
      }
    }
  }

  /** {@code Retry-After} in seconds or as an HTTP date; null when absent or unreadable. */
  private Duration retryAfter(Header header) {
    if (header == null) {
      return null;
    }
    String value = header.getValue().trim();
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
