package dev.saturn.api.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.saturn.api.ApiController;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.db.agents.AgentRow;
import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** OpenAI's models endpoints: a company's agents are its models. */
@ApiController
class ModelsController {

  private final AgentModels models;

  ModelsController(AgentModels models) {
    this.models = models;
  }

  /** {@code saturn}: SATURN's own facts about the agent, outside OpenAI's shape. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record OpenAiModel(String id, String object, long created, String ownedBy, OpenAiModelExtension saturn) {

    record OpenAiModelExtension(String name, int version, String status) {}

    static OpenAiModel of(AgentRow agent) {
      return new OpenAiModel(agent.id(), "model", agent.createdAt().getEpochSecond(), agent.companyId(),
          new OpenAiModelExtension(agent.name(), agent.currentVersion(), agent.status()));
    }
  }

  record OpenAiModelList(String object, List<OpenAiModel> data) {}

  @GetMapping("/v1/models")
  @Operation(summary = "List the company's enabled agents as OpenAI models (OpenAI-compatible)")
  @Requires(Permission.AGENTS_READ)
  public OpenAiModelList listModels(Caller caller) {
    return new OpenAiModelList("list", models.enabled(caller.company()).stream().map(OpenAiModel::of).toList());
  }

  /** An agent by id or name, also a disabled one (chatting with it answers 409 AGENT_DISABLED). */
  @GetMapping("/v1/models/{model}")
  @Operation(summary = "Get one of the company's agents as an OpenAI model (OpenAI-compatible)")
  @Requires(Permission.AGENTS_READ)
  public OpenAiModel getModel(Caller caller, @PathVariable String model) {
    return OpenAiModel.of(models.resolve(caller.company(), model));
  }
}
