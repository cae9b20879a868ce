package dev.saturn.activities.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.saturn.activities.chat.AgentConfigs;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.tools.ToolRepository;
import dev.saturn.db.tools.ToolRow;
import dev.saturn.db.tools.ToolVersions;
import dev.saturn.workflows.agents.AgentConfig;
import dev.saturn.workflows.common.ErrorCode;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The tools of a pinned agent version: the version's {@code config.tools} ids resolved to the
 * company's tools, in allowlist order, each with the definition (description and schema) the
 * version pinned ({@link ToolVersions}): what the model is shown and what calls are checked
 * against. A tool deleted since, or one its MCP server no longer lists, is left out.
 */
@Component
public class ToolCatalog {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final String SECRET_MARK = "x-secret";

  /** Configs are immutable once published (no statement updates agent_versions.config); the bound caps memory. */
  private static final int CACHED_CONFIGS = 10_000;

  private record VersionKey(String companyId, String agentId, int version) {}

  private final AgentRepository agents;
  private final ToolRepository tools;
  private final ToolVersions versions;
  private final Cache<VersionKey, AgentConfig> configs = Caffeine.newBuilder().maximumSize(CACHED_CONFIGS).build();

  public ToolCatalog(AgentRepository agents, ToolRepository tools, ToolVersions versions) {
    this.agents = agents;
    this.tools = tools;
    this.versions = versions;
  }

  /** The config of agent version {@code version}; read once per process, as a published version never changes. */
  public AgentConfig config(CompanyId company, String agentId, int version) {
    return configs.get(new VersionKey(company.value(), agentId, version), key -> AgentConfigs.parse(
        agents.findVersion(company, agentId, version)
            .orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
                "agent version " + version + " not found", ErrorCode.NOT_FOUND.name()))
            .configJson()));
  }

  /** As {@link #config(CompanyId, String, int)}, for a caller that read the version's stored config itself. */
  public AgentConfig config(CompanyId company, String agentId, int version, String storedJson) {
    return configs.get(new VersionKey(company.value(), agentId, version), key -> AgentConfigs.parse(storedJson));
  }

  /** The tools of agent version {@code version}, whose config is {@code config}. */
  public List<ToolRow> toolsOf(CompanyId company, String agentId, int version, AgentConfig config) {
    Map<String, ToolRow> byId = new HashMap<>();
    tools.findAll(company, config.toolIds()).forEach(tool -> byId.put(tool.id(), tool));
    Map<String, Integer> pins = config.toolIds().isEmpty() ? Map.of() : versions.pinned(company, agentId, version);
    List<ToolRow> ordered = new ArrayList<>();
    for (String id : config.toolIds()) {
      ToolRow tool = byId.get(id);
      if (tool == null || !tool.available()) {
        continue;
      }
      Integer pinned = pins.get(id);
      if (pinned != null && pinned != tool.version()) {
        ToolRow current = tool;
        tool = versions.find(company, id, pinned)
            .map(d -> current.withDefinition(d.description(), d.parametersJson(), pinned))
            .orElse(current);
      }
      ordered.add(tool);
    }
    return ordered;
  }

  public Optional<ToolRow> named(CompanyId company, String agentId, int version, String name) {
    return toolsOf(company, agentId, version, config(company, agentId, version)).stream()
        .filter(t -> t.name().equals(name)).findFirst();
  }

  /** Property names the tool's schema marks {@code "x-secret": true}, at any depth. */
  public static Set<String> secretFields(ToolRow tool) {
    Set<String> names = new LinkedHashSet<>();
    try {
      collect(JSON.readTree(tool.parametersJson()), names);
    } catch (IOException e) {
      // the registry validated it; an unreadable schema marks nothing
    }
    return names;
  }

  private static void collect(JsonNode node, Set<String> names) {
    if (node == null) {
      return;
    }
    if (node.isObject()) {
      JsonNode properties = node.get("properties");
      if (properties != null && properties.isObject()) {
        properties.fields().forEachRemaining(e -> {
          if (e.getValue().path(SECRET_MARK).asBoolean(false)) {
            names.add(e.getKey());
          }
        });
      }
      node.forEach(child -> collect(child, names));
    } else if (node.isArray()) {
      node.forEach(child -> collect(child, names));
    }
  }
}
