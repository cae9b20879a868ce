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

  /** The fan-out of one webhook event: started after its commit and by the relay, at most once. */
  public static String webhookEvent(String eventId) {
    return "webhook-event:" + eventId;
  }

  /** The delivery of one event to one endpoint. */
  public static String webhookDelivery(String endpointId, String eventId) {
    return "webhook:" + endpointId + ":" + eventId;
  }

  /** The n-th redelivery (from 1) of an event to an endpoint, asked for through the API. */
  public static String webhookRedelivery(String endpointId, String eventId, int n) {
    return webhookDelivery(endpointId, eventId) + ":redeliver:" + n;
  }

  /** The webhook relay's trigger: a Temporal Schedule's id, or the cron workflow's id where Schedules are missing. */
  public static final String WEBHOOK_RELAY = "webhook-relay";
}
