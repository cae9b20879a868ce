package dev.saturn.api.webhooks;

import dev.saturn.api.web.FieldError;
import dev.saturn.common.outbound.SsrfGuard;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The URL of a webhook endpoint or a channel's reply: absolute http(s), a host, no user info or
 * fragment, at most 2000 characters, and not refused by the SSRF guard when its host is an IP
 * literal (a host name is judged at every attempt, where it is resolved once and connected to).
 */
public final class WebhookUrls {

  static final int MAX_LENGTH = 2000;

  private WebhookUrls() {}

  /** The problem with {@code url} as field {@code field}, or empty when it may be stored. */
  public static Optional<FieldError> problem(String field, String url, SsrfGuard guard) {
    if (url == null || url.isBlank()) {
      return Optional.of(new FieldError(field, "must not be blank"));
    }
    if (url.length() > MAX_LENGTH) {
      return Optional.of(new FieldError(field, "must be at most " + MAX_LENGTH + " characters"));
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.of(new FieldError(field, "is not a valid URL"));
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return Optional.of(new FieldError(field, "must be an http or https URL"));
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return Optional.of(new FieldError(field, "must name a host"));
    }
    if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      return Optional.of(new FieldError(field, "must have no user info and no fragment"));
    }
    return guard.refusalWithoutLookup(uri).map(refusal -> new FieldError(field, "is refused: " + refusal));
  }

  /** Whether two valid URLs have the same origin: scheme, host (ignoring case) and port. */
  public static boolean sameOrigin(String a, String b) {
    URI x = URI.create(a);
    URI y = URI.create(b);
    return x.getScheme().equalsIgnoreCase(y.getScheme()) && x.getHost().equalsIgnoreCase(y.getHost()) && port(x) == port(y);
  }

  private static int port(URI uri) {
    return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }
}
