package dev.saturn.api.openai;

import dev.saturn.api.web.ApiException;
import dev.saturn.api.web.FieldError;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.common.CompanyId;
import dev.saturn.workflows.common.ErrorCode;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * An OpenAI {@code model} is one of the company's agents: by id first, else by name when exactly
 * one agent has it (names are not unique; the database compares them case-insensitively).
 */
@Component
class AgentModels {

  /** The most agents {@code GET /v1/models} lists. */
  static final int MAX_LISTED = 1000;

  private final AgentRepository agents;

  AgentModels(AgentRepository agents) {
    this.agents = agents;
  }

  List<AgentRow> enabled(CompanyId company) {
    return agents.listEnabled(company, MAX_LISTED);
  }

  /**
   * @throws ApiException 404 naming {@code model} when no agent has that id or name, 400 when
   *     several agents have that name
   */
  AgentRow resolve(CompanyId company, String model) {
    if (model == null || model.isBlank()) {
      throw ApiException.invalidField("model", "is required: an agent's id or name (GET /v1/models lists them)");
    }
    if (model.length() <= 36) {
      var byId = agents.find(company, model);
      if (byId.isPresent()) {
        return byId.get();
      }
    }
    List<AgentRow> named = model.length() <= 200 ? agents.findByName(company, model, 2) : List.of();
    if (named.size() > 1) {
      throw ApiException.invalidField("model", "names more than one agent; use the agent's id");
    }
    if (named.isEmpty()) {
      throw new ApiException(ErrorCode.NOT_FOUND, "The model '" + model + "' does not exist",
          List.of(new FieldError("model", "is not the id or name of one of the company's agents")));
    }
    return named.get(0);
  }
}
