package dev.saturn.api.webhooks;

import dev.saturn.api.ApiController;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.db.common.Page;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;

@ApiController
@RequestMapping("/v1/webhooks")
@Validated
class WebhookController {

  private final WebhookService webhooks;

  WebhookController(WebhookService webhooks) {
    this.webhooks = webhooks;
  }

  record WebhookList(List<WebhookView> items, String nextCursor) {}

  @PostMapping
  @Operation(summary = "Register an endpoint for signed events; its secret is in this answer only")
  @Requires(Permission.WEBHOOKS_MANAGE)
  @ResponseStatus(HttpStatus.CREATED)
  public WebhookView create(Caller caller, @RequestBody WebhookRequests.CreateWebhook request) {
    return webhooks.create(caller, request);
  }

  @GetMapping
  @Operation(summary = "The company's webhook endpoints, newest first")
  @Requires(Permission.WEBHOOKS_MANAGE)
  public WebhookList list(
      Caller caller,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
    Page<WebhookView> page = webhooks.list(caller, cursor, limit);
    return new WebhookList(page.items(), page.nextCursor());
  }

  @GetMapping("/{webhookId}")
  @Operation(summary = "One webhook endpoint")
  @Requires(Permission.WEBHOOKS_MANAGE)
  public WebhookView get(Caller caller, @PathVariable String webhookId) {
    return webhooks.get(caller, webhookId);
  }

  @PatchMapping("/{webhookId}")
  @Operation(summary = "Change an endpoint's URL, events or description, or enable/disable it")
  @Requires(Permission.WEBHOOKS_MANAGE)
  public WebhookView update(Caller caller, @PathVariable String webhookId, @RequestBody WebhookRequests.PatchWebhook patch) {
    return webhooks.update(caller, webhookId, patch);
  }

  @DeleteMapping("/{webhookId}")
  @Operation(summary = "Delete an endpoint and its deliveries")
  @Requires(Permission.WEBHOOKS_MANAGE)
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void delete(Caller caller, @PathVariable String webhookId) {
    webhooks.delete(caller, webhookId);
  }

  @PostMapping("/{webhookId}/rotate-secret")
  @Operation(summary = "A new signing secret; the previous one keeps signing for the grace period")
  @Requires(Permission.WEBHOOKS_MANAGE)
  public WebhookView rotateSecret(Caller caller, @PathVariable String webhookId) {
    return webhooks.rotateSecret(caller, webhookId);
  }

  @GetMapping("/{webhookId}/deliveries")
  @Operation(summary = "The endpoint's deliveries, newest first, with attempts and the last answer")
  @Requires(Permission.WEBHOOKS_MANAGE)
  public DeliveryView.DeliveryList deliveries(
      Caller caller,
      @PathVariable String webhookId,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
    return DeliveryView.DeliveryList.of(webhooks.deliveries(caller, webhookId, cursor, limit));
  }

  @PostMapping("/{webhookId}/deliveries/{deliveryId}/redeliver")
  @Operation(summary = "Deliver the same event again (same webhook-id) in a new delivery")
  @Requires(Permission.WEBHOOKS_MANAGE)
  @ResponseStatus(HttpStatus.ACCEPTED)
  public DeliveryView redeliver(Caller caller, @PathVariable String webhookId, @PathVariable String deliveryId) {
    return webhooks.redeliver(caller, webhookId, deliveryId);
  }
}
