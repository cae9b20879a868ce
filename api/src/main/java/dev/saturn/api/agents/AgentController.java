package dev.saturn.api.agents;

import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.idempotency.IdempotentRequests;
import dev.saturn.api.web.ApiException;
import dev.saturn.api.web.FieldError;
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
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import dev.saturn.api.ApiController;
import tools.jackson.databind.node.ObjectNode;

@ApiController
@RequestMapping("/v1/agents")
@Validated
class AgentController {

  private final AgentRepository agents;
  private final AgentService service;
  private final AgentConfigCodec configs;
  private final AgentCreation creation;

  AgentController(AgentRepository agents, AgentService service, AgentConfigCodec configs, AgentCreation creation) {
    this.agents = agents;
    this.service = service;
    this.configs = configs;
    this.creation = creation;
  }

  record CreateAgent(@NotBlank @Size(max = 200) String name, @NotNull @Valid AgentConfigRequest config) {}

  record AgentView(String id, String name, String status, int version, Object config, Instant createdAt, Instant updatedAt) {}

  record AgentList(List<AgentView> items, String nextCursor) {}

  /**
   * Both members optional, at least one present. {@code config} is a partial config merged over
   * the current version's (JSON merge patch: a member replaces, {@code null} removes it).
   */
  record PatchAgent(
      @Size(min = 1, max = 200) @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") String name,
      ObjectNode config) {}

  record VersionView(String agentId, int version, Object config, String createdBy, Instant createdAt) {}

  record VersionList(List<VersionView> items, String nextCursor) {}

  @PostMapping
  @Operation(summary = "Create an agent (version 1 of its configuration)")
  @Requires(Permission.AGENTS_WRITE)
  @ResponseStatus(HttpStatus.CREATED)
  public AgentView create(
      Caller caller,
      @RequestHeader(name = IdempotentRequests.HEADER, required = false) String idempotencyKey,
      @Valid @RequestBody CreateAgent request) {
    AgentRow agent = creation.create(caller, idempotencyKey, request.name(), request.config());
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

  /** A new immutable version (current + 1); older versions are never changed. */
  @PatchMapping("/{agentId}")
  @Requires(Permission.AGENTS_WRITE)
  public AgentView update(Caller caller, @PathVariable String agentId, @Valid @RequestBody PatchAgent request) {
    if (request.name() == null && request.config() == null) {
      throw ApiException.validation("Send at least one of 'name' and 'config'",
          List.of(new FieldError("name", "or config is required"), new FieldError("config", "or name is required")));
    }
    try {
      return view(caller, service.update(caller, agentId, request.name(), request.config()));
    } catch (AgentRepository.ConcurrentVersionException e) {
      throw ApiException.conflict("The agent was changed concurrently; read it again and retry");
    }
  }

  @PostMapping("/{agentId}/disable")
  @Requires(Permission.AGENTS_WRITE)
  public AgentView disable(Caller caller, @PathVariable String agentId) {
    return view(caller, service.setEnabled(caller, agentId, false));
  }

  @PostMapping("/{agentId}/enable")
  @Requires(Permission.AGENTS_WRITE)
  public AgentView enable(Caller caller, @PathVariable String agentId) {
    return view(caller, service.setEnabled(caller, agentId, true));
  }

  @GetMapping("/{agentId}/versions")
  @Requires(Permission.AGENTS_READ)
  public VersionList versions(
      Caller caller,
      @PathVariable String agentId,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
    agents.find(caller.company(), agentId).orElseThrow(() -> ApiException.notFound("agent " + agentId));
    Page<AgentVersionRow> page = agents.listVersions(caller.company(), agentId, cursor, limit);
    return new VersionList(page.items().stream().map(this::view).toList(), page.nextCursor());
  }

  @GetMapping("/{agentId}/versions/{version}")
  @Requires(Permission.AGENTS_READ)
  public VersionView version(Caller caller, @PathVariable String agentId, @PathVariable int version) {
    return agents.findVersion(caller.company(), agentId, version)
        .map(this::view)
        .orElseThrow(() -> ApiException.notFound("version " + version + " of agent " + agentId));
  }

  private VersionView view(AgentVersionRow version) {
    return new VersionView(
        version.agentId(), version.version(), configs.toTree(version.configJson()), version.createdBy(), version.createdAt());
  }

  private AgentView view(Caller caller, AgentRow agent) {
    AgentVersionRow version = agents.findVersion(caller.company(), agent.id(), agent.currentVersion()).orElseThrow();
    return new AgentView(
        agent.id(), agent.name(), agent.status(), agent.currentVersion(), configs.toTree(version.configJson()),
        agent.createdAt(), agent.updatedAt());
  }
}
