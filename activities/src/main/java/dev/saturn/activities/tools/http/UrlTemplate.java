package dev.saturn.activities.tools.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.saturn.workflows.tools.UrlPlaceholders;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;

/**
 * Fills a tool's URL template with the call's arguments. The registry only accepts placeholders
 * in the path and query, so the model never chooses scheme, host or port; each value is
 * percent-encoded for where it stands (a query value cannot add a parameter). A path value is
 * refused, not encoded, when a server could still read it as another path: when it holds
 * {@code /} or {@code \} (also percent-encoded, at any depth: servers and proxies that decode
 * {@code %2F} would see a new segment) or makes its segment {@code .} or {@code ..}. So the
 * request never leaves the path the template gives.
 */
final class UrlTemplate {

  private UrlTemplate() {}

  /** A path value that would leave the template's path; the message is for the model. */
  static final class UnsafePathValue extends IllegalArgumentException {
    UnsafePathValue(String message) {
      super(message);
    }
  }

  /** @throws UnsafePathValue when a path value would leave the template's path */
  static URI expand(String template, JsonNode arguments) {
    int query = template.indexOf('?');
    String path = query < 0 ? template : template.substring(0, query);
    String rest = query < 0 ? "" : template.substring(query);
    return URI.create(fillPath(path, arguments) + fill(rest, arguments, false));
  }

  /** Why the arguments cannot fill the template's path, or null when they can. */
  static String problems(String template, JsonNode arguments) {
    try {
      expand(template, arguments);
      return null;
    } catch (UnsafePathValue e) {
      return e.getMessage();
    } catch (IllegalArgumentException e) {
      return null; // not the arguments' fault: the executor reports a URL that cannot be built
    }
  }

  /** Fills segment by segment, so that a filled segment can be checked as the server will read it. */
  private static String fillPath(String path, JsonNode arguments) {
    int authority = path.indexOf("//");
    int pathStart = path.indexOf('/', authority < 0 ? 0 : authority + 2);
    if (pathStart < 0) {
      return path;
    }
    StringBuilder out = new StringBuilder(path.substring(0, pathStart));
    for (String segment : path.substring(pathStart + 1).split("/", -1)) {
      String filled = fill(segment, arguments, true);
      if (UrlPlaceholders.PATTERN.matcher(segment).find() && UrlPlaceholders.isDotSegment(filled)) {
        throw new UnsafePathValue("the arguments would make the path segment '" + segment
            + "' read as '.' or '..', which leaves the tool's path; give a name, not a relative path");
      }
      out.append('/').append(filled);
    }
    return out.toString();
  }

  private static String fill(String part, JsonNode arguments, boolean inPath) {
    Matcher m = UrlPlaceholders.PATTERN.matcher(part);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = text(arguments.get(m.group(1)));
      if (inPath) {
        String decoded = UrlPlaceholders.decode(value);
        if (decoded.indexOf('/') >= 0 || decoded.indexOf('\\') >= 0) {
          throw new UnsafePathValue("argument '" + m.group(1) + "' fills a path segment and must not contain '/' or '\\' "
              + "(nor their percent-encodings); give one segment");
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(encode(value)));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Percent-encodes everything but RFC 3986 unreserved characters; valid in a path segment and a query value. */
  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
  }

  static String text(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "";
    }
    return value.isValueNode() ? value.asText() : value.toString();
  }
}
