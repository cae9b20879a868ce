package dev.saturn.activities.tracing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What SATURN's own spans may carry, bound from {@code saturn.tracing.*}. Where spans go and how
 * many are kept is OpenTelemetry's standard configuration ({@code OTEL_EXPORTER_OTLP_ENDPOINT},
 * {@code OTEL_TRACES_SAMPLER}, ...), read by the app.
 *
 * @param captureContent put prompts, answers, tool arguments and tool results (redacted) on the
 *     GenAI spans, as the GenAI conventions' opt-in attributes; off by default, because spans leave
 *     the process for a collector that may keep them far longer than the database does
 */
@ConfigurationProperties("saturn.tracing")
public record TracingProperties(@DefaultValue("false") boolean captureContent) {}
