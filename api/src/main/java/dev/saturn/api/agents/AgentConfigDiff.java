package dev.saturn.api.agents;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Two agent config documents compared member by member (nested members as {@code kb.top_k}), for the
 * console's versions view. A config is a small, flat-ish JSON object, so comparing its members says
 * more than a line diff of its text would.
 */
final class AgentConfigDiff {

  private AgentConfigDiff() {}

  /** One member: its value in each version ({@code null}: absent) and whether they differ. */
  record Row(String field, String left, String right, boolean changed) {}

  static List<Row> compare(JsonNode left, JsonNode right) {
    Map<String, String> was = flatten(left);
    Map<String, String> now = flatten(right);
    Set<String> fields = new LinkedHashSet<>(was.keySet());
    fields.addAll(now.keySet());
    List<Row> rows = new ArrayList<>();
    for (String field : fields) {
      String a = was.get(field);
      String b = now.get(field);
      rows.add(new Row(field, a, b, a == null ? b != null : !a.equals(b)));
    }
    return rows;
  }

  /** Member paths to their values as text (strings unquoted, arrays and other values as JSON). */
  static Map<String, String> flatten(JsonNode config) {
    Map<String, String> out = new LinkedHashMap<>();
    flatten("", config, out);
    return out;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    if (node != null && node.isObject() && (prefix.isEmpty() || !node.isEmpty())) {
      for (Map.Entry<String, JsonNode> member : node.properties()) {
        flatten(prefix.isEmpty() ? member.getKey() : prefix + "." + member.getKey(), member.getValue(), out);
      }
    } else if (node != null && !node.isMissingNode()) {
      out.put(prefix, node.isString() ? node.asString() : node.toString());
    }
  }
}
