package dev.saturn.api.ratelimit;

import dev.saturn.api.web.ApiException;
import dev.saturn.db.common.CompanyId;
import dev.saturn.workflows.common.ErrorCode;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.stereotype.Component;

/**
 * Per-company ceilings on what holds a server resource for long: chat requests waiting for their
 * turn's answer (a request thread each, up to {@code saturn.chat.result-wait}) and open event
 * streams. One company cannot take every thread or connection from the others; beyond its ceiling
 * it gets 429 {@code RATE_LIMITED}. The ceilings come from the company's plan
 * ({@code concurrent_chat_requests}, {@code concurrent_event_streams}) or the server's defaults.
 */
@Component
public class CompanyConcurrency {

  /** What is counted. */
  public enum Kind {
    CHAT_REQUESTS("chat requests waiting for an answer"),
    EVENT_STREAMS("open event streams");

    private final String what;

    Kind(String what) {
      this.what = what;
    }
  }

  /** Held while the resource is in use; closing it more than once releases once. */
  public interface Permit extends AutoCloseable {
    @Override
    void close();
  }

  private final RateLimiter limiter;
  private final RateLimitProperties properties;
  private final ConcurrentMap<String, Integer> inUse = new ConcurrentHashMap<>();

  CompanyConcurrency(RateLimiter limiter, RateLimitProperties properties) {
    this.limiter = limiter;
    this.properties = properties;
  }

  /** @throws ApiException 429 RATE_LIMITED when the company is at its ceiling for this kind */
  public Permit acquire(CompanyId company, Kind kind) {
    if (!properties.enabled()) {
      return () -> {};
    }
    long ceiling = limiter.limits(company).concurrent(kind);
    String key = kind.name() + ":" + company.value();
    boolean[] admitted = {false};
    inUse.compute(key, (k, count) -> {
      int current = count == null ? 0 : count;
      if (ceiling > 0 && current >= ceiling) {
        return count;
      }
      admitted[0] = true;
      return current + 1;
    });
    if (!admitted[0]) {
      throw ApiException.of(ErrorCode.RATE_LIMITED,
              "This company already has " + ceiling + " " + kind.what + ", its ceiling; retry after 1 s")
          .withHeader("Retry-After", "1");
    }
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        inUse.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
      }
    };
  }

  /** How many of this kind the company holds now (for tests and metrics). */
  public int inUse(CompanyId company, Kind kind) {
    return inUse.getOrDefault(kind.name() + ":" + company.value(), 0);
  }
}
