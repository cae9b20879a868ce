package dev.saturn.workflows.kb;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Indexes one document version: {@code kb-index:{doc}:{version}}. */
@WorkflowInterface
public interface KbIndexingWorkflow {

  /** Batches of one document indexed at once (see the implementation); {@code prepare} sizes batches for it. */
  int BATCHES_AT_ONCE = 2;

  @WorkflowMethod
  KbIndexResult index(KbIndexInput in);
}
