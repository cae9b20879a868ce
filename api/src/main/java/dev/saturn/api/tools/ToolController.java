package dev.saturn.api.tools;

import dev.saturn.api.ApiController;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.idempotency.IdempotentRequests;
import dev.saturn.db.common.Page;
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
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;

@ApiController
@RequestMapping("/v1/tools")
@Validated
class ToolController {

  private final ToolService tools;

  ToolController(ToolService tools) {
    this.tools = tools;
  }

  record ToolList(List<ToolView> items, String nextCursor) {}

  @PostMapping
  @Requires(Permission.TOOLS_WRITE)
  @ResponseStatus(HttpStatus.CREATED)
  public ToolView create(
      Caller caller,
      @RequestHeader(name = IdempotentRequests.HEADER, required = false) String idempotencyKey,
      @RequestBody ToolRequests.CreateTool request) {
    return tools.create(caller, idempotencyKey, request);
  }

  @GetMapping
  @Requires(Permission.TOOLS_READ)
  public ToolList list(
      Caller caller,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
    Page<ToolView> page = tools.list(caller, cursor, limit);
    return new ToolList(page.items(), page.nextCursor());
  }

  @GetMapping("/{toolId}")
  @Requires(Permission.TOOLS_READ)
  public ToolView get(Caller caller, @PathVariable String toolId) {
    return tools.get(caller, toolId);
  }

  @PatchMapping("/{toolId}")
  @Requires(Permission.TOOLS_WRITE)
  public ToolView update(Caller caller, @PathVariable String toolId, @RequestBody ToolRequests.PatchTool patch) {
    return tools.update(caller, toolId, patch);
  }

  @DeleteMapping("/{toolId}")
  @Requires(Permission.TOOLS_WRITE)
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void delete(Caller caller, @PathVariable String toolId) {
    tools.delete(caller, toolId);
  }
}
