package dev.saturn.workflows.tools;

/**
 * How a call that was sent to its tool went, for its usage event, audit row and events.
 *
 * @param status ok, failed (the tool answered non-2xx or did not answer) or refused (never sent:
 *     SSRF guard, bad URL)
 * @param httpStatus the tool's HTTP status, 0 when it did not answer
 * @param attempt the activity attempt that ran it
 */
public record ToolExecution(String toolId, String method, String status, int httpStatus, long durationMs, int attempt) {

  /** The tool answered at all, so the call is billed. */
  public boolean answered() {
    return httpStatus > 0;
  }
}
