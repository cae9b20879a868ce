package dev.saturn.api.channels;

import dev.saturn.api.ApiController;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.webhooks.DeliveryView;
import dev.saturn.db.common.Page;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;

@ApiController
@RequestMapping("/v1/channels")
@Validated
class ChannelController {

  private final ChannelService channels;

  ChannelController(ChannelService channels) {
    this.channels = channels;
  }

  record ChannelList(List<ChannelView> items, String nextCursor) {}

  @PostMapping
  @Operation(summary = "Create an inbound channel to an agent; its signing secret is in this answer only")
  @Requires(Permission.WEBHOOKS_MANAGE)
  @ResponseStatus(HttpStatus.CREATED)
  public ChannelView create(Caller caller, @RequestBody ChannelService.CreateChannel request) {
    return channels.create(caller, request);
  }

  @GetMapping
  @Operation(summary = "The company's channels, newest first")
  @Requires(Permission.WEBHOOKS_MANAGE)
  public ChannelList list(
      Caller caller,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
    Page<ChannelView> page = channels.list(caller, cursor, limit);
    return new ChannelList(page.items(), page.nextCursor());
  }

  @GetMapping("/{channelId}")
  @Operation(summary = "One channel")
  @Requires(Permission.WEBHOOKS_MANAGE)
  public ChannelView get(Caller caller, @PathVariable String channelId) {
    return channels.get(caller, channelId);
  }

  @DeleteMapping("/{channelId}")
  @Operation(summary = "Delete a channel; its sessions and turns stay")
  @Requires(Permission.WEBHOOKS_MANAGE)
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void delete(Caller caller, @PathVariable String channelId) {
    channels.delete(caller, channelId);
  }

  @PostMapping("/{channelId}/rotate-secret")
  @Operation(summary = "A new signing secret; the previous one keeps working for the grace period")
  @Requires(Permission.WEBHOOKS_MANAGE)
  public ChannelView rotateSecret(Caller caller, @PathVariable String channelId) {
    return channels.rotateSecret(caller, channelId);
  }

  @GetMapping("/{channelId}/deliveries")
  @Operation(summary = "The deliveries of the channel's replies, newest first")
  @Requires(Permission.WEBHOOKS_MANAGE)
  public DeliveryView.DeliveryList deliveries(
      Caller caller,
      @PathVariable String channelId,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
    return DeliveryView.DeliveryList.of(channels.deliveries(caller, channelId, cursor, limit));
  }
}
