package dev.saturn.common.outbound;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends one HTTP request on a tenant's behalf to a URL the tenant named (a tool, an MCP server):
 * every hop passes the {@link SsrfGuard}, and the connection goes to the address the guard checked
 * (the request's target is built from that address with the host name kept for TLS and the
 * {@code Host} header; the client's own resolver refuses every name). Redirects are followed by
 * hand, each checked again, and the request's headers (credentials among them) are not sent to
 * another origin. One deadline bounds connecting, waiting and reading; a body above the cap fails
 * the request. What went wrong is the {@link Response}, never an exception.
 */
public class GuardedHttpClient {

  /**
   * Decides while reading whether the body read so far is all the caller needs (e.g. a server-sent
   * event stream that has delivered its answer but stays open); the rest is not waited for.
   */
  @FunctionalInterface
  public interface BodyEnd {
    BodyEnd AT_EOF = (body, contentType) -> false;

    boolean complete(String bodySoFar, String contentType);
  }

  /**
   * One request.
   *
   * @param target how failure messages name the other side, e.g. "the tool"
   * @param body sent as {@code application/json} when not null
   */
  public record Request(
      String method, URI uri, Map<String, String> headers, String body, Duration timeout, int maxResponseBytes,
      String target, BodyEnd bodyEnd) {
    public Request {
      headers = Map.copyOf(headers);
      bodyEnd = bodyEnd == null ? BodyEnd.AT_EOF : bodyEnd;
    }
  }

  /**
   * What came back: a status (0 when there was no answer) with the response's headers (names in
   * lower case, first value of each) and body, or why it failed.
   *
   * @param refused never sent: the guard or the URL refused the target
   * @param transientFailure another attempt may succeed (no answer, 429, 5xx)
   */
  public record Response(
      int status, Map<String, String> headers, String body, String failure, boolean refused, boolean transientFailure) {
    public boolean ok() {
      return failure == null && status >= 200 && status < 300;
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    static Response failed(String failure, boolean refused, boolean transientFailure) {
      return new Response(0, Map.of(), null, failure, refused, transientFailure);
    }
  }

  /**
   * Sees each request sent (every redirect hop its own): a client span and the headers that carry
   * the trace to the server, for example. Implemented where tracing lives; this module has none.
   */
  public interface Observer {

    Observer NONE = (method, uri, urlTemplate) -> Exchange.NONE;

    /**
     * @param urlTemplate what the URL was built from, to be recorded instead of it (it may carry
     *     arguments), or null
     */
    Exchange start(String method, URI uri, String urlTemplate);

    /** One request as the observer follows it; closed when it is over. */
    interface Exchange extends AutoCloseable {

      Exchange NONE = new Exchange() {};

      /** Adds the observer's headers to the request. */
      default void propagate(BiConsumer<String, String> header) {}

      default void answered(int status) {}

      /** No answer: {@code errorType} is a short class of the failure. */
      default void failed(String errorType) {}

      @Override
      default void close() {}
    }
  }

  private final SsrfGuard guard;
  private final int maxRedirects;
  private final Observer observer;

  public GuardedHttpClient(SsrfGuard guard, int maxRedirects) {
    this(guard, maxRedirects, Observer.NONE);
  }

  public GuardedHttpClient(SsrfGuard guard, int maxRedirects, Observer observer) {
    this.guard = guard;
    this.maxRedirects = maxRedirects;
    this.observer = observer;
  }

  public Response send(Request request) {
    return send(request, null);
  }

  /** @param urlTemplate what the URL was built from, for the {@link Observer}; null when it is not a template */
  public Response send(Request request, String urlTemplate) {
    String method = request.method().toUpperCase(Locale.ROOT);
    String body = request.body();
    Map<String, String> headers = new LinkedHashMap<>(request.headers());
    long deadline = System.nanoTime() + request.timeout().toNanos();
    URI origin = request.uri();
    URI uri = origin;
    for (int hop = 0; ; hop++) {
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        return Response.failed("only http(s) URLs may be called, not " + redactedUrl(uri), true, false);
      }
      int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
      InetAddress address;
      try {
        address = guard.check(uri.getHost(), port);
      } catch (SsrfGuard.RefusedTarget refused) {
        return Response.failed(refused.getMessage(), true, false);
      }
      Response response = exchange(method, uri, address, port, headers, body, request, deadline, urlTemplate);
      int status = response.status();
      if (status < 300 || status >= 400 || status == 304 || response.failure() != null) {
        return response;
      }
      String location = response.header("location");
      if (location == null || hop >= maxRedirects) {
        return new Response(status, response.headers(), null, hop >= maxRedirects
            ? "more than " + maxRedirects + " redirects" : "redirect without a Location", false, false);
      }
      URI next;
      try {
        next = uri.resolve(location);
      } catch (IllegalArgumentException e) {
        return new Response(status, response.headers(), null, "redirect to an invalid URL", false, false);
      }
      if (!sameOrigin(origin, next)) {
        // The headers (credentials among them) were configured for the original host only.
        headers.clear();
      }
      if (status == 303 || ((status == 301 || status == 302) && !method.equals("GET"))) {
        method = "GET";
        body = null;
      }
      uri = next;
    }
  }

  /** One request to {@code address} only; a 3xx comes back without its body. */
  private Response exchange(
      String method, URI uri, InetAddress address, int port, Map<String, String> headers, String body, Request call,
      long deadline, String urlTemplate) {
    long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    String timedOut = "no answer within " + call.timeout().toMillis() + " ms";
    if (leftMs <= 0) {
      return Response.failed(timedOut, false, true);
    }
    Timeout timeout = Timeout.ofMilliseconds(leftMs);
    try (Observer.Exchange observed = observer.start(method, uri, urlTemplate);
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
      observed.propagate(request::setHeader);
      if (body != null) {
        request.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
      }
      try (ClassicHttpResponse response = client.executeOpen(target, request, null)) {
        int status = response.getCode();
        observed.answered(status);
        Map<String, String> responseHeaders = new LinkedHashMap<>();
        for (Header header : response.getHeaders()) {
          responseHeaders.putIfAbsent(header.getName().toLowerCase(Locale.ROOT), header.getValue());
        }
        if (status >= 300 && status < 400) {
          return new Response(status, responseHeaders, null, null, false, false);
        }
        String text = read(response.getEntity(), deadline, call, responseHeaders.get("content-type"), request);
        return new Response(status, responseHeaders, text, null, false, status == 429 || status >= 500);
      } catch (IOException e) {
        observed.failed(e.getClass().getName());
        throw e;
      }
    } catch (TooLarge e) {
      return Response.failed("response larger than " + call.maxResponseBytes() + " bytes", false, false);
    } catch (SocketTimeoutException | ConnectionRequestTimeoutException e) {
      return Response.failed(timedOut, false, true);
    } catch (IOException e) {
      return Response.failed("could not reach " + call.target() + ": " + e.getClass().getSimpleName(), false, true);
    }
  }

  private static String read(HttpEntity entity, long deadline, Request call, String contentType,
      HttpUriRequestBase request) throws IOException {
    if (entity == null) {
      return "";
    }
    if (entity.getContentLength() > call.maxResponseBytes()) {
      throw new TooLarge();
    }
    try (InputStream in = entity.getContent()) {
      byte[] buffer = new byte[8192];
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        if (out.size() > call.maxResponseBytes()) {
          throw new TooLarge();
        }
        if (System.nanoTime() > deadline) {
          throw new SocketTimeoutException("read past " + call.timeout().toMillis() + " ms");
        }
        String soFar = out.toString(StandardCharsets.UTF_8);
        if (call.bodyEnd() != BodyEnd.AT_EOF && call.bodyEnd().complete(soFar, contentType)) {
          // Closing would read the rest of a stream that may stay open: drop the connection instead.
          request.cancel();
          return soFar;
        }
      }
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  static String pathAndQuery(URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }

  static boolean sameOrigin(URI a, URI b) {
    return Objects.equals(lower(a.getScheme()), lower(b.getScheme()))
        && Objects.equals(lower(a.getHost()), lower(b.getHost()))
        && a.getPort() == b.getPort();
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  /** For messages: scheme, host and path, no query (which may carry arguments). */
  public static String redactedUrl(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  private static final class TooLarge extends IOException {}

  /** The target is always given as an address; a name reaching the resolver is a bug, refused. */
  private static final class RefusingResolver implements DnsResolver {
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
      throw new UnknownHostException("outbound calls resolve names through the SSRF guard only: " + host);
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
      throw new UnknownHostException("outbound calls resolve names through the SSRF guard only: " + host);
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
      throw new UnknownHostException("outbound calls resolve names through the SSRF guard only: " + host);
    }
  }
}
