package dev.saturn.workflows.kb;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Indexes one document version: {@code kb-index:{doc}:{version}}. */
@WorkflowInterface
public interface KbIndexingWorkflow {

  /** Batches of one document indexed at once (see the implementation); {@code prepare} sizes batches for it. */
  int BATCHES_AT_ONCE = 2;
  /** Batches per run: a longer document continues as new, and the next run's {@code prepare} must size them alike. */
  int BATCHES_PER_RUN = 500;

  @WorkflowMethod
  KbIndexResult index(KbIndexInput in);
}
