package dev.saturn.api.web;

import io.micrometer.common.KeyValue;
import org.slf4j.MDC;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Tenant, agent and turn for log lines and traces. Authentication and routing code call the setters
 * once they know the values; {@link RequestIdFilter} clears them when the request ends, so a pooled
 * thread never logs under the previous tenant. Each value also goes on the request's HTTP server
 * span as {@code saturn.<key>} (a high-cardinality value: spans only, never a metric tag).
 */
public final class RequestContext {

  public static final String COMPANY_MDC_KEY = "company_id";
  public static final String AGENT_MDC_KEY = "agent_id";
  public static final String TURN_MDC_KEY = "turn_id";

  private RequestContext() {}

  /** {@code null} removes the value. */
  public static void setCompany(String companyId) {
    put(COMPANY_MDC_KEY, companyId);
  }

  /** {@code null} removes the value. */
  public static void setAgent(String agentId) {
    put(AGENT_MDC_KEY, agentId);
  }

  /** {@code null} removes the value. */
  public static void setTurn(String turnId) {
    put(TURN_MDC_KEY, turnId);
  }

  public static void clear() {
    MDC.remove(COMPANY_MDC_KEY);
    MDC.remove(AGENT_MDC_KEY);
    MDC.remove(TURN_MDC_KEY);
  }

  private static void put(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
      tagServerSpan(key, value);
    }
  }

  /**
   * On the HTTP server observation itself: the current span may be one of Spring Security's inside
   * it. Spans started later get the values from the MDC.
   */
  private static void tagServerSpan(String key, String value) {
    if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
      ServerHttpObservationFilter.findObservationContext(attributes.getRequest())
          .ifPresent(context -> context.addHighCardinalityKeyValue(KeyValue.of("saturn." + key, value)));
    }
  }
}
