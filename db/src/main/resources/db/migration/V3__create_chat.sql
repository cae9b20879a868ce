CREATE TABLE sessions (
  id         VARCHAR(36) NOT NULL,
  company_id VARCHAR(36) NOT NULL,
  agent_id   VARCHAR(36) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT fk_sessions_company FOREIGN KEY (company_id) REFERENCES companies (id),
  CONSTRAINT fk_sessions_agent FOREIGN KEY (agent_id) REFERENCES agents (id)
);
CREATE INDEX ix_sessions_company ON sessions (company_id, agent_id, created_at);

-- One row per chat turn; the workflow is the live state, this row is the durable outcome.
CREATE TABLE turns (
  id                   VARCHAR(36)   NOT NULL,
  company_id           VARCHAR(36)   NOT NULL,
  session_id           VARCHAR(36)   NOT NULL,
  agent_id             VARCHAR(36)   NOT NULL,
  agent_version        INT           NULL,
  workflow_id          VARCHAR(255)  NOT NULL,
  status               VARCHAR(16)   NOT NULL,
  error_code           VARCHAR(64)   NULL,
  error_message        VARCHAR(2000) NULL,
  assistant_message_id VARCHAR(36)   NULL,
  input_tokens         BIGINT        NULL,
  output_tokens        BIGINT        NULL,
  created_at           DATETIME(6)   NOT NULL,
  completed_at         DATETIME(6)   NULL,
  PRIMARY KEY (id),
  CONSTRAINT uq_turns_workflow UNIQUE (workflow_id),
  CONSTRAINT fk_turns_session FOREIGN KEY (session_id) REFERENCES sessions (id)
);
CREATE INDEX ix_turns_company ON turns (company_id, session_id, created_at);

-- (turn_id, role) is unique: a retried "persist message" activity cannot add a second row.
-- seq orders messages (auto-increment, so no read-then-write race between writers).
CREATE TABLE messages (
  id          VARCHAR(36) NOT NULL,
  company_id  VARCHAR(36) NOT NULL,
  session_id  VARCHAR(36) NOT NULL,
  turn_id     VARCHAR(36) NOT NULL,
  seq         BIGINT      NOT NULL AUTO_INCREMENT,
  role        VARCHAR(16) NOT NULL,
  content     MEDIUMTEXT  NOT NULL,
  citations   JSON        NULL,
  token_count INT         NULL,
  created_at  DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT uq_messages_seq UNIQUE (seq),
  CONSTRAINT uq_messages_turn_role UNIQUE (turn_id, role),
  CONSTRAINT fk_messages_session FOREIGN KEY (session_id) REFERENCES sessions (id)
);
CREATE INDEX ix_messages_session ON messages (company_id, session_id, seq);

-- Write requests with an Idempotency-Key: the first request's hash and the resource it made.
CREATE TABLE idempotency_records (
  company_id    VARCHAR(36)  NOT NULL,
  scope         VARCHAR(64)  NOT NULL,
  idem_key      VARCHAR(255) NOT NULL,
  request_hash  CHAR(64)     NOT NULL,
  resource_type VARCHAR(32)  NOT NULL,
  resource_id   VARCHAR(36)  NOT NULL,
  created_at    DATETIME(6)  NOT NULL,
  PRIMARY KEY (company_id, scope, idem_key)
);
