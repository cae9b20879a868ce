package dev.saturn.workflows.common;

public final class TaskQueues {

  private TaskQueues() {}

  /** Chat turns and their activities. */
  public static final String CHAT = "saturn-chat";

  /** Billing runs, invoice drafts and their activities. */
  public static final String BILLING = "saturn-billing";

  /** Knowledge-base indexing and deletion, apart from chat so a large upload never delays a turn. */
  public static final String KB = "saturn-kb";

  /** Webhook fan-out and deliveries, apart from chat so a slow receiver never delays a turn. */
  public static final String WEBHOOKS = "saturn-webhooks";
}
