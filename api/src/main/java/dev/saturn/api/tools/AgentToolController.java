package dev.saturn.api.tools;

import dev.saturn.api.ApiController;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.common.Page;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** An agent's tool allowlist: attaching or detaching a tool writes a new agent version. */
@ApiController
@RequestMapping("/v1/agents/{agentId}/tools")
@Validated
class AgentToolController {

  private final ToolService tools;
  private final AgentRepository agents;

  AgentToolController(ToolService tools, AgentRepository agents) {
    this.tools = tools;
    this.agents = agents;
  }

  @GetMapping
  @Requires(Permission.AGENTS_READ)
  public ToolController.ToolList list(
      Caller caller,
      @PathVariable String agentId,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
    boolean exists = agents.find(caller.company(), agentId).isPresent();
    Page<ToolView> page = tools.agentTools(caller, agentId, exists, cursor, limit);
    return new ToolController.ToolList(page.items(), page.nextCursor());
  }

  @PostMapping("/{toolId}")
  @Requires(Permission.AGENTS_WRITE)
  public ToolService.AllowlistView attach(Caller caller, @PathVariable String agentId, @PathVariable String toolId) {
    return tools.attach(caller, agentId, toolId);
  }

  @DeleteMapping("/{toolId}")
  @Requires(Permission.AGENTS_WRITE)
  public ToolService.AllowlistView detach(Caller caller, @PathVariable String agentId, @PathVariable String toolId) {
    return tools.detach(caller, agentId, toolId);
  }
}
