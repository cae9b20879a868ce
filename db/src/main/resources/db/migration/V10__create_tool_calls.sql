-- The tool loop stores more than one message per (turn, role): an assistant message per model
-- step that asked for tools (msg_key 'step:N', its calls in tool_calls) and a tool message per
-- call (msg_key 'call:ID'). The turn's question and final answer keep msg_key ''. A retried
-- activity still cannot add a second row: (turn_id, role, msg_key) is unique.
ALTER TABLE messages ADD COLUMN msg_key VARCHAR(160) NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN tool_calls JSON NULL;
ALTER TABLE messages ADD COLUMN tool_call_id VARCHAR(128) NULL;
ALTER TABLE messages ADD COLUMN tool_name VARCHAR(64) NULL;
/* [jooq ignore start] */
ALTER TABLE messages DROP INDEX uq_messages_turn_role;
/* [jooq ignore stop] */
CREATE UNIQUE INDEX uq_messages_turn_role_key ON messages (turn_id, role, msg_key);

-- Calls of tools that say a retry is harmless are retried and carry an Idempotency-Key.
ALTER TABLE tools ADD COLUMN idempotent TINYINT(1) NOT NULL DEFAULT 0;

-- Tool calls waiting for (or given) a human decision. The workflow is the source of truth for
-- what is pending; this table is how people find them (GET /v1/approvals) without a query per
-- workflow. arguments are redacted.
CREATE TABLE tool_approvals (
  company_id   VARCHAR(36)   NOT NULL,
  turn_id      VARCHAR(36)   NOT NULL,
  call_id      VARCHAR(128)  NOT NULL,
  agent_id     VARCHAR(36)   NOT NULL,
  session_id   VARCHAR(36)   NOT NULL,
  tool_id      VARCHAR(36)   NOT NULL,
  tool_name    VARCHAR(64)   NOT NULL,
  arguments    MEDIUMTEXT    NOT NULL,
  status       VARCHAR(16)   NOT NULL,
  requested_at DATETIME(6)   NOT NULL,
  expires_at   DATETIME(6)   NOT NULL,
  decided_by   VARCHAR(100)  NULL,
  reason       VARCHAR(1000) NULL,
  decided_at   DATETIME(6)   NULL,
  PRIMARY KEY (turn_id, call_id)
);
CREATE INDEX ix_tool_approvals_company ON tool_approvals (company_id, status, requested_at);

-- What happened in a turn, in order, for GET /v1/turns/{id}/events (Server-Sent Events). seq
-- counts per turn from 1 and is the SSE id, so Last-Event-ID resumes exactly; event_key names the
-- step that wrote the event, so a retried activity cannot write it twice. data is redacted.
CREATE TABLE turn_events (
  company_id VARCHAR(36)  NOT NULL,
  turn_id    VARCHAR(36)  NOT NULL,
  seq        INT          NOT NULL,
  event_key  VARCHAR(200) NOT NULL,
  event_type VARCHAR(40)  NOT NULL,
  data       MEDIUMTEXT   NOT NULL,
  created_at DATETIME(6)  NOT NULL,
  PRIMARY KEY (turn_id, seq),
  CONSTRAINT uq_turn_events_key UNIQUE (turn_id, event_key)
);
CREATE INDEX ix_turn_events_company ON turn_events (company_id, turn_id, seq);
