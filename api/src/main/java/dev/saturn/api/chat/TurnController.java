package dev.saturn.api.chat;

import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.web.ApiException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import dev.saturn.api.ApiController;
import io.swagger.v3.oas.annotations.Operation;

@ApiController
class TurnController {

  private final TurnViews views;

  TurnController(TurnViews views) {
    this.views = views;
  }

  @GetMapping("/v1/turns/{turnId}")
  @Operation(summary = "Get a chat turn (poll until it is completed or failed)")
  @Requires(Permission.CHAT)
  public TurnView get(Caller caller, @PathVariable String turnId) {
    return views.read(caller.company(), turnId)
        .map(turn -> views.of(caller.company(), turn))
        .orElseThrow(() -> ApiException.notFound("turn " + turnId));
  }
}
