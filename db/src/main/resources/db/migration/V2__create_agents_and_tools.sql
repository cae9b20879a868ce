CREATE TABLE agents (
  id              VARCHAR(36)  NOT NULL,
  company_id      VARCHAR(36)  NOT NULL,
  name            VARCHAR(200) NOT NULL,
  status          VARCHAR(16)  NOT NULL,
  current_version INT          NOT NULL,
  created_at      DATETIME(6)  NOT NULL,
  updated_at      DATETIME(6)  NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT fk_agents_company FOREIGN KEY (company_id) REFERENCES companies (id)
);
CREATE INDEX ix_agents_company ON agents (company_id, created_at);

-- Immutable: a change to an agent is a new row with version + 1.
CREATE TABLE agent_versions (
  company_id VARCHAR(36) NOT NULL,
  agent_id   VARCHAR(36) NOT NULL,
  version    INT         NOT NULL,
  config     JSON        NOT NULL,
  created_by VARCHAR(100) NULL,
  created_at DATETIME(6) NOT NULL,
  PRIMARY KEY (agent_id, version),
  CONSTRAINT fk_agent_versions_agent FOREIGN KEY (agent_id) REFERENCES agents (id)
);
CREATE INDEX ix_agent_versions_company ON agent_versions (company_id, agent_id);

CREATE TABLE tools (
  id                VARCHAR(36)   NOT NULL,
  company_id        VARCHAR(36)   NOT NULL,
  name              VARCHAR(64)   NOT NULL,
  description       VARCHAR(2000) NOT NULL,
  method            VARCHAR(8)    NOT NULL,
  url_template      VARCHAR(2000) NOT NULL,
  headers           JSON          NOT NULL,
  parameters        JSON          NOT NULL,
  timeout_ms        INT           NOT NULL,
  requires_approval TINYINT(1)    NOT NULL,
  status            VARCHAR(16)   NOT NULL,
  created_at        DATETIME(6)   NOT NULL,
  updated_at        DATETIME(6)   NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT uq_tools_company_name UNIQUE (company_id, name),
  CONSTRAINT fk_tools_company FOREIGN KEY (company_id) REFERENCES companies (id)
);

CREATE TABLE agent_tools (
  company_id VARCHAR(36) NOT NULL,
  agent_id   VARCHAR(36) NOT NULL,
  tool_id    VARCHAR(36) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  PRIMARY KEY (agent_id, tool_id),
  CONSTRAINT fk_agent_tools_agent FOREIGN KEY (agent_id) REFERENCES agents (id),
  CONSTRAINT fk_agent_tools_tool FOREIGN KEY (tool_id) REFERENCES tools (id)
);
CREATE INDEX ix_agent_tools_company ON agent_tools (company_id, agent_id);
