package dev.saturn.api.tools;

import dev.saturn.api.web.FieldError;
import dev.saturn.common.outbound.SsrfGuard;
import dev.saturn.workflows.tools.UrlPlaceholders;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * A tool's URL template: an absolute http(s) URL whose path and query may hold {@code {arg}}
 * placeholders, each naming a property of the tool's parameters. Placeholders are not allowed in
 * the scheme, host or port, so the model can never choose where a request goes; the path has no
 * {@code .} or {@code ..} segments, and the worker refuses path values that would make one.
 */
final class UrlTemplates {

  static final int MAX_LENGTH = 2000;

  private UrlTemplates() {}

  /**
   * Whether two valid templates send requests to the same origin: scheme, host (ignoring case)
   * and port (the scheme's default when absent). Placeholders stand only in path and query.
   */
  static boolean sameOrigin(String a, String b) {
    URI x = URI.create(UrlPlaceholders.PATTERN.matcher(a).replaceAll("x"));
    URI y = URI.create(UrlPlaceholders.PATTERN.matcher(b).replaceAll("x"));
    return x.getScheme().equalsIgnoreCase(y.getScheme())
        && x.getHost().equalsIgnoreCase(y.getHost())
        && port(x) == port(y);
  }

  /**
   * The SSRF guard's refusal of a valid template's target, decided without DNS (an IP literal that
   * is not public and not allowlisted); a host name is checked at every call instead.
   */
  static List<FieldError> refusedTarget(String template, SsrfGuard guard) {
    URI target = URI.create(UrlPlaceholders.PATTERN.matcher(template).replaceAll("x"));
    return guard.refusalWithoutLookup(target).map(refusal -> List.of(new FieldError("url", "is refused: " + refusal)))
        .orElse(List.of());
  }

  private static int port(URI uri) {
    return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  /** Field errors on {@code url}; {@code properties} are the parameter names placeholders may use. */
  static List<FieldError> check(String template, Collection<String> properties) {
    if (template.length() > MAX_LENGTH) {
      return List.of(new FieldError("url", "must be at most " + MAX_LENGTH + " characters"));
    }
    String withoutPlaceholders = UrlPlaceholders.PATTERN.matcher(template).replaceAll("x");
    if (withoutPlaceholders.indexOf('{') >= 0 || withoutPlaceholders.indexOf('}') >= 0) {
      return List.of(new FieldError("url", "has a malformed placeholder: use {name} with letters, digits and _"));
    }
    URI uri;
    try {
      uri = new URI(withoutPlaceholders);
    } catch (URISyntaxException e) {
      return List.of(new FieldError("url", "is not a valid URL: " + e.getReason()));
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      return List.of(new FieldError("url", "must be an absolute http or https URL with a host"));
    }
    if (uri.getRawUserInfo() != null) {
      return List.of(new FieldError("url", "must not carry credentials; use a secret header"));
    }
    if (uri.getRawFragment() != null) {
      return List.of(new FieldError("url", "must not have a fragment"));
    }
    int authorityEnd = template.indexOf("//") + 2;
    while (authorityEnd < template.length() && "/?#".indexOf(template.charAt(authorityEnd)) < 0) {
      authorityEnd++;
    }
    if (template.substring(0, authorityEnd).indexOf('{') >= 0) {
      return List.of(new FieldError("url", "may have placeholders only in the path and query, not in the scheme, host or port"));
    }
    int queryStart = template.indexOf('?', authorityEnd);
    String path = template.substring(authorityEnd, queryStart < 0 ? template.length() : queryStart);
    for (String segment : path.split("/", -1)) {
      if (UrlPlaceholders.isDotSegment(segment)) {
        return List.of(new FieldError("url", "must not have '.' or '..' path segments"));
      }
    }
    List<FieldError> errors = new ArrayList<>();
    for (String name : UrlPlaceholders.names(template)) {
      if (!properties.contains(name)) {
        errors.add(new FieldError("url", "placeholder {" + name + "} is not a property of parameters"));
      }
    }
    return errors;
  }
}
