package dev.saturn.api.health;

import java.time.Duration;

/** One dependency {@code GET /ready} checks; the composition root contributes the ones it owns. */
public interface ReadinessProbe {

  /** The key of this check in the readiness body, e.g. "database" or "temporal". */
  String name();

  boolean isReady(Duration timeout);
}
