package dev.saturn.api.billing;

import dev.saturn.api.web.ApiException;
import dev.saturn.db.billing.BillingPeriod;
import dev.saturn.db.billing.InvoiceRepository;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.identity.CompanyRepository;
import dev.saturn.workflows.billing.BillingRunInput;
import dev.saturn.workflows.billing.BillingRunResult;
import dev.saturn.workflows.billing.BillingRunWorkflow;
import dev.saturn.workflows.billing.InvoiceDraftInput;
import dev.saturn.workflows.billing.InvoiceDraftWorkflow;
import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.common.SaturnSearchAttributes;
import dev.saturn.workflows.common.TaskQueues;
import dev.saturn.workflows.common.WorkflowIds;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.springframework.stereotype.Service;

/**
 * Starts the billing workflows on demand, under the same ids the schedule uses: a draft being
 * computed already is attached to, never computed twice at once; a finished one is recomputed
 * (to the same bytes, unless events arrived).
 */
@Service
class InvoiceGeneration {

  private final WorkflowClient temporal;
  private final InvoiceRepository invoices;
  private final CompanyRepository companies;
  private final BillingProperties properties;

  InvoiceGeneration(
      WorkflowClient temporal, InvoiceRepository invoices, CompanyRepository companies, BillingProperties properties) {
    this.temporal = temporal;
    this.invoices = invoices;
    this.companies = companies;
    this.properties = properties;
  }

  /**
   * @param completed false when the workflow was still running at the deadline (answered 202)
   * @param invoice the draft, for one company, once completed
   * @param run the run's counts, for every company, once completed
   */
  record Outcome(String workflowId, boolean completed, InvoiceView invoice, BillingRunResult run) {}

  CompanyId existingCompany(String companyId) {
    CompanyId company;
    try {
      company = CompanyId.of(companyId);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidField("company_id", "must not be blank");
    }
    companies.find(company).orElseThrow(() -> ApiException.notFound("company " + companyId));
    return company;
  }

  Outcome draft(CompanyId company, BillingPeriod period) {
    String workflowId = WorkflowIds.invoiceDraft(company.value(), period.toString());
    InvoiceDraftWorkflow workflow = temporal.newWorkflowStub(InvoiceDraftWorkflow.class,
        options(workflowId).toBuilder().setTypedSearchAttributes(SaturnSearchAttributes.company(company.value())).build());
    start(() -> WorkflowClient.start(workflow::run, new InvoiceDraftInput(company.value(), period.toString())));
    if (!await(workflowId, Object.class)) {
      return new Outcome(workflowId, false, null, null);
    }
    InvoiceView invoice = invoices.find(company, InvoiceRepository.invoiceId(company, period)).map(InvoiceView::of)
        .orElseThrow(() -> new IllegalStateException("draft workflow " + workflowId + " completed without a draft"));
    return new Outcome(workflowId, true, invoice, null);
  }

  Outcome billingRun(BillingPeriod period) {
    String workflowId = WorkflowIds.billingRun(period.toString());
    BillingRunWorkflow workflow = temporal.newWorkflowStub(BillingRunWorkflow.class, options(workflowId));
    start(() -> WorkflowClient.start(workflow::run, BillingRunInput.of(period.toString())));
    BillingRunResult[] result = new BillingRunResult[1];
    if (!await(workflowId, BillingRunResult.class, r -> result[0] = r)) {
      return new Outcome(workflowId, false, null, null);
    }
    return new Outcome(workflowId, true, null, result[0]);
  }

  /** Without search attributes: a billing run belongs to no company (its drafts carry theirs). */
  private static WorkflowOptions options(String workflowId) {
    return WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(TaskQueues.BILLING).build();
  }

  private static void start(Runnable start) {
    try {
      start.run();
    } catch (WorkflowExecutionAlreadyStarted running) {
      // attach: the running workflow computes the same draft
    } catch (WorkflowServiceException e) {
      throw ApiException.of(ErrorCode.SERVICE_UNAVAILABLE, "The workflow service is unavailable; retry", e);
    }
  }

  private boolean await(String workflowId, Class<?> type) {
    return await(workflowId, type, r -> {});
  }

  /** Waits for the latest run of the id; a failure (e.g. CONFLICT for a finalized invoice) propagates to the edge. */
  private <T> boolean await(String workflowId, Class<T> type, Consumer<T> onResult) {
    try {
      onResult.accept(temporal.newUntypedWorkflowStub(workflowId)
          .getResult(properties.generateWait().toMillis(), TimeUnit.MILLISECONDS, type));
      return true;
    } catch (TimeoutException stillRunning) {
      return false;
    }
  }
}
