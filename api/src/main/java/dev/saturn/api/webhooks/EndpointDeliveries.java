package dev.saturn.api.webhooks;

import dev.saturn.api.web.ApiException;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Page;
import dev.saturn.db.common.Times;
import dev.saturn.db.webhooks.DeliveryStatus;
import dev.saturn.db.webhooks.WebhookDeliveryRepository;
import dev.saturn.db.webhooks.WebhookDeliveryRow;
import dev.saturn.db.webhooks.WebhookEndpointRow;
import dev.saturn.db.webhooks.WebhookEventRepository;
import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.common.WorkflowIds;
import dev.saturn.workflows.webhooks.WebhookStarts;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowServiceException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** The deliveries of an endpoint (webhook or channel): listing, and redelivering one. */
@Component
public class EndpointDeliveries {

  private final WebhookDeliveryRepository deliveries;
  private final WebhookEventRepository events;
  private final WorkflowClient temporal;
  private final Clock clock;

  EndpointDeliveries(
      WebhookDeliveryRepository deliveries, WebhookEventRepository events, WorkflowClient temporal, Clock clock) {
    this.deliveries = deliveries;
    this.events = events;
    this.temporal = temporal;
    this.clock = clock;
  }

  public Page<DeliveryView> list(CompanyId company, String endpointId, String cursor, int limit) {
    Page<WebhookDeliveryRow> page = deliveries.list(company, endpointId, cursor, limit);
    Map<String, String> types = events.typesOf(company,
        page.items().stream().map(WebhookDeliveryRow::eventId).collect(Collectors.toSet()));
    return new Page<>(page.items().stream().map(d -> DeliveryView.of(d, types.get(d.eventId()))).toList(),
        page.nextCursor());
  }

  /**
   * A new delivery of the same event to the same endpoint, with the same {@code webhook-id}, in a
   * workflow of its own ({@code webhook:{endpoint}:{event}:redeliver:{n}}). The row commits first,
   * so the workflow always finds it.
   *
   * @throws ApiException 404 for a delivery of another endpoint, 409 while the delivery still
   *     retries or the endpoint is disabled, 503 when Temporal cannot be reached (the new delivery
   *     is then recorded as failed)
   */
  public DeliveryView redeliver(CompanyId company, WebhookEndpointRow endpoint, String deliveryId) {
    WebhookDeliveryRow original = deliveries.find(company, deliveryId)
        .filter(d -> d.endpointId().equals(endpoint.id()))
        .orElseThrow(() -> ApiException.notFound("delivery " + deliveryId));
    if (!endpoint.active()) {
      throw ApiException.conflict("The endpoint is disabled; enable it before redelivering");
    }
    if (original.status() == DeliveryStatus.PENDING) {
      throw ApiException.conflict("Delivery " + deliveryId + " is still being retried");
    }
    Instant now = Times.now(clock);
    WebhookDeliveryRow row;
    int seq = deliveries.nextSeq(company, endpoint.id(), original.eventId());
    while (true) {
      row = new WebhookDeliveryRow(dev.saturn.db.common.Ids.newId(), company.value(), endpoint.id(), original.eventId(),
          seq, WorkflowIds.webhookRedelivery(endpoint.id(), original.eventId(), seq), DeliveryStatus.PENDING, 0, null,
          null, null, now, null, now, now);
      if (deliveries.insertOnce(company, row)) {
        break;
      }
      seq++; // a concurrent redelivery took this number
    }
    try {
      WebhookStarts.delivery(temporal, company.value(), row.id(), row.workflowId());
    } catch (WorkflowServiceException e) {
      deliveries.end(company, row.id(), DeliveryStatus.FAILED, "not started: the workflow service was unavailable", now);
      throw ApiException.of(ErrorCode.SERVICE_UNAVAILABLE, "The workflow service is unavailable; redeliver again later", e);
    }
    String type = events.typesOf(company, java.util.Set.of(row.eventId())).get(row.eventId());
    return DeliveryView.of(row, type);
  }
}
