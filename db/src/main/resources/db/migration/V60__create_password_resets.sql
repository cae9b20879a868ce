-- At most one pending password reset per user (a newer token replaces the older one). Only a
-- SHA-256 of the token is stored; consuming a token deletes its row, so it works once.
CREATE TABLE password_resets (
  company_id VARCHAR(36) NOT NULL,
  user_id    VARCHAR(36) NOT NULL,
  token_hash CHAR(64)    NOT NULL,
  created_at DATETIME(6) NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  PRIMARY KEY (company_id, user_id),
  CONSTRAINT uq_password_resets_token UNIQUE (company_id, token_hash),
  CONSTRAINT fk_password_resets_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT fk_password_resets_company FOREIGN KEY (company_id) REFERENCES companies (id)
);
