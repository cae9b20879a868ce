-- An invoice draft's event-set digest hashes the ids of one company's events of one billing period
-- in id order. ix_usage_events_billing is ordered by kind and model first, so that read needed a
-- filesort of every id; this index hands them over already in order, index-only (EXPLAIN: "Using
-- index", no "Using filesort"). id is the primary key, so InnoDB stores it once in this index.
CREATE INDEX ix_usage_events_billing_ids ON usage_events (company_id, billing_period, id);
