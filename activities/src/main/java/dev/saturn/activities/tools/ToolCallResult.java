package dev.saturn.activities.tools;

import java.util.Locale;

/**
 * How one attempt of a call went, as the executor saw it; the tool activities redact it, turn it
 * into the outcome the model reads and record it.
 *
 * @param httpStatus the status the tool answered with, 0 when it did not answer (or its protocol
 *     has none); a call with an answer is billed
 * @param body what the tool answered (also for a failure, for an excerpt), or null
 * @param failure why the call failed when it is not just the status (refused target, timeout,
 *     too large, the tool's own error message), or null
 * @param transientFailure another attempt may succeed (no answer, 429, 5xx); retried only for
 *     idempotent tools
 */
public record ToolCallResult(
    Status status, int httpStatus, String body, String failure, boolean transientFailure, long durationMs) {

  /** As recorded in audit rows, events and the stored result's {@code execution.status}. */
  public enum Status {
    /** The tool answered with success. */
    OK,
    /** The tool answered with an error, or did not answer. */
    FAILED,
    /** Never sent: the target or the request was refused before any connection. */
    REFUSED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public boolean ok() {
    return status == Status.OK;
  }
}
