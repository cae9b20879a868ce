package dev.saturn.workflows.common;

import io.temporal.api.common.v1.Payload;
import io.temporal.common.context.ContextPropagator;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Carries the request's logging context (request_id, company_id, agent_id, turn_id) from the API
 * through Temporal headers into workflows and activities, so their log lines (and spans) name the
 * request, tenant and turn.
 */
public class LoggingContextPropagator implements ContextPropagator {

  public static final List<String> KEYS = List.of("request_id", "company_id", "agent_id", "turn_id");

  @Override
  public String getName() {
    return "saturn-logging-context";
  }

  @Override
  public Map<String, Payload> serializeContext(Object context) {
    @SuppressWarnings("unchecked")
    Map<String, String> values = (Map<String, String>) context;
    Map<String, Payload> headers = new HashMap<>();
    values.forEach((key, value) -> headers.put(key, DefaultDataConverter.STANDARD_INSTANCE.toPayload(value).orElseThrow()));
    return headers;
  }

  @Override
  public Object deserializeContext(Map<String, Payload> headers) {
    Map<String, String> values = new HashMap<>();
    for (String key : KEYS) {
      Payload payload = headers.get(key);
      if (payload != null) {
        values.put(key, DefaultDataConverter.STANDARD_INSTANCE.fromPayload(payload, String.class, String.class));
      }
    }
    return values;
  }

  @Override
  public Object getCurrentContext() {
    Map<String, String> values = new HashMap<>();
    for (String key : KEYS) {
      String value = MDC.get(key);
      if (value != null) {
        values.put(key, value);
      }
    }
    return values;
  }

  @Override
  public void setCurrentContext(Object context) {
    @SuppressWarnings("unchecked")
    Map<String, String> values = (Map<String, String>) context;
    // Worker threads are pooled: clear what a previous task left before taking this one's values.
    KEYS.forEach(MDC::remove);
    values.forEach(MDC::put);
  }
}
