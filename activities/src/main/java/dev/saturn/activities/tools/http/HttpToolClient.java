package dev.saturn.activities.tools.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.saturn.activities.tracing.HttpClientSpans;
import dev.saturn.common.outbound.SsrfGuard;
import dev.saturn.workflows.tools.UrlPlaceholders;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends one HTTP tool call: URL from the template, headers (secret values already decrypted by the
 * caller), JSON body, timeout, response size cap, redirects followed by hand so each hop passes the
 * {@link SsrfGuard} again. Every connection goes to the address the guard checked: the request's
 * target is built from that address with the host name kept for TLS and the Host header, and the
 * client's own resolver refuses every name.
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

  private final SsrfGuard guard;
  private final int maxRedirects;
  private final HttpClientSpans spans;

  public HttpToolClient(SsrfGuard guard, int maxRedirects) {
    this(guard, maxRedirects, HttpClientSpans.noop());
  }

  /** Each request (every redirect hop) its own client span, {@code traceparent} sent to the tool. */
  public HttpToolClient(SsrfGuard guard, int maxRedirects, HttpClientSpans spans) {
    this.guard = guard;
    this.maxRedirects = maxRedirects;
    this.spans = spans;
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
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(call.timeoutMs());
    URI origin = uri;
    for (int hop = 0; ; hop++) {
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        return new Response(0, null, "tools may only call http(s) URLs, not " + redactedUrl(uri), true, false);
      }
      int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
      InetAddress address;
      try {
        address = guard.check(uri.getHost(), port);
      } catch (SsrfGuard.RefusedTarget refused) {
        return new Response(0, null, refused.getMessage(), true, false);
      }
      Response response = exchange(method, uri, address, port, headers, body, call, deadline);
      if (response.status() < 300 || response.status() >= 400 || response.status() == 304 || response.failure() != null) {
        return response;
      }
      String location = response.body();
      if (location == null || hop >= maxRedirects) {
        return new Response(response.status(), null, hop >= maxRedirects
            ? "more than " + maxRedirects + " redirects" : "redirect without a Location", false, false);
      }
      URI next;
      try {
        next = uri.resolve(location);
      } catch (IllegalArgumentException e) {
        return new Response(response.status(), null, "redirect to an invalid URL", false, false);
      }
      if (!sameOrigin(origin, next)) {
        // The tool's headers (credentials among them) were configured for its own host only.
        headers.clear();
      }
      if (response.status() == 303 || ((response.status() == 301 || response.status() == 302) && !method.equals("GET"))) {
        method = "GET";
        body = null;
      }
      uri = next;
    }
  }

  /**
   * One request; for a 3xx the returned body is the Location header's value. Connects to
   * {@code address} only.
   */
  private Response exchange(
      String method, URI uri, InetAddress address, int port, Map<String, String> headers, String body, Call call,
      long deadline) {
    long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (leftMs <= 0) {
      return new Response(0, null, "no answer within " + call.timeoutMs() + " ms", false, true);
    }
    Timeout timeout = Timeout.ofMilliseconds(leftMs);
    try (HttpClientSpans.Request span = spans.start(method, uri, call.urlTemplate());
        CloseableHttpClient client = HttpClients.custom()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
            .setDnsResolver(new RefusingResolver())
            .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout).setSocketTimeout(timeout).build())
            .build())
        .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(timeout).setRedirectsEnabled(false).build())
        .disableRedirectHandling()
        .disableAutomaticRetries()
        .disableCookieManagement()
        .disableContentCompression()
        .build()) {
      HttpHost target = new HttpHost(uri.getScheme().toLowerCase(Locale.ROOT), address, uri.getHost(), port);
      HttpUriRequestBase request = new HttpUriRequestBase(method, URI.create(pathAndQuery(uri)));
      headers.forEach(request::setHeader);
      span.propagate(request::setHeader);
      request.setHeader("Accept", "application/json, text/plain;q=0.9, */*;q=0.1");
      request.setHeader("User-Agent", "SATURN-tools/1");
      if (call.idempotencyKey() != null) {
        request.setHeader("Idempotency-Key", call.idempotencyKey());
      }
      if (body != null) {
        request.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
      }
      try (ClassicHttpResponse response = client.executeOpen(target, request, null)) {
        int status = response.getCode();
        span.answered(status);
        if (status >= 300 && status < 400) {
          Header location = response.getFirstHeader("Location");
          return new Response(status, location == null ? null : location.getValue(), null, false, false);
        }
        String text = read(response.getEntity(), deadline, call);
        return new Response(status, text, null, false, status == 429 || status >= 500);
      } catch (IOException e) {
        span.failed(e.getClass().getName());
        throw e;
      }
    } catch (TooLarge e) {
      return new Response(0, null, "response larger than " + call.maxResponseBytes() + " bytes", false, false);
    } catch (java.net.SocketTimeoutException | org.apache.hc.core5.http.ConnectionRequestTimeoutException e) {
      return new Response(0, null, "no answer within " + call.timeoutMs() + " ms", false, true);
    } catch (IOException e) {
      return new Response(0, null, "could not reach the tool: " + e.getClass().getSimpleName(), false, true);
    }
  }

  private static String read(HttpEntity entity, long deadline, Call call) throws IOException {
    if (entity == null) {
      return "";
    }
    if (entity.getContentLength() > call.maxResponseBytes()) {
      throw new TooLarge();
    }
    try (InputStream in = entity.getContent()) {
      byte[] buffer = new byte[8192];
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        if (out.size() > call.maxResponseBytes()) {
          throw new TooLarge();
        }
        if (System.nanoTime() > deadline) {
          throw new java.net.SocketTimeoutException("read past " + call.timeoutMs() + " ms");
        }
      }
      return out.toString(StandardCharsets.UTF_8);
    }
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

  private static String pathAndQuery(URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }

  private static boolean sameOrigin(URI a, URI b) {
    return Objects.equals(lower(a.getScheme()), lower(b.getScheme()))
        && Objects.equals(lower(a.getHost()), lower(b.getHost()))
        && a.getPort() == b.getPort();
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  /** For messages: scheme, host and path, no query (which may carry arguments). */
  static String redactedUrl(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  private static final class TooLarge extends IOException {}

  /** The target is always given as an address; a name reaching the resolver is a bug, refused. */
  private static final class RefusingResolver implements org.apache.hc.client5.http.DnsResolver {
    @Override
    public InetAddress[] resolve(String host) throws java.net.UnknownHostException {
      throw new java.net.UnknownHostException("tool calls resolve names through the SSRF guard only: " + host);
    }

    @Override
    public String resolveCanonicalHostname(String host) throws java.net.UnknownHostException {
      throw new java.net.UnknownHostException("tool calls resolve names through the SSRF guard only: " + host);
    }

    @Override
    public List<java.net.InetSocketAddress> resolve(String host, int port) throws java.net.UnknownHostException {
      throw new java.net.UnknownHostException("tool calls resolve names through the SSRF guard only: " + host);
    }
  }
}
