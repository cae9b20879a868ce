package dev.saturn.activities.llm;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/** The providers by name, as agents select them. */
@Component
public class ChatProviders {

  private final Map<String, ChatProvider> byName;

  public ChatProviders(List<ChatProvider> providers) {
    Map<String, ChatProvider> map = new TreeMap<>();
    for (ChatProvider provider : providers) {
      ChatProvider previous = map.put(normalize(provider.name()), provider);
      if (previous != null) {
        throw new IllegalStateException("Two chat providers are named '" + provider.name() + "'");
      }
    }
    this.byName = Collections.unmodifiableMap(map);
  }

  /**
   * The provider an agent names.
   *
   * @throws io.temporal.failure.ApplicationFailure of type {@code VALIDATION_FAILED}, not
   *     retryable: no retry makes an unknown provider known
   */
  public ChatProvider get(String name) {
    ChatProvider provider = name == null ? null : byName.get(normalize(name));
    if (provider == null) {
      throw LlmFailures.validation(
          "Unknown LLM provider '" + name + "'; available: " + String.join(", ", byName.keySet()));
    }
    return provider;
  }

  /** The registered names, sorted. */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  private static String normalize(String name) {
    return name.strip().toLowerCase(Locale.ROOT);
  }
}
