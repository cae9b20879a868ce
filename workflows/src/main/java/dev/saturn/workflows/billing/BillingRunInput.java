package dev.saturn.workflows.billing;

/**
 * The period to bill ({@code YYYY-MM}). {@code afterCompanyId} and the counts carry progress across
 * continue-as-new; a new run starts with {@link #of(String)}.
 */
public record BillingRunInput(String period, String afterCompanyId, int drafted, int changed, int failed) {

  public static BillingRunInput of(String period) {
    return new BillingRunInput(period, null, 0, 0, 0);
  }
}
