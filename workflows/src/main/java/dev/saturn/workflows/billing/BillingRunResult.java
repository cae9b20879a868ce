package dev.saturn.workflows.billing;

/**
 * @param drafted drafts computed (changed or not)
 * @param changed drafts this run created or changed
 * @param failed companies whose draft failed, e.g. because their invoice is finalized
 */
public record BillingRunResult(String period, int drafted, int changed, int failed) {}
