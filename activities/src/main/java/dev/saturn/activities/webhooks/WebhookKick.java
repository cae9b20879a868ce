package dev.saturn.activities.webhooks;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.webhooks.EventOutbox;
import dev.saturn.workflows.webhooks.WebhookStarts;
import io.temporal.client.WorkflowClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Starts an event's fan-out as soon as the transaction that recorded it has committed, in whatever
 * process recorded it (worker or API). Best effort: if Temporal cannot be reached now, the relay's
 * sweep starts it later.
 */
@Component
class WebhookKick implements EventOutbox.Listener {

  private static final Logger log = LoggerFactory.getLogger(WebhookKick.class);

  private final WorkflowClient temporal;

  WebhookKick(WorkflowClient temporal) {
    this.temporal = temporal;
  }

  @Override
  public void recorded(CompanyId company, String eventId) {
    try {
      WebhookStarts.fanOut(temporal, company.value(), eventId);
    } catch (RuntimeException e) {
      log.warn("webhook event {}: fan-out not started now ({}); the relay will start it", eventId, e.toString());
    }
  }
}
