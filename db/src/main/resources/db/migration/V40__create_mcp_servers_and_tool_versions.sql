-- MCP servers a company registered as tool sources. headers maps names to a plain string or to
-- {"encrypted": "..."} (sealed like tool secrets, bound to the server's id). server_info is what
-- the server said of itself at the last listing (name, version, protocol revision).
CREATE TABLE mcp_servers (
  id          VARCHAR(36)   NOT NULL,
  company_id  VARCHAR(36)   NOT NULL,
  name        VARCHAR(32)   NOT NULL,
  url         VARCHAR(2000) NOT NULL,
  headers     JSON          NOT NULL,
  server_info JSON          NULL,
  listed_at   DATETIME(6)   NULL,
  created_at  DATETIME(6)   NOT NULL,
  updated_at  DATETIME(6)   NOT NULL,
  CONSTRAINT pk_mcp_servers PRIMARY KEY (id),
  CONSTRAINT uq_mcp_servers_company_name UNIQUE (company_id, name),
  CONSTRAINT fk_mcp_servers_company FOREIGN KEY (company_id) REFERENCES companies (id)
);
CREATE INDEX ix_mcp_servers_company ON mcp_servers (company_id, created_at);

-- A tool of kind 'mcp' is one tool of an MCP server: remote_name is its name there (the tool's
-- own name is SATURN's, unique in the company). status 'unavailable' marks one the server no
-- longer lists. version counts the definitions the model has seen (description and schema).
ALTER TABLE tools ADD COLUMN mcp_server_id VARCHAR(36) NULL;
ALTER TABLE tools ADD COLUMN remote_name VARCHAR(128) NULL;
ALTER TABLE tools ADD COLUMN version INT NOT NULL DEFAULT 1;
CREATE INDEX ix_tools_mcp_server ON tools (company_id, mcp_server_id);

-- Every definition of a versioned tool (MCP tools), kept so an agent version that pinned an
-- older one still shows the model, and validates calls against, the schema it pinned.
CREATE TABLE tool_versions (
  company_id  VARCHAR(36)   NOT NULL,
  tool_id     VARCHAR(36)   NOT NULL,
  version     INT           NOT NULL,
  description VARCHAR(2000) NOT NULL,
  parameters  JSON          NOT NULL,
  created_at  DATETIME(6)   NOT NULL,
  CONSTRAINT pk_tool_versions PRIMARY KEY (tool_id, version),
  CONSTRAINT fk_tool_versions_tool FOREIGN KEY (tool_id) REFERENCES tools (id) ON DELETE CASCADE
);
CREATE INDEX ix_tool_versions_company ON tool_versions (company_id, tool_id);

-- Which version of each attached tool an agent version pinned: written with every agent version
-- (the tools attached then, at their versions then). No foreign key to tools: like the ids in
-- config.tools, a pin outlives a deleted tool.
CREATE TABLE agent_version_tools (
  company_id   VARCHAR(36) NOT NULL,
  agent_id     VARCHAR(36) NOT NULL,
  version      INT         NOT NULL,
  tool_id      VARCHAR(36) NOT NULL,
  tool_version INT         NOT NULL,
  CONSTRAINT pk_agent_version_tools PRIMARY KEY (agent_id, version, tool_id),
  CONSTRAINT fk_agent_version_tools_version FOREIGN KEY (agent_id, version) REFERENCES agent_versions (agent_id, version)
);
CREATE INDEX ix_agent_version_tools_company ON agent_version_tools (company_id, agent_id, version);
