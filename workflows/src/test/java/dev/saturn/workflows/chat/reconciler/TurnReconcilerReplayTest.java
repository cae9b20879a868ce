package dev.saturn.workflows.chat.reconciler;

import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.Test;

/** Replays the recorded reconciler pass against the current code. */
class TurnReconcilerReplayTest {

  @Test
  void givenRecordedPass_whenReplayedOnCurrentCode_itShouldBeDeterministic() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/turn-reconciler-pass.json", TurnReconcilerWorkflowImpl.class);
  }
}
