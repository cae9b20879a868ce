package dev.saturn.workflows.billing;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Database work of billing; both methods only read events and write invoice rows keyed by company and period. */
@ActivityInterface
public interface BillingActivities {

  /** One page of the ids of companies with events billed in the period. */
  @ActivityMethod
  CompanyPage companiesWithUsage(CompanyPageQuery query);

  /**
   * Aggregates the company's events of the period in the database, prices them and upserts the draft.
   * Fails with the non-retryable type {@code CONFLICT} when the period's invoice is finalized.
   */
  @ActivityMethod
  InvoiceDraftResult draftInvoice(InvoiceDraftInput input);
}
