package dev.saturn.workflows.common;

/** Every workflow id is built here from business keys, so a duplicate start attaches to the same run. */
public final class WorkflowIds {

  private WorkflowIds() {}

  public static String chatTurn(String companyId, String sessionId, String turnKey) {
    return "chat-turn:" + companyId + ":" + sessionId + ":" + turnKey;
  }

  /** The billing run of one period ({@code YYYY-MM}): a second run of the same period attaches or recomputes. */
  public static String billingRun(String period) {
    return "billing:" + period;
  }

  /** One company's invoice draft of one period: never two at once, and one draft row either way. */
  public static String invoiceDraft(String companyId, String period) {
    return "invoice:" + companyId + ":" + period;
  }

  /** The monthly trigger: a Temporal Schedule's id, or the cron workflow's id where Schedules are missing. */
  public static final String MONTHLY_BILLING = "billing-monthly";

  /** The turn reconciler's trigger: a Temporal Schedule's id, or the cron workflow's id where Schedules are missing. */
  public static final String TURN_RECONCILER = "turn-reconciler";

  public static String kbIndex(String documentId, int version) {
    return "kb-index:" + documentId + ":" + version;
  }

  public static String kbDelete(String documentId) {
    return "kb-delete:" + documentId;
  }
}
