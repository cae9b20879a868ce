package dev.saturn.app.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Takes the text of failures off spans before they leave the process: an exception's message and
 * stack trace (on the events Temporal's interceptors and the HTTP server spans record) and a
 * status's description. A failure's message may quote the prompt, a tool's arguments or a model
 * server's answer, which no span may carry unless {@code saturn.tracing.capture-content} is on.
 * What failed stays: the status code, {@code exception.type} and the spans' {@code error.type}.
 * The full failure is in the log line, which passes the log redaction.
 */
final class FailureTextFilter implements SpanExporter {

  /** Event attributes that name a failure without quoting it; every other one is dropped. */
  static final Set<String> KEPT_EVENT_ATTRIBUTES = Set.of("exception.type", "exception.escaped", "error.kind", "event");

  private final SpanExporter delegate;

  FailureTextFilter(SpanExporter delegate) {
    this.delegate = delegate;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    return delegate.export(spans.stream().map(FailureTextFilter::withoutFailureText).toList());
  }

  static SpanData withoutFailureText(SpanData span) {
    boolean describedStatus = !span.getStatus().getDescription().isEmpty();
    boolean eventAttributes = span.getEvents().stream().anyMatch(FailureTextFilter::hasDroppedAttributes);
    if (!describedStatus && !eventAttributes) {
      return span;
    }
    StatusData status = StatusData.create(span.getStatus().getStatusCode(), "");
    List<EventData> events = span.getEvents().stream().map(FailureTextFilter::kept).toList();
    return new DelegatingSpanData(span) {
      @Override
      public StatusData getStatus() {
        return status;
      }

      @Override
      public List<EventData> getEvents() {
        return events;
      }
    };
  }

  private static boolean hasDroppedAttributes(EventData event) {
    return event.getAttributes().asMap().keySet().stream().anyMatch(key -> !KEPT_EVENT_ATTRIBUTES.contains(key.getKey()));
  }

  private static EventData kept(EventData event) {
    if (!hasDroppedAttributes(event)) {
      return event;
    }
    AttributesBuilder kept = Attributes.builder();
    event.getAttributes().forEach((key, value) -> {
      if (KEPT_EVENT_ATTRIBUTES.contains(key.getKey())) {
        @SuppressWarnings("unchecked")
        AttributeKey<Object> same = (AttributeKey<Object>) key;
        kept.put(same, value);
      }
    });
    Attributes attributes = kept.build();
    return EventData.create(event.getEpochNanos(), event.getName(), attributes, attributes.size());
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "FailureTextFilter{" + delegate + "}";
  }
}
