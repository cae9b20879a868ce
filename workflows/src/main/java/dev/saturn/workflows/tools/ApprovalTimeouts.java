package dev.saturn.workflows.tools;

import java.time.Duration;

/**
 * How long one tool call may wait for a person: the bounds of a tool's {@code approval_timeout}
 * and of the default {@code saturn.tools.approval-timeout}. A chat turn's workflow execution
 * timeout ({@code saturn.chat.workflow-execution-timeout}) must be longer than {@link #MAX}, so
 * that a single wait always ends by itself rather than with the turn.
 */
public final class ApprovalTimeouts {

  public static final Duration MIN = Duration.ofMinutes(1);
  public static final Duration MAX = Duration.ofDays(30);

  private ApprovalTimeouts() {}

  public static boolean allowed(Duration timeout) {
    return timeout != null && timeout.compareTo(MIN) >= 0 && timeout.compareTo(MAX) <= 0;
  }
}
