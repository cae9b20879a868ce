package dev.saturn.workflows.kb;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Deletes a document: vectors first, then its row, so nothing is left pointing at nothing. */
@WorkflowInterface
public interface KbDeleteWorkflow {

  @WorkflowMethod
  void delete(KbDeleteInput in);
}
