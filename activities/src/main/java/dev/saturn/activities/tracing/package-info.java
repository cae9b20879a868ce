/**
 * SATURN's own spans: model calls and tool calls after the OpenTelemetry GenAI conventions
 * ({@link dev.saturn.activities.tracing.GenAiSpans}) and the outbound HTTP requests under them
 * ({@link dev.saturn.activities.tracing.HttpClientSpans}), which carry the trace to the model and
 * tool servers in {@code traceparent}. Only the OpenTelemetry API is used here; without an SDK (tests,
 * tracing off) every span is a no-op.
 */
package dev.saturn.activities.tracing;
