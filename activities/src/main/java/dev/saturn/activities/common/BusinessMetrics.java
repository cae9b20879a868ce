package dev.saturn.activities.common;

import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.usage.UsageEvent;
import dev.saturn.db.usage.UsageEventRepository;
import dev.saturn.workflows.common.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * SATURN's business metrics ({@code saturn.*}, scraped as {@code saturn_*}), each recorded where its
 * fact happens and once per fact: a fact written to the database is counted after its transaction
 * commits and only by the call that changed the row, so a retried activity or a rolled-back
 * transaction counts nothing. A failure to record never fails the caller.
 *
 * <p>No tag carries a company, agent, session, turn, user or tool id: those are unbounded and would
 * make every scrape grow with the customer base. Tags hold small fixed vocabularies (outcomes,
 * error codes, kinds) and the configured providers and models.
 */
@Component
public class BusinessMetrics implements UsageEventRepository.Listener {

  public static final String TURNS = "saturn.turns";
  public static final String TURN_DURATION = "saturn.turn.duration";
  public static final String LLM_CALL_DURATION = "saturn.llm.call.duration";
  public static final String LLM_TOKENS = "saturn.llm.tokens";
  public static final String TOOL_CALLS = "saturn.tool.calls";
  public static final String APPROVAL_WAIT = "saturn.approval.wait";
  public static final String USAGE_EVENTS = "saturn.usage.events";
  public static final String INVOICE_DRAFTS = "saturn.billing.invoice.drafts";
  public static final String BILLING_RUNS = "saturn.billing.runs";

  /** The tag value where a fact has none (a completed turn's error code). */
  public static final String NONE = "none";

  private static final Logger log = LoggerFactory.getLogger(BusinessMetrics.class);

  private static final Duration[] TURN_BUCKETS = seconds(0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600, 86_400);
  private static final Duration[] LLM_BUCKETS = seconds(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120);
  private static final Duration[] APPROVAL_BUCKETS = seconds(10, 60, 300, 900, 3600, 4 * 3600, 86_400, 7 * 86_400);

  private final MeterRegistry registry;
  private final Meters<Counter> turns;
  private final Meters<Timer> turnDuration;
  private final Meters<Timer> llmCallDuration;
  private final Meters<Counter> usageEvents;
  private final Meters<Counter> llmTokens;
  private final Meters<Counter> toolCalls;
  private final Meters<Timer> approvalWait;

  public BusinessMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.turns = new Meters<>(Counter.builder(TURNS)
        .description("Chat turns that ended, by outcome and error code").withRegistry(registry));
    this.turnDuration = new Meters<>(Timer.builder(TURN_DURATION)
        .description("From a turn's creation to its completion")
        .serviceLevelObjectives(TURN_BUCKETS).withRegistry(registry));
    this.llmCallDuration = new Meters<>(Timer.builder(LLM_CALL_DURATION)
        .description("Calls to model providers").serviceLevelObjectives(LLM_BUCKETS).withRegistry(registry));
    this.usageEvents = new Meters<>(Counter.builder(USAGE_EVENTS)
        .description("Usage events recorded for billing").withRegistry(registry));
    this.llmTokens = new Meters<>(Counter.builder(LLM_TOKENS)
        .description("Model tokens of the turns' billed model calls").withRegistry(registry));
    this.toolCalls = new Meters<>(Counter.builder(TOOL_CALLS)
        .description("Tool calls of chat turns by outcome").withRegistry(registry));
    this.approvalWait = new Meters<>(Timer.builder(APPROVAL_WAIT)
        .description("How long tool calls waited for a person's decision")
        .serviceLevelObjectives(APPROVAL_BUCKETS).withRegistry(registry));
  }

  /**
   * One meter per tag combination, kept: registering on every fact (tags sorted, id built, filters
   * applied, registry looked up) cost more than recording it, ~2 % of a plain turn's JVM CPU
   * (docs/benchmarks.md). The tag values are the small vocabularies above, so this holds what the
   * registry holds anyway.
   */
  private static final class Meters<M extends Meter> {
    private final Meter.MeterProvider<M> provider;
    private final Map<List<String>, M> byTags = new ConcurrentHashMap<>();

    Meters(Meter.MeterProvider<M> provider) {
      this.provider = provider;
    }

    /** @param keyValues tag keys and values, alternating */
    M withTags(String... keyValues) {
      return byTags.computeIfAbsent(List.of(keyValues), tags -> provider.withTags(keyValues));
    }
  }

  /** Records into a registry nobody reads: for tests and tools that keep no metrics. */
  public static BusinessMetrics discarded() {
    return new BusinessMetrics(new SimpleMeterRegistry());
  }

  /** A turn this caller just completed or failed, read back after its update; counted on commit. */
  public void turnEnded(TurnRow turn) {
    String outcome = turn.status().dbValue();
    // The registry's name, so a stray failure type cannot add a tag value.
    String errorCode = turn.errorCode() == null ? NONE : ErrorCode.fromType(turn.errorCode()).name();
    afterCommit(() -> {
      turns.withTags("outcome", outcome, "error_code", errorCode).increment();
      if (turn.createdAt() != null && turn.completedAt() != null) {
        turnDuration.withTags("outcome", outcome).record(Duration.between(turn.createdAt(), turn.completedAt()));
      }
    });
  }

  /** Times one call to a model provider (every attempt is a call); {@code outcome} is success or error. */
  public <T> T timeLlmCall(String provider, String model, Supplier<T> call) {
    long started = System.nanoTime();
    String outcome = "error";
    try {
      T result = call.get();
      outcome = "success";
      return result;
    } finally {
      long elapsed = System.nanoTime() - started;
      String finalOutcome = outcome;
      safely(() -> llmCallDuration.withTags("provider", provider, "model", tagValue(model), "outcome", finalOutcome)
          .record(Duration.ofNanos(elapsed)));
    }
  }

  /**
   * Every usage event the repository inserted (inserted, so once per idempotency key); an
   * {@code llm} event's tokens count as model tokens.
   */
  @Override
  public void recorded(UsageEvent event) {
    afterCommit(() -> {
      usageEvents.withTags("kind", event.kind()).increment();
      if ("llm".equals(event.kind())) {
        tokens(event, "input", event.inputTokens());
        tokens(event, "output", event.outputTokens());
      }
    });
  }

  private void tokens(UsageEvent event, String direction, long count) {
    llmTokens.withTags("provider", tagValue(event.provider()), "model", tagValue(event.model()), "direction", direction)
        .increment(count);
  }

  /**
   * A tool call's result, stored for the first time by this caller.
   *
   * @param toolKind the kind of tool that ran ({@code http}), or {@link #NONE} when no tool ran
   *     (not allowed, invalid arguments, denied, approval timed out, tool gone)
   * @param errorCode null for a call that succeeded
   */
  public void toolCallStored(String toolKind, String errorCode) {
    String outcome = errorCode == null ? "ok" : ErrorCode.fromType(errorCode).name();
    afterCommit(() -> toolCalls.withTags("tool_kind", toolKind, "outcome", outcome).increment());
  }

  /** A pending approval this caller closed ({@code approved}, {@code denied}, {@code timed_out}) after {@code waited}. */
  public void approvalClosed(String outcome, Duration waited) {
    afterCommit(() -> approvalWait.withTags("outcome", outcome).record(waited.isNegative() ? Duration.ZERO : waited));
  }

  /** An invoice draft computed: {@code changed}, {@code unchanged}, or {@code finalized} (refused). */
  public void invoiceDrafted(String outcome) {
    safely(() -> Counter.builder(INVOICE_DRAFTS).tag("outcome", outcome)
        .description("Invoice drafts computed").register(registry).increment());
  }

  /** A billing run fetched its first page of companies. */
  public void billingRunStarted() {
    safely(() -> Counter.builder(BILLING_RUNS).description("Billing runs started").register(registry).increment());
  }

  /** Runs when the current transaction commits (never on rollback), or now outside a transaction. */
  private static void afterCommit(Runnable record) {
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void afterCommit() {
          safely(record);
        }
      });
    } else {
      safely(record);
    }
  }

  private static void safely(Runnable record) {
    try {
      record.run();
    } catch (RuntimeException e) {
      log.warn("metric not recorded: {}", e.toString());
    }
  }

  private static String tagValue(String value) {
    return value == null || value.isBlank() ? NONE : value;
  }

  private static Duration[] seconds(double... values) {
    Duration[] durations = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      durations[i] = Duration.ofMillis(Math.round(values[i] * 1000));
    }
    return durations;
  }
}
