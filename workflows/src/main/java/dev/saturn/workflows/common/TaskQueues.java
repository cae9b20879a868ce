package dev.saturn.workflows.common;

public final class TaskQueues {

  private TaskQueues() {}

  /** Chat turns and their activities. */
  public static final String CHAT = "saturn-chat";
}
