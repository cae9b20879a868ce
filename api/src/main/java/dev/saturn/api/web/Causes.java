package dev.saturn.api.web;

import java.util.IdentityHashMap;
import java.util.Map;

/** Frameworks wrap what we care about; the advice looks through the wrapping. */
final class Causes {

  private Causes() {}

  /** The outermost throwable of {@code type} in {@code top}'s cause chain, itself included. */
  static <T extends Throwable> T find(Throwable top, Class<T> type) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = top; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
