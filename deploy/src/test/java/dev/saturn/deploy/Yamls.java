package dev.saturn.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** YAML as Compose and Helm read it: YAML 1.1 with merge keys ({@code <<: *anchor}), several documents. */
final class Yamls {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Yamls() {}

  private static Yaml yaml() {
    return new Yaml(new SafeConstructor(new LoaderOptions()));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(String text) {
    return (Map<String, Object>) yaml().load(text);
  }

  /** Every non-empty document, e.g. of {@code helm template}'s output. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> documents(String text) {
    List<Map<String, Object>> documents = new ArrayList<>();
    for (Object document : yaml().loadAll(text)) {
      if (document != null) {
        documents.add((Map<String, Object>) document);
      }
    }
    return documents;
  }

  static JsonNode tree(Object yaml) {
    return JSON.valueToTree(yaml);
  }

  static String json(Object yaml) {
    return JSON.writeValueAsString(yaml);
  }

  /** The value at a path of map keys, or null where the path ends early. */
  @SuppressWarnings("unchecked")
  static <T> T at(Object node, String... keys) {
    Object current = node;
    for (String key : keys) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(key);
    }
    return (T) current;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Object node, String... keys) {
    Object value = at(node, keys);
    return value == null ? List.of() : (List<Map<String, Object>>) value;
  }

  static String string(Object node, String... keys) {
    return Objects.toString(at(node, keys), null);
  }
}
