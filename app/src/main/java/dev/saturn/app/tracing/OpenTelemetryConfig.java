package dev.saturn.app.tracing;

import dev.saturn.activities.tracing.TracingProperties;
import io.micrometer.tracing.otel.bridge.Slf4JEventListener;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.opentracingshim.OpenTracingShim;
import io.opentracing.Tracer;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanExporters;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * SATURN's choices on top of Spring Boot's OpenTelemetry set-up (SDK, OTLP exporter from
 * {@link OtlpSettings}, Micrometer's bridge for HTTP server spans; the Temporal starter adds its
 * OpenTracing interceptors over the same SDK when exporting): which spans are kept, the ids in log
 * lines, the request's ids on every span, and no failure text on exported spans.
 */
@Configuration(proxyBeanMethods = false)
public class OpenTelemetryConfig {

  private static final Logger log = LoggerFactory.getLogger(OpenTelemetryConfig.class);

  /**
   * {@code OTEL_TRACES_SAMPLER} / {@code OTEL_TRACES_SAMPLER_ARG} as the OpenTelemetry SDK reads them,
   * default {@code parentbased_always_on}: a turn is traced whole or not at all. Nothing is sampled
   * when there is no endpoint, so spans cost next to nothing (their ids still reach the logs).
   */
  @Bean
  public Sampler saturnSampler(Environment environment) {
    if (!OtlpSettings.exporting(environment)) {
      log.info("Tracing: no OTEL_EXPORTER_OTLP_ENDPOINT, spans are not recorded or exported");
      return Sampler.alwaysOff();
    }
    Sampler sampler = sampler(environment.getProperty("OTEL_TRACES_SAMPLER"), environment.getProperty("OTEL_TRACES_SAMPLER_ARG"));
    log.info("Tracing: exporting spans to {}, sampler {}",
        environment.getProperty(OtlpSettings.PREFIX + "endpoint"), sampler.getDescription());
    return sampler;
  }

  /**
   * The OpenTracing tracer the Temporal starter builds its client and worker interceptors on (in place
   * of its {@code OpenTracingAutoConfiguration}'s, the same shim over the same SDK), or none when
   * nothing is exported: the starter then adds no interceptor, and no workflow start, workflow task or
   * activity builds a span and writes its context into Temporal headers only for the spans to be
   * dropped (about 3 % of the JVM's CPU per chat turn, docs/benchmarks.md). Log lines of the worker
   * side then carry the turn's {@code request_id}, {@code turn_id} and {@code workflow_id}, but not the
   * HTTP request's {@code trace_id}.
   */
  @Bean
  public Tracer saturnTemporalTracer(Environment environment, OpenTelemetry openTelemetry) {
    return temporalTracer(OtlpSettings.exporting(environment), openTelemetry);
  }

  /** Null (no Temporal interceptors) unless spans are exported. */
  static Tracer temporalTracer(boolean exporting, OpenTelemetry openTelemetry) {
    return exporting ? OpenTracingShim.createTracerShim(openTelemetry) : null;
  }

  static Sampler sampler(String name, String argument) {
    String sampler = name == null || name.isBlank() ? "parentbased_always_on" : name.strip().toLowerCase(Locale.ROOT);
    return switch (sampler) {
      case "always_on" -> Sampler.alwaysOn();
      case "always_off" -> Sampler.alwaysOff();
      case "traceidratio" -> Sampler.traceIdRatioBased(ratio(argument));
      case "parentbased_always_on" -> Sampler.parentBased(Sampler.alwaysOn());
      case "parentbased_always_off" -> Sampler.parentBased(Sampler.alwaysOff());
      case "parentbased_traceidratio" -> Sampler.parentBased(Sampler.traceIdRatioBased(ratio(argument)));
      default -> throw new IllegalArgumentException("OTEL_TRACES_SAMPLER=" + name + " is not supported: use always_on, "
          + "always_off, traceidratio, parentbased_always_on (the default), parentbased_always_off or parentbased_traceidratio");
    };
  }

  private static double ratio(String argument) {
    if (argument == null || argument.isBlank()) {
      return 1.0;
    }
    try {
      double ratio = Double.parseDouble(argument.strip());
      if (ratio >= 0 && ratio <= 1) {
        return ratio;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("OTEL_TRACES_SAMPLER_ARG=" + argument + " is not a ratio between 0 and 1");
  }

  /** {@code trace_id} and {@code span_id} in the MDC (Boot's default names them traceId/spanId), as the log fields are snake_case. */
  @Bean
  public Slf4JEventListener saturnSlf4JEventListener() {
    return new Slf4JEventListener("trace_id", "span_id");
  }

  @Bean
  public SpanProcessor loggingContextSpanAttributes() {
    return new LoggingContextSpanAttributes();
  }

  /** The exporters Boot's span processor sends to (in place of Boot's list): each behind {@link FailureTextFilter} unless content capture is on. */
  @Bean
  public SpanExporters saturnSpanExporters(ObjectProvider<SpanExporter> exporters, TracingProperties tracing) {
    if (tracing.captureContent()) {
      return SpanExporters.of(exporters.orderedStream().toList());
    }
    return SpanExporters.of(exporters.orderedStream().<SpanExporter>map(FailureTextFilter::new).toList());
  }
}
