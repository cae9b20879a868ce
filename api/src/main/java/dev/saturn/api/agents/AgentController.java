package dev.saturn.api.agents;

import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.idempotency.IdempotentRequests;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.agents.AgentVersionRow;
import dev.saturn.db.common.Page;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import dev.saturn.api.ApiController;

@ApiController
@RequestMapping("/v1/agents")
@Validated
class AgentController {

  private final AgentRepository agents;
  private final AgentConfigCodec configs;
  private final IdempotentRequests requests;

  AgentController(AgentRepository agents, AgentConfigCodec configs, IdempotentRequests requests) {
    this.agents = agents;
    this.configs = configs;
    this.requests = requests;
  }

  record CreateAgent(@NotBlank @Size(max = 200) String name, @NotNull @Valid AgentConfigRequest config) {}

  record AgentView(String id, String name, String status, int version, Object config, Instant createdAt, Instant updatedAt) {}

  record AgentList(List<AgentView> items, String nextCursor) {}

  @PostMapping
  @Operation(summary = "Create an agent (version 1 of its configuration)")
  @Requires(Permission.AGENTS_WRITE)
  @ResponseStatus(HttpStatus.CREATED)
  public AgentView create(
      Caller caller,
      @RequestHeader(name = IdempotentRequests.HEADER, required = false) String idempotencyKey,
      @Valid @RequestBody CreateAgent request) {
    String configJson = configs.toJson(request.config().toConfig());
    AgentRow agent = requests.once(
        caller.company(),
        "agents.create",
        idempotencyKey,
        IdempotentRequests.hash(request.name(), configJson),
        "agent",
        id -> agents.create(caller.company(), id, request.name(), configJson, caller.actor()),
        id -> agents.find(caller.company(), id).orElseThrow());
    return view(caller, agent);
  }

  @GetMapping
  @Operation(summary = "List the company's agents, newest first")
  @Requires(Permission.AGENTS_READ)
  public AgentList list(
      Caller caller,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
    Page<AgentRow> page = agents.list(caller.company(), cursor, limit);
    return new AgentList(page.items().stream().map(a -> view(caller, a)).toList(), page.nextCursor());
  }

  @GetMapping("/{agentId}")
  @Operation(summary = "Get an agent")
  @Requires(Permission.AGENTS_READ)
  public AgentView get(Caller caller, @PathVariable String agentId) {
    return agents.find(caller.company(), agentId)
        .map(agent -> view(caller, agent))
        .orElseThrow(() -> ApiException.notFound("agent " + agentId));
  }

  private AgentView view(Caller caller, AgentRow agent) {
    AgentVersionRow version = agents.findVersion(caller.company(), agent.id(), agent.currentVersion()).orElseThrow();
    return new AgentView(
        agent.id(), agent.name(), agent.status(), agent.currentVersion(), configs.toTree(version.configJson()),
        agent.createdAt(), agent.updatedAt());
  }
}
