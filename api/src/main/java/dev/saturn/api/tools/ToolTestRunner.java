package dev.saturn.api.tools;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.tools.ToolRow;

/**
 * Runs a tool once with the executor of its kind, outside any turn. The composition root provides
 * it (the executors live in the activities module); {@link ToolTests} adds the lookup and the audit.
 */
public interface ToolTestRunner {

  /**
   * @param status {@code invalid} (the arguments failed the tool's schema), {@code ok}, {@code failed} or
   *     {@code refused} (never sent, e.g. by the SSRF guard)
   */
  record Outcome(String status, Integer httpStatus, String body, String failure, long durationMs) {}

  Outcome run(CompanyId company, ToolRow tool, String argumentsJson);
}
