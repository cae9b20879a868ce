package dev.saturn.api.web;

import org.slf4j.MDC;

/**
 * Tenant and agent for log lines. Authentication and routing code call the setters once they know
 * the values; {@link RequestIdFilter} clears them when the request ends, so a pooled thread never
 * logs under the previous tenant.
 */
public final class RequestContext {

  public static final String COMPANY_MDC_KEY = "company_id";
  public static final String AGENT_MDC_KEY = "agent_id";

  private RequestContext() {}

  /** {@code null} removes the value. */
  public static void setCompany(String companyId) {
    put(COMPANY_MDC_KEY, companyId);
  }

  /** {@code null} removes the value. */
  public static void setAgent(String agentId) {
    put(AGENT_MDC_KEY, agentId);
  }

  public static void clear() {
    MDC.remove(COMPANY_MDC_KEY);
    MDC.remove(AGENT_MDC_KEY);
  }

  private static void put(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
