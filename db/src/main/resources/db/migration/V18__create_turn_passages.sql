-- What retrieval found for a chat turn, in rank order: the LLM activity puts these passages in the
-- prompt and the answer's citations are built from them. (turn_id, rank_no) is unique, so a
-- retried retrieval replaces its rows instead of adding to them.
CREATE TABLE turn_passages (
  turn_id          VARCHAR(36)  NOT NULL,
  rank_no          INT          NOT NULL,
  company_id       VARCHAR(36)  NOT NULL,
  document_id      VARCHAR(36)  NOT NULL,
  document_version INT          NOT NULL,
  chunk_index      INT          NOT NULL,
  title            VARCHAR(500) NOT NULL,
  score            DOUBLE       NOT NULL,
  content          MEDIUMTEXT   NOT NULL,
  created_at       DATETIME(6)  NOT NULL,
  PRIMARY KEY (turn_id, rank_no)
);
CREATE INDEX ix_turn_passages_company ON turn_passages (company_id, turn_id);
