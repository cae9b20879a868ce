package dev.saturn.workflows.billing;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One company's invoice draft for one period; id {@code invoice:{company}:{period}}. */
@WorkflowInterface
public interface InvoiceDraftWorkflow {

  @WorkflowMethod
  InvoiceDraftResult run(InvoiceDraftInput input);
}
