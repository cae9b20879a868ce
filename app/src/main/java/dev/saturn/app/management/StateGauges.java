package dev.saturn.app.management;

import dev.saturn.db.common.CrossTenantCounts;
import dev.saturn.db.kb.KbDocumentStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Gauges of what is waiting in the database, for every company together: {@code
 * saturn.approvals.pending} and {@code saturn.kb.documents.current{status}}. Every process reports
 * the same totals (they are read from the shared database), so dashboards take {@code max}, not
 * {@code sum}, across instances. A count is reused for {@code saturn.metrics.state-cache}; while the
 * database cannot answer the gauges read NaN.
 */
@Component
class StateGauges implements MeterBinder {

  static final String APPROVALS_PENDING = "saturn.approvals.pending";
  static final String KB_DOCUMENTS = "saturn.kb.documents.current";
  private static final List<String> KB_STATUSES = List.of(KbDocumentStatus.UPLOADED, KbDocumentStatus.INDEXING,
      KbDocumentStatus.READY, KbDocumentStatus.FAILED, KbDocumentStatus.DELETING);

  private static final Logger log = LoggerFactory.getLogger(StateGauges.class);

  private final Cached<Long> pendingApprovals;
  private final Cached<Map<String, Long>> kbDocuments;

  StateGauges(CrossTenantCounts counts, MetricsProperties properties) {
    this.pendingApprovals = new Cached<>(counts::pendingApprovals, properties.stateCache());
    this.kbDocuments = new Cached<>(counts::kbDocumentsByStatus, properties.stateCache());
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder(APPROVALS_PENDING, pendingApprovals, cached -> number(cached.get()))
        .description("Tool calls waiting for a person's decision, all companies")
        .register(registry);
    for (String status : KB_STATUSES) {
      Gauge.builder(KB_DOCUMENTS, kbDocuments, cached -> {
            Map<String, Long> byStatus = cached.get();
            return byStatus == null ? Double.NaN : byStatus.getOrDefault(status, 0L);
          })
          .tag("status", status)
          .description("Knowledge-base documents by status, all companies")
          .register(registry);
    }
  }

  private static double number(Long value) {
    return value == null ? Double.NaN : value;
  }

  /** The last value for {@code ttl}; null while the source fails. */
  static final class Cached<T> {
    private final Supplier<T> source;
    private final long ttlNanos;
    private T value;
    private long readAt;
    private boolean fresh;

    Cached(Supplier<T> source, Duration ttl) {
      this.source = source;
      this.ttlNanos = ttl.toNanos();
    }

    synchronized T get() {
      long now = System.nanoTime();
      if (!fresh || now - readAt >= ttlNanos) {
        try {
          value = source.get();
        } catch (RuntimeException e) {
          log.warn("state gauge not counted: {}", e.toString());
          value = null;
        }
        readAt = now;
        fresh = true;
      }
      return value;
    }
  }
}
