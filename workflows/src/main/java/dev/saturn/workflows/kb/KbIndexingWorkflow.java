package dev.saturn.workflows.kb;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Indexes one document version: {@code kb-index:{doc}:{version}}. */
@WorkflowInterface
public interface KbIndexingWorkflow {

  @WorkflowMethod
  KbIndexResult index(KbIndexInput in);
}
