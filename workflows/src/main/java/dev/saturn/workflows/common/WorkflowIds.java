package dev.saturn.workflows.common;

/** Every workflow id is built here from business keys, so a duplicate start attaches to the same run. */
public final class WorkflowIds {

  private WorkflowIds() {}

  public static String chatTurn(String companyId, String sessionId, String turnKey) {
    return "chat-turn:" + companyId + ":" + sessionId + ":" + turnKey;
  }
}
