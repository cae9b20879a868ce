-- A company's own settings for a model provider ('openai', 'ollama'): agents of the company use them
-- before the server's. api_key_sealed is AES-GCM sealed like tool secrets (bound to company and
-- provider); NULL columns fall back to the server's setting (a key only with the server's URL).
CREATE TABLE company_providers (
  company_id     VARCHAR(36)   NOT NULL,
  provider       VARCHAR(32)   NOT NULL,
  base_url       VARCHAR(2048) NULL,
  api_key_sealed TEXT          NULL,
  default_model  VARCHAR(200)  NULL,
  created_at     DATETIME(6)   NOT NULL,
  updated_at     DATETIME(6)   NOT NULL,
  CONSTRAINT pk_company_providers PRIMARY KEY (company_id, provider)
);
