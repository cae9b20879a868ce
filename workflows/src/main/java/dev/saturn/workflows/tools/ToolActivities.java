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
   * Runs the HTTP call (SSRF-guarded, secrets resolved now, timeout, size cap) and stores what the
   * tool answered, errors included, as the call's tool message before it returns; returns a
   * reference. A call whose result is already stored is not run again. Failures a retry can fix
   * are thrown retryable only for idempotent tools. Records nothing else: see {@link #recordToolCall}.
   */
  @ActivityMethod
  ToolCallRef runToolCall(ToolCallInput input);

  /**
   * Stores an outcome as the call's tool message and its {@code tool_call_result} event. The
   * first result stored for a call wins: the returned reference describes the stored row.
   */
  @ActivityMethod
  ToolCallRef storeToolOutcome(ToolOutcomeInput input);

  /** The usage event, audit row and executed event of a call that ran; its result (and result event) is already stored. */
  @ActivityMethod
  void recordToolCall(ToolCallRecord input);

  /**
   * Runs the call and records it, returning the result itself. Only for turns started before
   * results travelled by reference ({@code ChatTurnWorkflowImpl.RESULTS_BY_REFERENCE}).
   */
  @ActivityMethod
  ToolOutcome executeToolCall(ToolCallInput input);

  /** Marks a pending approval approved, denied or timed out, and writes its event. */
  @ActivityMethod
  void closeApproval(ApprovalClosure input);

  /**
   * Stores the step's tool-result messages and events, results inline. Only for turns started
   * before results travelled by reference.
   */
  @ActivityMethod
  void saveToolResults(ToolResultsInput input);
}
