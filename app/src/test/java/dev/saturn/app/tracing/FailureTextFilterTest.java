package dev.saturn.app.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.opentracingshim.OpenTracingShim;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentracing.Tracer;
import io.temporal.failure.ApplicationFailure;
import io.temporal.opentracing.OpenTracingOptions;
import io.temporal.opentracing.internal.SpanFactory;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FailureTextFilterTest {

  static final String WORDS = "what is the weather in Trondheim";

  final List<SpanData> exported = new CopyOnWriteArrayList<>();
  final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(new FailureTextFilter(new Capture(exported))))
      .build();
  final OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();

  @AfterEach
  void close() {
    openTelemetry.close();
  }

  @Test
  void givenAFailedTemporalActivitySpan_whenExported_itShouldNameTheFailureWithoutItsMessageOrStackTrace() {
    // Exactly what Temporal's interceptors do with a failed activity, through OpenTelemetry's shim.
    Tracer tracer = OpenTracingShim.createTracerShim(openTelemetry);
    SpanFactory temporal = new SpanFactory(OpenTracingOptions.newBuilder().setTracer(tracer).build());
    io.opentracing.Span span = tracer.buildSpan("RunActivity:Generate").start();
    temporal.logFail(span, ApplicationFailure.newFailure("provider said: " + WORDS, "LLM_PROVIDER_ERROR"));
    span.finish();

    SpanData data = single();
    assertThat(data.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(data.getEvents()).isNotEmpty().allSatisfy(event -> assertThat(event.getAttributes().asMap().keySet())
        .extracting(AttributeKey::getKey).allMatch(FailureTextFilter.KEPT_EVENT_ATTRIBUTES::contains));
    assertThat(data.getEvents()).extracting(e -> e.getAttributes().get(AttributeKey.stringKey("exception.type")))
        .contains(ApplicationFailure.class.getName());
    assertThat(data.toString()).doesNotContain(WORDS).doesNotContain("provider said");
  }

  @Test
  void givenASpanThatRecordedAnExceptionWithADescribedStatus_whenExported_itShouldKeepOnlyTheCodeAndTheType() {
    Span span = openTelemetry.getTracer("test").spanBuilder("http post /v1/agents/{agentId}/chat").startSpan();
    span.recordException(new IllegalArgumentException(WORDS));
    span.setStatus(StatusCode.ERROR, WORDS);
    span.setAttribute("error.type", "VALIDATION_FAILED");
    span.end();

    SpanData data = single();
    assertThat(data.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(data.getStatus().getDescription()).isEmpty();
    assertThat(data.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("VALIDATION_FAILED");
    EventData event = data.getEvents().get(0);
    assertThat(event.getName()).isEqualTo("exception");
    assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.type"))).isEqualTo(IllegalArgumentException.class.getName());
    assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.message"))).isNull();
    assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.stacktrace"))).isNull();
    assertThat(data.toString()).doesNotContain(WORDS);
  }

  @Test
  void givenASpanWithoutFailureText_whenExported_itShouldPassItUnchanged() {
    Span span = openTelemetry.getTracer("test").spanBuilder("chat m").startSpan();
    span.addEvent("retry");
    span.end();

    SpanData data = single();
    assertThat(data).as("exported as the SDK made it").isNotInstanceOf(DelegatingSpanData.class);
    assertThat(data.getEvents()).extracting(EventData::getName).containsExactly("retry");
  }

  private SpanData single() {
    assertThat(exported).hasSize(1);
    return exported.get(0);
  }

  /** Keeps what it is sent. */
  record Capture(List<SpanData> spans) implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans.addAll(batch);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
