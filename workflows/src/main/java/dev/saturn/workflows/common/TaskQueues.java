package dev.saturn.workflows.common;

public final class TaskQueues {

  private TaskQueues() {}

  /** Chat turns and their activities. */
  public static final String CHAT = "saturn-chat";

  /** Billing runs, invoice drafts and their activities. */
  public static final String BILLING = "saturn-billing";
}
