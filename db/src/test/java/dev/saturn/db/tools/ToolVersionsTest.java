package dev.saturn.db.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.db.agents.AgentAllowlist;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ToolVersionsTest {

  static TestDatabase database;
  static DSLContext db;
  static ToolVersions versions;
  static ToolRepository tools;
  static AgentRepository agents;
  static AgentAllowlist allowlist;
  static McpServerRepository servers;

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    db = database.dsl();
    versions = new ToolVersions(db);
    tools = new ToolRepository(db, versions);
    agents = new AgentRepository(db, Clock.systemUTC());
    allowlist = new AgentAllowlist(db, agents, Clock.systemUTC());
    servers = new McpServerRepository(db);
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  static ToolRow mcpTool(CompanyId company, String serverId, String name, String schema) {
    Instant now = Instant.now();
    return new ToolRow(Ids.newId(), company.value(), name, "v1 of " + name, "POST", "", "{}", schema, 10_000, false,
        null, ToolRow.ACTIVE, now, now, false, ToolRow.MCP, serverId, name, 1);
  }

  static String server(CompanyId company) {
    Instant now = Instant.now();
    String id = Ids.newId();
    assertThat(servers.insert(company, new McpServerRow(id, company.value(), "srv" + id.substring(0, 8),
        "https://mcp.example.test/mcp", "{}", null, now, now, now))).isTrue();
    return id;
  }

  @Test
  void givenAPinnedAgentVersion_whenTheToolGetsANewDefinition_itShouldKeepThePinAndTheOldDefinition() {
    CompanyId company = Fixtures.company(db);
    String server = server(company);
    ToolRow tool = mcpTool(company, server, "lookup", "{\"type\":\"object\",\"properties\":{\"word\":{\"type\":\"string\"}}}");
    assertThat(tools.insertMcpTool(company, tool)).isTrue();
    AgentRow agent = agents.create(company, "bot", "{}", null);
    AgentAllowlist.Change attached = allowlist.attach(company, agent.id(), tool.id(), null, (config, ids) -> config);

    int next = tools.newDefinition(company, tool.id(), "v2 of lookup",
        "{\"type\":\"object\",\"properties\":{\"word\":{\"type\":\"string\"},\"language\":{\"type\":\"string\"}}}", true,
        Instant.now()).orElseThrow();
    int later = agents.newVersion(company, agent.id(), "{}", null).orElseThrow().version();

    assertThat(next).isEqualTo(2);
    assertThat(versions.pinned(company, agent.id(), attached.version())).isEqualTo(Map.of(tool.id(), 1));
    assertThat(versions.pinned(company, agent.id(), later)).isEqualTo(Map.of(tool.id(), 2));
    assertThat(versions.find(company, tool.id(), 1)).get()
        .satisfies(d -> assertThat(d.parametersJson()).doesNotContain("language"))
        .satisfies(d -> assertThat(d.description()).isEqualTo("v1 of lookup"));
    ToolRow current = tools.find(company, tool.id()).orElseThrow();
    assertThat(current.version()).isEqualTo(2);
    assertThat(current.idempotent()).isTrue();
    assertThat(current.parametersJson()).contains("language");
    assertThat(tools.ofMcpServer(company, server)).extracting(ToolRow::id).containsExactly(tool.id());
  }

  @Test
  void givenAnotherCompany_whenReadingPinsAndDefinitions_itShouldSeeNothing() {
    CompanyId a = Fixtures.company(db);
    CompanyId b = Fixtures.company(db);
    String server = server(a);
    ToolRow tool = mcpTool(a, server, "echo", "{\"type\":\"object\"}");
    tools.insertMcpTool(a, tool);
    AgentRow agent = agents.create(a, "bot", "{}", null);
    int version = allowlist.attach(a, agent.id(), tool.id(), null, (config, ids) -> config).version();

    assertThat(versions.pinned(b, agent.id(), version)).isEmpty();
    assertThat(versions.find(b, tool.id(), 1)).isEmpty();
    assertThat(servers.find(b, server)).isEmpty();
    assertThat(tools.ofMcpServer(b, server)).isEmpty();
    assertThat(servers.list(a, null, 10).items()).extracting(McpServerRow::id).isEqualTo(List.of(server));
  }
}
