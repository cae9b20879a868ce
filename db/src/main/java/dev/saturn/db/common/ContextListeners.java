package dev.saturn.db.common;

import java.util.List;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Beans told of something after a commit. They are looked up through their provider (so a listener
 * may depend on the bean that tells it) until the context has made every singleton, then kept: the
 * lookup on each event (bean names, qualifiers, ordering) was ~8 % of a plain turn's JVM CPU
 * (docs/benchmarks.md). The owner calls {@link #resolve} from its
 * {@code SmartInitializingSingleton.afterSingletonsInstantiated}; no listener bean is added after that.
 */
public final class ContextListeners<T> {

  private final ObjectProvider<T> provider;
  private volatile List<T> resolved;

  public ContextListeners(ObjectProvider<T> provider) {
    this.provider = provider;
  }

  /** Every listener bean exists now: the ordered list is fixed from here on. */
  public void resolve() {
    resolved = provider.orderedStream().toList();
  }

  /** The listeners in their order: the kept list, or a lookup before {@link #resolve}. */
  public List<T> all() {
    List<T> kept = resolved;
    return kept != null ? kept : provider.orderedStream().toList();
  }
}
