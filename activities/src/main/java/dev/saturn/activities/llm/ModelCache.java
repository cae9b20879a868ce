package dev.saturn.activities.llm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The models built for company endpoints, least recently used dropped first: building one costs an
 * HTTP client, and a busy company calls the same endpoint turn after turn.
 */
final class ModelCache<M> {

  private final Map<ProviderEndpoint, M> models;
  private final Function<ProviderEndpoint, M> build;

  ModelCache(int capacity, Function<ProviderEndpoint, M> build) {
    this.build = build;
    this.models = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<ProviderEndpoint, M> eldest) {
        return size() > capacity;
      }
    };
  }

  synchronized M get(ProviderEndpoint endpoint) {
    return models.computeIfAbsent(endpoint, build);
  }
}
