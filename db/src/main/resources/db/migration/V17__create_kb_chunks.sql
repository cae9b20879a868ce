-- The chunks of one document version, written once by the indexing workflow's prepare step; the
-- batch activities read them by (document, version, index range), so workflow payloads stay ids
-- and offsets. The primary key makes a retried prepare write the same rows, not more.
CREATE TABLE kb_chunks (
  document_id VARCHAR(36) NOT NULL,
  version     INT         NOT NULL,
  chunk_index INT         NOT NULL,
  company_id  VARCHAR(36) NOT NULL,
  content     MEDIUMTEXT  NOT NULL,
  token_count INT         NOT NULL,
  PRIMARY KEY (document_id, version, chunk_index)
);
CREATE INDEX ix_kb_chunks_company ON kb_chunks (company_id, document_id, version);
