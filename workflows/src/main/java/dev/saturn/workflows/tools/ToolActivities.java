package dev.saturn.workflows.tools;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Tool calls of a chat turn. Each method is idempotent, keyed by the turn and the call id: a retry
 * finds the row, message, usage event or audit row its first attempt wrote.
 */
@ActivityInterface
public interface ToolActivities {

  /**
   * Validates the arguments against the tool's JSON Schema; for a tool that requires approval,
   * records the pending approval (and its event) so people can find it.
   */
  @ActivityMethod
  ToolCheck checkToolCall(ToolCallInput input);

  /**
   * Runs the HTTP call (SSRF-guarded, secrets resolved now, timeout, size cap) and records its
   * usage event, audit row and event. Failures a retry can fix are thrown retryable only for
   * idempotent tools; what the tool answered is returned, errors included.
   */
  @ActivityMethod
  ToolOutcome executeToolCall(ToolCallInput input);

  /** Marks a pending approval approved, denied or timed out, and writes its event. */
  @ActivityMethod
  void closeApproval(ApprovalClosure input);

  /** Stores the step's tool-result messages (what the model reads next) and events for refused calls. */
  @ActivityMethod
  void saveToolResults(ToolResultsInput input);
}
