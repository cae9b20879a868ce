-- Plans are platform-wide (not tenant data); companies reference one.
CREATE TABLE plans (
  id                    VARCHAR(64)  NOT NULL,
  name                  VARCHAR(200) NOT NULL,
  currency              CHAR(3)      NOT NULL,
  base_fee_minor        BIGINT       NOT NULL,
  included_tokens       BIGINT       NOT NULL,
  monthly_token_quota   BIGINT       NULL,
  tool_call_price_minor BIGINT       NOT NULL,
  model_prices          JSON         NOT NULL,
  rate_limits           JSON         NOT NULL,
  created_at            DATETIME(6)  NOT NULL,
  PRIMARY KEY (id)
);

CREATE TABLE companies (
  id         VARCHAR(36)  NOT NULL,
  name       VARCHAR(200) NOT NULL,
  plan_id    VARCHAR(64)  NOT NULL,
  status     VARCHAR(16)  NOT NULL,
  created_at DATETIME(6)  NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT fk_companies_plan FOREIGN KEY (plan_id) REFERENCES plans (id)
);

CREATE TABLE users (
  id            VARCHAR(36)  NOT NULL,
  company_id    VARCHAR(36)  NOT NULL,
  email         VARCHAR(320) NOT NULL,
  name          VARCHAR(200) NULL,
  password_hash VARCHAR(200) NULL,
  status        VARCHAR(16)  NOT NULL,
  created_at    DATETIME(6)  NOT NULL,
  updated_at    DATETIME(6)  NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT uq_users_company_email UNIQUE (company_id, email),
  CONSTRAINT fk_users_company FOREIGN KEY (company_id) REFERENCES companies (id)
);

-- A user's role inside a company (owner, admin, developer, viewer).
CREATE TABLE memberships (
  company_id VARCHAR(36) NOT NULL,
  user_id    VARCHAR(36) NOT NULL,
  role       VARCHAR(16) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (company_id, user_id),
  CONSTRAINT fk_memberships_company FOREIGN KEY (company_id) REFERENCES companies (id),
  CONSTRAINT fk_memberships_user FOREIGN KEY (user_id) REFERENCES users (id)
);

-- Secrets are never stored: only a SHA-256 of the whole key; the prefix finds the row.
CREATE TABLE api_keys (
  id           VARCHAR(36)  NOT NULL,
  company_id   VARCHAR(36)  NOT NULL,
  user_id      VARCHAR(36)  NULL,
  name         VARCHAR(200) NOT NULL,
  prefix       VARCHAR(32)  NOT NULL,
  key_hash     CHAR(64)     NOT NULL,
  scopes       JSON         NOT NULL,
  status       VARCHAR(16)  NOT NULL,
  created_at   DATETIME(6)  NOT NULL,
  expires_at   DATETIME(6)  NULL,
  last_used_at DATETIME(6)  NULL,
  revoked_at   DATETIME(6)  NULL,
  grace_until  DATETIME(6)  NULL,
  replaced_by  VARCHAR(36)  NULL,
  PRIMARY KEY (id),
  CONSTRAINT uq_api_keys_prefix UNIQUE (prefix),
  CONSTRAINT fk_api_keys_company FOREIGN KEY (company_id) REFERENCES companies (id)
);
CREATE INDEX ix_api_keys_company ON api_keys (company_id, created_at);
