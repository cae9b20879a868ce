package dev.saturn.activities.common;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.Timeout;

/**
 * HTTP clients for requests to a tenant's URL that may connect only to the address the SSRF guard
 * checked: the target is given as that address (the host name kept for TLS SNI, certificate
 * checks and {@code Host}), and the client's own resolver refuses every name, so nothing resolves
 * twice. No redirects, retries, cookies or content decoding: callers decide each of those.
 */
public final class PinnedHttp {

  private PinnedHttp() {}

  /** A client for one request; close it after the response. */
  public static CloseableHttpClient client(Timeout timeout) {
    return HttpClients.custom()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
            .setDnsResolver(new RefusingResolver())
            .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout).setSocketTimeout(timeout).build())
            .build())
        .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(timeout).setRedirectsEnabled(false).build())
        .disableRedirectHandling()
        .disableAutomaticRetries()
        .disableCookieManagement()
        .disableContentCompression()
        .build();
  }

  /** The target of a request to {@code uri}, connecting to {@code address} (checked by the guard). */
  public static HttpHost target(URI uri, InetAddress address, int port) {
    return new HttpHost(uri.getScheme().toLowerCase(Locale.ROOT), address, uri.getHost(), port);
  }

  /** The port of an http(s) URL, its scheme's default when it names none. */
  public static int port(URI uri) {
    return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  /** Path and query as sent in the request line. */
  public static String pathAndQuery(URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }

  /** The target is always given as an address; a name reaching the resolver is a bug, refused. */
  private static final class RefusingResolver implements DnsResolver {
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
      throw refused(host);
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
      throw refused(host);
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
      throw refused(host);
    }

    private static UnknownHostException refused(String host) {
      return new UnknownHostException("outbound requests resolve names through the SSRF guard only: " + host);
    }
  }
}
