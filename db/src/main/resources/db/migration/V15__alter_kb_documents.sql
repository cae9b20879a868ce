-- version is the version being (or last) indexed; ready_version is the one retrieval serves. They
-- differ while a reindex runs, so a ready document never answers with nothing during the switch.
ALTER TABLE kb_documents ADD COLUMN ready_version INT NULL;
ALTER TABLE kb_documents ADD COLUMN embedding_model VARCHAR(200) NULL;
ALTER TABLE kb_documents ADD COLUMN error_code VARCHAR(64) NULL;
ALTER TABLE kb_documents ADD COLUMN indexed_at DATETIME(6) NULL;
