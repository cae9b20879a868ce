-- The UTC month (YYYY-MM) whose invoice bills the event. Fixed when the event is recorded: the
-- month of occurred_at, or, when that month's invoice is already finalized, the first later month
-- whose invoice is not (a late event). Never changed afterwards: usage_events stays append-only.
ALTER TABLE usage_events ADD COLUMN billing_period CHAR(7) NOT NULL DEFAULT '';
/* [jooq ignore start] */
UPDATE usage_events SET billing_period = DATE_FORMAT(occurred_at, '%Y-%m') WHERE billing_period = '';
/* [jooq ignore stop] */

-- Invoice drafts and quotas aggregate one company's events of one billing period by kind and model;
-- the amounts are in the index so the GROUP BY never visits the rows (EXPLAIN: "Using index").
CREATE INDEX ix_usage_events_billing
  ON usage_events (company_id, billing_period, kind, model, input_tokens, output_tokens, quantity);

-- What each provider attempt cost, billed or not: one row per (workflow, activity, attempt), written
-- by the LLM activity. A call retried after a timeout has two rows here and one usage event.
-- Append-only like usage_events.
CREATE TABLE provider_attempts (
  id            VARCHAR(36)  NOT NULL,
  company_id    VARCHAR(36)  NOT NULL,
  agent_id      VARCHAR(36)  NULL,
  turn_id       VARCHAR(36)  NULL,
  workflow_id   VARCHAR(255) NOT NULL,
  activity_id   VARCHAR(100) NOT NULL,
  attempt       INT          NOT NULL,
  provider      VARCHAR(32)  NOT NULL,
  model         VARCHAR(200) NULL,
  input_tokens  BIGINT       NOT NULL,
  output_tokens BIGINT       NOT NULL,
  estimated     TINYINT(1)   NOT NULL,
  outcome       VARCHAR(16)  NOT NULL,
  error_code    VARCHAR(64)  NULL,
  started_at    DATETIME(6)  NOT NULL,
  finished_at   DATETIME(6)  NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT uq_provider_attempts_step UNIQUE (company_id, workflow_id, activity_id, attempt)
);
CREATE INDEX ix_provider_attempts_company_time ON provider_attempts (company_id, started_at);
