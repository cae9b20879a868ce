CREATE TABLE kb_documents (
  id            VARCHAR(36)   NOT NULL,
  company_id    VARCHAR(36)   NOT NULL,
  agent_id      VARCHAR(36)   NOT NULL,
  title         VARCHAR(500)  NOT NULL,
  content_type  VARCHAR(100)  NOT NULL,
  size_bytes    BIGINT        NOT NULL,
  blob_ref      VARCHAR(500)  NOT NULL,
  status        VARCHAR(16)   NOT NULL,
  version       INT           NOT NULL,
  chunks_total  INT           NULL,
  chunks_done   INT           NOT NULL,
  error         VARCHAR(2000) NULL,
  created_at    DATETIME(6)   NOT NULL,
  updated_at    DATETIME(6)   NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT fk_kb_documents_agent FOREIGN KEY (agent_id) REFERENCES agents (id)
);
CREATE INDEX ix_kb_documents_company ON kb_documents (company_id, agent_id, created_at);

-- Append-only: no code path updates or deletes a usage event; corrections are new events.
-- The idempotency key comes from the workflow and its step, so a retry cannot record twice.
CREATE TABLE usage_events (
  id              VARCHAR(36)  NOT NULL,
  company_id      VARCHAR(36)  NOT NULL,
  agent_id        VARCHAR(36)  NULL,
  session_id      VARCHAR(36)  NULL,
  turn_id         VARCHAR(36)  NULL,
  kind            VARCHAR(16)  NOT NULL,
  provider        VARCHAR(32)  NULL,
  model           VARCHAR(200) NULL,
  input_tokens    BIGINT       NOT NULL,
  output_tokens   BIGINT       NOT NULL,
  quantity        BIGINT       NOT NULL,
  estimated       TINYINT(1)   NOT NULL,
  idempotency_key VARCHAR(255) NOT NULL,
  occurred_at     DATETIME(6)  NOT NULL,
  created_at      DATETIME(6)  NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT uq_usage_events_idem UNIQUE (company_id, idempotency_key)
);
CREATE INDEX ix_usage_events_company_time ON usage_events (company_id, occurred_at);

CREATE TABLE invoices (
  id             VARCHAR(36) NOT NULL,
  company_id     VARCHAR(36) NOT NULL,
  period         CHAR(7)     NOT NULL,
  status         VARCHAR(16) NOT NULL,
  currency       CHAR(3)     NOT NULL,
  plan_id        VARCHAR(64) NOT NULL,
  subtotal_minor BIGINT      NOT NULL,
  total_minor    BIGINT      NOT NULL,
  event_count    BIGINT      NOT NULL,
  event_digest   CHAR(64)    NOT NULL,
  created_at     DATETIME(6) NOT NULL,
  updated_at     DATETIME(6) NOT NULL,
  finalized_at   DATETIME(6) NULL,
  PRIMARY KEY (id),
  CONSTRAINT uq_invoices_company_period UNIQUE (company_id, period),
  CONSTRAINT fk_invoices_company FOREIGN KEY (company_id) REFERENCES companies (id)
);

CREATE TABLE invoice_lines (
  id               VARCHAR(36)  NOT NULL,
  company_id       VARCHAR(36)  NOT NULL,
  invoice_id       VARCHAR(36)  NOT NULL,
  line_no          INT          NOT NULL,
  kind             VARCHAR(32)  NOT NULL,
  description      VARCHAR(500) NOT NULL,
  model            VARCHAR(200) NULL,
  quantity         BIGINT       NOT NULL,
  unit_price_minor BIGINT       NOT NULL,
  amount_minor     BIGINT       NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT uq_invoice_lines_no UNIQUE (invoice_id, line_no),
  CONSTRAINT fk_invoice_lines_invoice FOREIGN KEY (invoice_id) REFERENCES invoices (id)
);
CREATE INDEX ix_invoice_lines_company ON invoice_lines (company_id, invoice_id);

CREATE TABLE audit_logs (
  id          VARCHAR(36)  NOT NULL,
  company_id  VARCHAR(36)  NOT NULL,
  actor_type  VARCHAR(16)  NOT NULL,
  actor_id    VARCHAR(100) NOT NULL,
  action      VARCHAR(64)  NOT NULL,
  target_type VARCHAR(32)  NOT NULL,
  target_id   VARCHAR(100) NOT NULL,
  diff        JSON         NULL,
  request_id  VARCHAR(100) NULL,
  created_at  DATETIME(6)  NOT NULL,
  PRIMARY KEY (id)
);
CREATE INDEX ix_audit_logs_company ON audit_logs (company_id, created_at);
