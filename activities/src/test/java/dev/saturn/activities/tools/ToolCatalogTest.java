package dev.saturn.activities.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.db.agents.AgentAllowlist;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.Repositories;
import dev.saturn.db.testing.TestDatabase;
import dev.saturn.db.tools.McpServerRepository;
import dev.saturn.db.tools.McpServerRow;
import dev.saturn.db.tools.ToolRow;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Agent versions keep the tool definitions they pinned: what the model is shown and what calls are checked against. */
class ToolCatalogTest {

  static final String V1 = "{\"type\":\"object\",\"properties\":{\"word\":{\"type\":\"string\"}},\"required\":[\"word\"]}";
  static final String V2 = "{\"type\":\"object\",\"properties\":{\"word\":{\"type\":\"string\"},"
      + "\"language\":{\"type\":\"string\"}},\"required\":[\"word\",\"language\"]}";

  static TestDatabase database;
  static DSLContext db;
  static Repositories repos;
  static ToolCatalog catalog;
  static AgentAllowlist allowlist;
  static McpServerRepository servers;

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    db = database.dsl();
    repos = Repositories.over(db, Clock.systemUTC());
    catalog = new ToolCatalog(repos.agents(), repos.tools(), repos.toolVersions());
    allowlist = new AgentAllowlist(db, repos.agents(), Clock.systemUTC());
    servers = new McpServerRepository(db);
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  /** An agent whose allowlist holds one MCP tool at v1; returns [agent id, tool id, the version that attached it]. */
  static String[] agentWithMcpTool(CompanyId company) {
    Instant now = Instant.now();
    String serverId = Ids.newId();
    servers.insert(company, new McpServerRow(serverId, company.value(), "dict", "https://mcp.example.test/mcp", "{}",
        null, now, now, now));
    ToolRow tool = new ToolRow(Ids.newId(), company.value(), "dict_lookup", "Looks a word up.", "MCP", "", "{}", V1,
        5000, false, null, ToolRow.ACTIVE, now, now, false, ToolRow.MCP, serverId, "lookup", 1);
    assertThat(repos.tools().insertMcpTool(company, tool)).isTrue();
    AgentRow agent = repos.agents().create(company, "bot", "{}", null);
    int version = allowlist.attach(company, agent.id(), tool.id(), null,
        (config, ids) -> "{\"tools\": [\"" + String.join("\", \"", ids) + "\"]}").version();
    return new String[] {agent.id(), tool.id(), String.valueOf(version)};
  }

  List<ToolRow> toolsOf(CompanyId company, String agentId, int version) {
    return catalog.toolsOf(company, agentId, version, catalog.config(company, agentId, version));
  }

  @Test
  void givenAPinnedVersion_whenTheSchemaChangesLater_itShouldShowAndCheckThePinnedSchema() {
    CompanyId company = Fixtures.company(db);
    String[] ids = agentWithMcpTool(company);
    int pinned = Integer.parseInt(ids[2]);
    repos.tools().newDefinition(company, ids[1], "Looks a word up in a language.", V2, false, Instant.now());
    int later = repos.agents().newVersion(company, ids[0],
        repos.agents().findVersion(company, ids[0], pinned).orElseThrow().configJson(), null).orElseThrow().version();
    ToolArguments arguments = new ToolArguments();

    ToolRow old = toolsOf(company, ids[0], pinned).get(0);
    ToolRow current = toolsOf(company, ids[0], later).get(0);

    assertThat(old.version()).isEqualTo(1);
    assertThat(old.description()).isEqualTo("Looks a word up.");
    assertThat(arguments.problems(old.parametersJson(), "{\"word\": \"tree\"}")).isNull();
    assertThat(current.version()).isEqualTo(2);
    assertThat(arguments.problems(current.parametersJson(), "{\"word\": \"tree\"}")).contains("language");
    assertThat(catalog.named(company, ids[0], pinned, "dict_lookup")).get()
        .satisfies(t -> assertThat(t.parametersJson()).isEqualTo(old.parametersJson()));
  }

  @Test
  void givenAToolItsServerNoLongerLists_whenResolved_itShouldBeLeftOut() {
    CompanyId company = Fixtures.company(db);
    String[] ids = agentWithMcpTool(company);
    int version = Integer.parseInt(ids[2]);

    repos.tools().setListing(company, ids[1], ToolRow.UNAVAILABLE, false, Instant.now());

    assertThat(toolsOf(company, ids[0], version)).isEmpty();
    assertThat(catalog.named(company, ids[0], version, "dict_lookup")).isEmpty();
  }
}
