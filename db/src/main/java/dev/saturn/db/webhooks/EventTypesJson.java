package dev.saturn.db.webhooks;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code webhook_endpoints.event_types}: a JSON array of event wire names, which need no escaping. */
final class EventTypesJson {

  private static final Pattern NAME = Pattern.compile("[a-z0-9_.]+");
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

  private EventTypesJson() {}

  static String write(List<String> names) {
    StringBuilder json = new StringBuilder("[");
    for (String name : names) {
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("not an event type name: " + name);
      }
      json.append(json.length() > 1 ? "," : "").append('"').append(name).append('"');
    }
    return json.append(']').toString();
  }

  static List<String> read(String json) {
    List<String> names = new ArrayList<>();
    Matcher m = QUOTED.matcher(json == null ? "" : json);
    while (m.find()) {
      names.add(m.group(1));
    }
    return List.copyOf(names);
  }
}
