package dev.saturn.activities.tools.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.saturn.activities.tracing.HttpClientSpans;
import dev.saturn.common.outbound.GuardedHttpClient;
import dev.saturn.common.outbound.SsrfGuard;
import dev.saturn.workflows.tools.UrlPlaceholders;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Sends one HTTP tool call: URL from the template, headers (secret values already decrypted by the
 * caller), JSON body, timeout, response size cap, through the {@link GuardedHttpClient} (every hop
 * passes the {@link SsrfGuard}, connections go to the checked address, redirects are re-checked).
 */
public class HttpToolClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");

  /** One tool call's request; a body above {@code maxResponseBytes} fails the call. */
  public record Call(
      String method, String urlTemplate, Map<String, String> headers, JsonNode arguments, int timeoutMs,
      String idempotencyKey, int maxResponseBytes) {}

  /** What came back: a status (0 when the call never got an answer), the body, or why it failed. */
  public record Response(int status, String body, String failure, boolean refused, boolean transientFailure) {
    public boolean ok() {
      return failure == null && status >= 200 && status < 300;
    }
  }

  private final GuardedHttpClient http;

  public HttpToolClient(SsrfGuard guard, int maxRedirects) {
    this(guard, maxRedirects, HttpClientSpans.noop());
  }

  /** Each request (every redirect hop) its own client span, {@code traceparent} sent to the tool. */
  public HttpToolClient(SsrfGuard guard, int maxRedirects, HttpClientSpans spans) {
    this.http = new GuardedHttpClient(guard, maxRedirects, spans);
  }

  public Response call(Call call) {
    URI uri;
    try {
      uri = UrlTemplate.expand(call.urlTemplate(), call.arguments());
    } catch (UrlTemplate.UnsafePathValue e) {
      return new Response(0, null, "the tool's URL could not be built from the arguments: " + e.getMessage(), true, false);
    } catch (IllegalArgumentException e) {
      return new Response(0, null, "the tool's URL could not be built from the arguments", false, false);
    }
    String method = call.method().toUpperCase(Locale.ROOT);
    Set<String> inUrl = UrlPlaceholders.names(call.urlTemplate());
    String body = null;
    if (BODY_METHODS.contains(method)) {
      body = unused(call.arguments(), inUrl).toString();
    } else {
      uri = withQuery(uri, unused(call.arguments(), inUrl));
    }
    Map<String, String> headers = new LinkedHashMap<>(call.headers());
    headers.put("Accept", "application/json, text/plain;q=0.9, */*;q=0.1");
    headers.put("User-Agent", "SATURN-tools/1");
    if (call.idempotencyKey() != null) {
      headers.put("Idempotency-Key", call.idempotencyKey());
    }
    GuardedHttpClient.Response response = http.send(new GuardedHttpClient.Request(
        method, uri, headers, body, Duration.ofMillis(call.timeoutMs()), call.maxResponseBytes(), "the tool", null),
        call.urlTemplate());
    return new Response(response.status(), response.body(), response.failure(), response.refused(), response.transientFailure());
  }

  private static ObjectNode unused(JsonNode arguments, Set<String> inUrl) {
    ObjectNode rest = JSON.createObjectNode();
    if (arguments != null && arguments.isObject()) {
      arguments.fields().forEachRemaining(e -> {
        if (!inUrl.contains(e.getKey())) {
          rest.set(e.getKey(), e.getValue());
        }
      });
    }
    return rest;
  }

  /** GET and DELETE carry the arguments the URL does not use as query parameters. */
  private static URI withQuery(URI uri, ObjectNode extra) {
    if (extra.isEmpty()) {
      return uri;
    }
    StringBuilder query = new StringBuilder(uri.getRawQuery() == null ? "" : uri.getRawQuery());
    extra.fields().forEachRemaining(e -> {
      if (query.length() > 0) {
        query.append('&');
      }
      query.append(UrlTemplate.encode(e.getKey())).append('=').append(UrlTemplate.encode(UrlTemplate.text(e.getValue())));
    });
    String s = uri.toString();
    int q = s.indexOf('?');
    return URI.create((q < 0 ? s : s.substring(0, q)) + "?" + query);
  }
}
