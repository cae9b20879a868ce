package dev.saturn.workflows.kb;

import io.temporal.workflow.Workflow;

/** Vectors first, then chunks, bytes and row: a crash in between leaves a row to retry, never orphaned vectors. */
public class KbDeleteWorkflowImpl implements KbDeleteWorkflow {

  private final KbIndexingActivities store =
      Workflow.newActivityStub(KbIndexingActivities.class, KbActivityOptions.STORE);

  @Override
  public void delete(KbDeleteInput in) {
    store.deleteVectors(in);
    store.deleteRecord(in);
  }
}
