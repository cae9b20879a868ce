package dev.saturn.api.agents;

import dev.saturn.api.identity.Caller;
import dev.saturn.api.idempotency.IdempotentRequests;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.agents.AgentRow;
import org.springframework.stereotype.Component;

/** Creating an agent, once per idempotency key: the one path of the API ({@code POST /v1/agents}) and the console. */
@Component
class AgentCreation {

  private final AgentRepository agents;
  private final AgentService service;
  private final AgentConfigCodec configs;
  private final IdempotentRequests requests;

  AgentCreation(AgentRepository agents, AgentService service, AgentConfigCodec configs, IdempotentRequests requests) {
    this.agents = agents;
    this.service = service;
    this.configs = configs;
    this.requests = requests;
  }

  /** @param idempotencyKey null: every call creates */
  AgentRow create(Caller caller, String idempotencyKey, String name, AgentConfigRequest config) {
    String configJson = configs.toJson(config.toConfig());
    return requests.once(
        caller.company(),
        "agents.create",
        idempotencyKey,
        IdempotentRequests.hash(name, configJson),
        "agent",
        id -> service.create(caller, id, name, configJson),
        id -> agents.find(caller.company(), id).orElseThrow());
  }
}
