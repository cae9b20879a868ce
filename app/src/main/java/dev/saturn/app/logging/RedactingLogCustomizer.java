package dev.saturn.app.logging;

import dev.saturn.workflows.common.Redaction;
import org.springframework.boot.json.JsonWriter;
import org.springframework.boot.logging.structured.StructuredLoggingJsonMembersCustomizer;

/**
 * Applies SATURN's redaction policy to every string value of every structured log line (message,
 * MDC values, stack traces), so a credential that reaches a log statement by mistake is masked.
 * Configured by {@code logging.structured.json.customizer}.
 */
public class RedactingLogCustomizer implements StructuredLoggingJsonMembersCustomizer<Object> {

  @Override
  public void customize(JsonWriter.Members<Object> members) {
    members.applyingValueProcessor(JsonWriter.ValueProcessor.of(String.class, Redaction::redactText));
  }
}
