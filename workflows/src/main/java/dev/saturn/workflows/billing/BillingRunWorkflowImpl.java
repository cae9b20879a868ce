package dev.saturn.workflows.billing;

import dev.saturn.workflows.common.SaturnSearchAttributes;
import dev.saturn.workflows.common.TaskQueues;
import dev.saturn.workflows.common.WorkflowIds;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * Pages through the companies with usage and starts one {@link InvoiceDraftWorkflow} child per
 * company, a page at a time. Children's ids come from company and period, so a second run of the
 * period never makes a second draft: a child already running makes this start fail (counted as
 * failed, the running one finishes the draft), a finished one is simply recomputed to the same
 * bytes. The history stays bounded: after {@link #PAGES_PER_RUN} pages the run continues as new.
 */
public class BillingRunWorkflowImpl implements BillingRunWorkflow {

  static final int PAGE_SIZE = 100;
  static final int PAGES_PER_RUN = 10;

  private static final Logger log = Workflow.getLogger(BillingRunWorkflowImpl.class);

  private final BillingActivities billing =
      Workflow.newActivityStub(BillingActivities.class, BillingActivityOptions.CATALOG);

  @Override
  public BillingRunResult run(BillingRunInput input) {
    String after = input.afterCompanyId();
    int drafted = input.drafted();
    int changed = input.changed();
    int failed = input.failed();
    for (int page = 0; page < PAGES_PER_RUN; page++) {
      List<String> companies =
          billing.companiesWithUsage(new CompanyPageQuery(input.period(), after, PAGE_SIZE)).companyIds();
      List<Promise<InvoiceDraftResult>> drafts = new ArrayList<>(companies.size());
      for (String company : companies) {
        InvoiceDraftWorkflow child = Workflow.newChildWorkflowStub(
            InvoiceDraftWorkflow.class,
            ChildWorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.invoiceDraft(company, input.period()))
                .setTaskQueue(TaskQueues.BILLING)
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                .setTypedSearchAttributes(SaturnSearchAttributes.company(company))
                .build());
        drafts.add(Async.function(child::run, new InvoiceDraftInput(company, input.period())));
      }
      for (int i = 0; i < drafts.size(); i++) {
        try {
          InvoiceDraftResult result = drafts.get(i).get();
          drafted++;
          if (result.changed()) {
            changed++;
          }
        } catch (ChildWorkflowFailure e) {
          failed++;
          log.warn("invoice draft of company {} for {} failed: {}", companies.get(i), input.period(), e.getMessage());
        }
      }
      if (companies.size() < PAGE_SIZE) {
        log.info("billing run {} done: drafted={} changed={} failed={}", input.period(), drafted, changed, failed);
        return new BillingRunResult(input.period(), drafted, changed, failed);
      }
      after = companies.get(companies.size() - 1);
    }
    BillingRunWorkflow next = Workflow.newContinueAsNewStub(BillingRunWorkflow.class);
    return next.run(new BillingRunInput(input.period(), after, drafted, changed, failed));
  }
}
