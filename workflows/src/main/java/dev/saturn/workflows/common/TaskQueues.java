package dev.saturn.workflows.common;

public final class TaskQueues {

  private TaskQueues() {}

  /** Chat turns and their activities. */
  public static final String CHAT = "saturn-chat";

  /** Knowledge-base indexing and deletion, apart from chat so a large upload never delays a turn. */
  public static final String KB = "saturn-kb";
}
