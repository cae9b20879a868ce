package dev.saturn.workflows.common;

/** Every workflow id is built here from business keys, so a duplicate start attaches to the same run. */
public final class WorkflowIds {

  private WorkflowIds() {}

  public static String chatTurn(String companyId, String sessionId, String turnKey) {
    return "chat-turn:" + companyId + ":" + sessionId + ":" + turnKey;
  }

  public static String kbIndex(String documentId, int version) {
    return "kb-index:" + documentId + ":" + version;
  }

  public static String kbDelete(String documentId) {
    return "kb-delete:" + documentId;
  }
}
