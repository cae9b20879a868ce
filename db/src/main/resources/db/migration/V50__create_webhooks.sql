-- Where SATURN sends signed events (Standard Webhooks). kind 'webhook' is an endpoint of
-- /v1/webhooks; kind 'channel' is the reply URL of an inbound channel (same delivery machinery,
-- never listed as a webhook). Secrets are sealed (AES-GCM, bound to company and endpoint); the
-- previous secret keeps signing until previous_secret_expires_at after a rotation.
CREATE TABLE webhook_endpoints (
  id                         VARCHAR(36)   NOT NULL,
  company_id                 VARCHAR(36)   NOT NULL,
  kind                       VARCHAR(16)   NOT NULL,
  url                        VARCHAR(2000) NOT NULL,
  description                VARCHAR(500)  NULL,
  event_types                JSON          NOT NULL,
  status                     VARCHAR(16)   NOT NULL,
  disabled_reason            VARCHAR(500)  NULL,
  disabled_at                DATETIME(6)   NULL,
  secret_sealed              VARCHAR(255)  NOT NULL,
  previous_secret_sealed     VARCHAR(255)  NULL,
  previous_secret_expires_at DATETIME(6)   NULL,
  failing_since              DATETIME(6)   NULL,
  last_success_at            DATETIME(6)   NULL,
  created_at                 DATETIME(6)   NOT NULL,
  updated_at                 DATETIME(6)   NOT NULL,
  CONSTRAINT pk_webhook_endpoints PRIMARY KEY (id),
  CONSTRAINT fk_webhook_endpoints_company FOREIGN KEY (company_id) REFERENCES companies (id)
);
CREATE INDEX ix_webhook_endpoints_company ON webhook_endpoints (company_id, kind, created_at);

-- The outbox: one row per fact, written in the transaction that records the fact. The fact key
-- (e.g. turn.completed:{turnId}) is unique per company, so a retried activity adds nothing.
-- payload holds the exact bytes every delivery sends and signs. target_endpoint_id, when set,
-- sends the event to that endpoint only (a channel's reply), whatever it subscribes to.
CREATE TABLE webhook_events (
  id                 VARCHAR(36)  NOT NULL,
  company_id         VARCHAR(36)  NOT NULL,
  fact_key           VARCHAR(255) NOT NULL,
  event_type         VARCHAR(64)  NOT NULL,
  target_endpoint_id VARCHAR(36)  NULL,
  payload            MEDIUMTEXT   NOT NULL,
  occurred_at        DATETIME(6)  NOT NULL,
  dispatched_at      DATETIME(6)  NULL,
  created_at         DATETIME(6)  NOT NULL,
  CONSTRAINT pk_webhook_events PRIMARY KEY (id),
  CONSTRAINT uq_webhook_events_fact UNIQUE (company_id, fact_key)
);
CREATE INDEX ix_webhook_events_pending ON webhook_events (company_id, dispatched_at, created_at);

-- One row per (endpoint, event, seq): seq 0 is the delivery the relay started, n the n-th
-- redelivery. Each row is one delivery workflow; attempts are counted on the row.
CREATE TABLE webhook_deliveries (
  id               VARCHAR(36)   NOT NULL,
  company_id       VARCHAR(36)   NOT NULL,
  endpoint_id      VARCHAR(36)   NOT NULL,
  event_id         VARCHAR(36)   NOT NULL,
  seq              INT           NOT NULL,
  workflow_id      VARCHAR(255)  NOT NULL,
  status           VARCHAR(16)   NOT NULL,
  attempts         INT           NOT NULL,
  last_status_code INT           NULL,
  last_error       VARCHAR(1000) NULL,
  last_attempt_at  DATETIME(6)   NULL,
  next_attempt_at  DATETIME(6)   NULL,
  delivered_at     DATETIME(6)   NULL,
  created_at       DATETIME(6)   NOT NULL,
  updated_at       DATETIME(6)   NOT NULL,
  CONSTRAINT pk_webhook_deliveries PRIMARY KEY (id),
  CONSTRAINT uq_webhook_deliveries_seq UNIQUE (endpoint_id, event_id, seq)
);
CREATE INDEX ix_webhook_deliveries_endpoint ON webhook_deliveries (company_id, endpoint_id, created_at);
CREATE INDEX ix_webhook_deliveries_event ON webhook_deliveries (company_id, event_id);

-- Inbound channels: messages signed with the channel's secret start turns of its agent; the
-- replies go to its endpoint (kind 'channel').
CREATE TABLE channels (
  id          VARCHAR(36)  NOT NULL,
  company_id  VARCHAR(36)  NOT NULL,
  agent_id    VARCHAR(36)  NOT NULL,
  name        VARCHAR(200) NOT NULL,
  endpoint_id VARCHAR(36)  NOT NULL,
  created_at  DATETIME(6)  NOT NULL,
  updated_at  DATETIME(6)  NOT NULL,
  CONSTRAINT pk_channels PRIMARY KEY (id),
  CONSTRAINT fk_channels_agent FOREIGN KEY (agent_id) REFERENCES agents (id),
  CONSTRAINT fk_channels_endpoint FOREIGN KEY (endpoint_id) REFERENCES webhook_endpoints (id)
);
CREATE INDEX ix_channels_company ON channels (company_id, created_at);

-- An external conversation (the sender's session_key) is one SATURN session of the channel's agent.
CREATE TABLE channel_sessions (
  company_id  VARCHAR(36)  NOT NULL,
  channel_id  VARCHAR(36)  NOT NULL,
  session_key VARCHAR(200) NOT NULL,
  session_id  VARCHAR(36)  NOT NULL,
  created_at  DATETIME(6)  NOT NULL,
  CONSTRAINT pk_channel_sessions PRIMARY KEY (channel_id, session_key)
);
CREATE INDEX ix_channel_sessions_company ON channel_sessions (company_id, channel_id);

-- The turn an inbound message started, written with the turn itself: its end is the reply.
CREATE TABLE channel_messages (
  company_id  VARCHAR(36)  NOT NULL,
  turn_id     VARCHAR(36)  NOT NULL,
  channel_id  VARCHAR(36)  NOT NULL,
  webhook_id  VARCHAR(255) NOT NULL,
  session_key VARCHAR(200) NOT NULL,
  created_at  DATETIME(6)  NOT NULL,
  CONSTRAINT pk_channel_messages PRIMARY KEY (turn_id)
);
CREATE INDEX ix_channel_messages_channel ON channel_messages (company_id, channel_id);
