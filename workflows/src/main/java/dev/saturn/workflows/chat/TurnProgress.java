package dev.saturn.workflows.chat;

import java.util.List;

/**
 * {@code step} is one of {@link TurnStep}'s names; {@code agentVersion} is 0 until pinned;
 * {@code pendingApprovals} are the tool calls waiting for a decision now.
 */
public record TurnProgress(TurnStep step, int agentVersion, List<PendingApproval> pendingApprovals) {

  public TurnProgress {
    pendingApprovals = pendingApprovals == null ? List.of() : List.copyOf(pendingApprovals);
  }

  public TurnProgress(TurnStep step, int agentVersion) {
    this(step, agentVersion, List.of());
  }
}
