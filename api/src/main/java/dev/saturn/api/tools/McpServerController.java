package dev.saturn.api.tools;

import dev.saturn.api.ApiController;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
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
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;

/** MCP servers as tool sources: registering or refreshing one lists its tools, which become tools of kind {@code mcp}. */
@ApiController
@RequestMapping("/v1/mcp-servers")
@Validated
class McpServerController {

  private final McpServerService servers;

  McpServerController(McpServerService servers) {
    this.servers = servers;
  }

  record McpServerList(List<McpServerView> items, String nextCursor) {}

  @PostMapping
  @Requires(Permission.TOOLS_WRITE)
  @ResponseStatus(HttpStatus.CREATED)
  public McpServerView create(Caller caller, @RequestBody McpServerRequests.CreateMcpServer request) {
    return servers.create(caller, request);
  }

  @GetMapping
  @Requires(Permission.TOOLS_READ)
  public McpServerList list(
      Caller caller,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
    Page<McpServerView> page = servers.list(caller, cursor, limit);
    return new McpServerList(page.items(), page.nextCursor());
  }

  @GetMapping("/{serverId}")
  @Requires(Permission.TOOLS_READ)
  public McpServerView get(Caller caller, @PathVariable String serverId) {
    return servers.get(caller, serverId);
  }

  @PatchMapping("/{serverId}")
  @Requires(Permission.TOOLS_WRITE)
  public McpServerView update(
      Caller caller, @PathVariable String serverId, @RequestBody McpServerRequests.PatchMcpServer patch) {
    return servers.update(caller, serverId, patch);
  }

  @PostMapping("/{serverId}/refresh")
  @Requires(Permission.TOOLS_WRITE)
  public McpServerView refresh(Caller caller, @PathVariable String serverId) {
    return servers.refresh(caller, serverId);
  }

  @DeleteMapping("/{serverId}")
  @Requires(Permission.TOOLS_WRITE)
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void delete(Caller caller, @PathVariable String serverId) {
    servers.delete(caller, serverId);
  }
}
