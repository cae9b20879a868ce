package dev.saturn.app.tracing;

import dev.saturn.workflows.common.LoggingContextPropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.List;
import org.slf4j.MDC;

/**
 * Every span started while a request's or a turn's logging context is set carries its ids:
 * {@code saturn.request_id}, {@code saturn.company_id}, {@code saturn.agent_id}, {@code saturn.turn_id}.
 * The MDC is the one source: the API sets it per request and {@link LoggingContextPropagator} carries
 * it through Temporal into workflow and activity threads, so spans and log lines name the same ids.
 */
final class LoggingContextSpanAttributes implements SpanProcessor {

  private static final List<String> KEYS = LoggingContextPropagator.KEYS;
  private static final List<AttributeKey<String>> ATTRIBUTES =
      KEYS.stream().map(key -> AttributeKey.stringKey("saturn." + key)).toList();

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    for (int i = 0; i < KEYS.size(); i++) {
      String value = MDC.get(KEYS.get(i));
      if (value != null) {
        span.setAttribute(ATTRIBUTES.get(i), value);
      }
    }
  }

  @Override
  public boolean isStartRequired() {
    return true;
  }

  @Override
  public void onEnd(ReadableSpan span) {}

  @Override
  public boolean isEndRequired() {
    return false;
  }
}
