package dev.saturn.workflows.chat.reconciler;

import dev.saturn.workflows.common.Retries;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import org.slf4j.Logger;

public class TurnReconcilerWorkflowImpl implements TurnReconcilerWorkflow {

  private static final Logger log = Workflow.getLogger(TurnReconcilerWorkflowImpl.class);

  /** A few attempts: what a pass cannot do, the next pass does. */
  static final ActivityOptions OPTIONS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(30))
      .setRetryOptions(Retries.backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 3))
      .build();

  private final TurnReconcilerActivities activities =
      Workflow.newActivityStub(TurnReconcilerActivities.class, OPTIONS);

  @Override
  public ReconcileResult run() {
    ReconcileResult last = Workflow.getLastCompletionResult(ReconcileResult.class);
    CandidatePage page = activities.abandonedTurnCandidates(last == null ? null : last.next());
    int abandoned = 0;
    for (TurnCandidate turn : page.turns()) {
      try {
        if (activities.reconcileTurn(turn)) {
          abandoned++;
        }
      } catch (ActivityFailure failure) {
        log.warn("turn {} not reconciled in this pass: {}", turn.turnId(), failure.getMessage());
      }
    }
    log.info("turn reconciler pass: checked={} abandoned={} complete_sweep={}",
        page.turns().size(), abandoned, page.next() == null);
    return new ReconcileResult(page.turns().size(), abandoned, page.next());
  }
}
