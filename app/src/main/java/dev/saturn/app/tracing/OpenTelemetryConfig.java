package dev.saturn.app.tracing;

import dev.saturn.activities.tracing.TracingProperties;
import io.micrometer.tracing.otel.bridge.Slf4JEventListener;
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
 * OpenTracing interceptors over the same SDK): which spans are kept, the ids in log lines, the
 * request's ids on every span, and no failure text on exported spans.
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
