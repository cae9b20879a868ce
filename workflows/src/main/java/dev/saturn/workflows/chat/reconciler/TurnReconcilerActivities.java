package dev.saturn.workflows.chat.reconciler;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The reconciler's reads and its one write; the grace period and batch size are the activity's settings. */
@ActivityInterface
public interface TurnReconcilerActivities {

  /** The next batch of turns running since before the grace period, after {@code after} (null: from the start). */
  @ActivityMethod
  CandidatePage abandonedTurnCandidates(ReconcileCursor after);

  /**
   * Asks Temporal about the turn's workflow; if it is closed or unknown while the turn is still
   * running, fails the turn with TURN_ABANDONED and cancels its pending approvals.
   *
   * @return whether the turn was failed now
   */
  @ActivityMethod
  boolean reconcileTurn(TurnCandidate turn);
}
