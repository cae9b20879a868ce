package dev.saturn.activities.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.saturn.workflows.tools.UrlPlaceholders;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;

/**
 * Fills a tool's URL template with the call's arguments. The registry only accepts placeholders
 * in the path and query, so the model never chooses scheme, host or port; each value is
 * percent-encoded for where it stands (a path value cannot add a segment, a query value cannot add
 * a parameter).
 */
final class UrlTemplate {

  private UrlTemplate() {}

  static URI expand(String template, JsonNode arguments) {
    int query = template.indexOf('?');
    String path = query < 0 ? template : template.substring(0, query);
    String rest = query < 0 ? "" : template.substring(query);
    String url = fill(path, arguments, true) + fill(rest, arguments, false);
    return URI.create(url);
  }

  private static String fill(String part, JsonNode arguments, boolean inPath) {
    Matcher m = UrlPlaceholders.PATTERN.matcher(part);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = text(arguments.get(m.group(1)));
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
