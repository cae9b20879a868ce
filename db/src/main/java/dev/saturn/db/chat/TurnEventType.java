package dev.saturn.db.chat;

import java.util.HashMap;
import java.util.Map;

/**
 * What can happen in a turn, as {@code turn_events.event_type} stores it and every event stream
 * (SSE, and the channels built on the API's event stream) names it. One vocabulary: writers take a
 * constant, readers get a constant, so a typo cannot start a stream of its own.
 */
public enum TurnEventType {

  /** The workflow took the turn: {@code turn_id}, {@code agent_id}, {@code agent_version}, {@code session_id}. */
  TURN_STARTED("turn.started", "turn_started"),
  /** A model call begins: {@code step}. */
  STEP_STARTED("step.started", "step_started"),
  /** Text of the answer as the model writes it: {@code step}, {@code text}. */
  MESSAGE_DELTA("message.delta", null),
  /**
   * A model call's attempt is retried after an attempt that had streamed text: drop the text of this
   * {@code step} received so far; the new attempt's deltas follow.
   */
  MESSAGE_RESET("message.reset", null),
  /** A model call ended: {@code step}, tokens, the {@code tool_calls} it asked for. */
  STEP_FINISHED("step.finished", "step_finished"),
  /** The model asked for a tool call: {@code step}, {@code call_id}, {@code tool}, {@code arguments} (redacted). */
  TOOL_CALLED("tool.called", "tool_call_requested"),
  /** A tool call waits for a person: {@code call_id}, {@code tool}, {@code arguments}, {@code expires_at}. */
  APPROVAL_REQUESTED("approval.requested", "tool_call_awaiting_approval"),
  APPROVAL_APPROVED("approval.approved", "tool_call_approved"),
  APPROVAL_DENIED("approval.denied", "tool_call_denied"),
  APPROVAL_TIMED_OUT("approval.timed_out", "tool_call_approval_timed_out"),
  /** One attempt of a tool call was sent: {@code call_id}, {@code tool}, {@code status}, {@code http_status}, {@code duration_ms}. */
  TOOL_EXECUTED("tool.executed", "tool_call_executed"),
  /** What the model is told about a call: {@code step}, {@code call_id}, {@code tool}, {@code ok}, {@code error_code}. */
  TOOL_RESULT("tool.result", "tool_call_result"),
  /** The stored answer: {@code message_id}, {@code content}. */
  MESSAGE_COMPLETED("message.completed", "final_message"),
  /** The turn's last event when it completed. */
  TURN_COMPLETED("turn.completed", "turn_completed"),
  /** The turn's last event when it failed. */
  TURN_FAILED("turn.failed", "turn_failed");

  private static final Map<String, TurnEventType> BY_STORED_NAME = new HashMap<>();

  static {
    for (TurnEventType type : values()) {
      BY_STORED_NAME.put(type.wireName, type);
      if (type.legacyName != null) {
        BY_STORED_NAME.put(type.legacyName, type);
      }
    }
  }

  private final String wireName;
  private final String legacyName;

  TurnEventType(String wireName, String legacyName) {
    this.wireName = wireName;
    this.legacyName = legacyName;
  }

  /** The name stored and sent, e.g. {@code message.delta}. */
  public String wireName() {
    return wireName;
  }

  /** Whether the turn ends with this event: nothing is written after it. */
  public boolean isTerminal() {
    return this == TURN_COMPLETED || this == TURN_FAILED;
  }

  /**
   * The type of a stored name. Names from before V30 ({@code turn_completed}, ...) are read too:
   * during a rolling upgrade an old worker may still write them after the migration renamed the
   * stored rows.
   *
   * @throws IllegalArgumentException for a name no version of SATURN wrote
   */
  public static TurnEventType fromStored(String name) {
    TurnEventType type = BY_STORED_NAME.get(name);
    if (type == null) {
      throw new IllegalArgumentException("unknown turn event type '" + name + "'");
    }
    return type;
  }

  @Override
  public String toString() {
    return wireName;
  }
}
