-- The uploaded bytes when the blob store is the database (the default): every worker can read
-- them, whichever machine received the upload.
CREATE TABLE kb_blobs (
  document_id VARCHAR(36) NOT NULL,
  company_id  VARCHAR(36) NOT NULL,
  content     LONGBLOB    NOT NULL,
  created_at  DATETIME(6) NOT NULL,
  PRIMARY KEY (document_id)
);
CREATE INDEX ix_kb_blobs_company ON kb_blobs (company_id, document_id);
