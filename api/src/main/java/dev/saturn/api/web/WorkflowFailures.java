package dev.saturn.api.web;

import dev.saturn.workflows.common.ErrorCode;
import io.temporal.failure.ApplicationFailure;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Workflows and activities report errors as {@link ApplicationFailure}s typed with an {@link
 * ErrorCode} name, wrapped by Temporal in workflow and activity failures. This finds the code so
 * the client sees TOOL_NOT_ALLOWED rather than a 500.
 */
final class WorkflowFailures {

  private WorkflowFailures() {}

  /**
   * The first failure in the chain whose type is in the registry, as an {@link ApiException}, or
   * {@code null}. Types outside the registry (a raw Java exception crossing an activity) are
   * skipped: they are bugs, and the caller reports them as INTERNAL_ERROR.
   */
  static ApiException translate(Throwable top) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = top; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
      if (t instanceof ApplicationFailure failure && inRegistry(failure.getType())) {
        ErrorCode code = ErrorCode.valueOf(failure.getType());
        // Activities write 4xx messages for the caller; a 5xx message may carry a provider's
        // internals, so those get the code's title only.
        String detail = code.httpStatus() < 500 ? failure.getOriginalMessage() : code.title();
        return ApiException.of(code, detail, top);
      }
    }
    return null;
  }

  private static boolean inRegistry(String type) {
    return type != null && ErrorCode.fromType(type).name().equals(type);
  }
}
