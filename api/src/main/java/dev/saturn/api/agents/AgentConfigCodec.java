package dev.saturn.api.agents;

import dev.saturn.workflows.agents.AgentConfig;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Agent configs are stored as JSON documents; this writes them and reads them back for responses. */
@Component
class AgentConfigCodec {

  private final JsonMapper json;

  AgentConfigCodec(JsonMapper json) {
    this.json = json;
  }

  String toJson(AgentConfig config) {
    return json.writeValueAsString(config);
  }

  JsonNode toTree(String configJson) {
    return json.readTree(configJson);
  }
}
