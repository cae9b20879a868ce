-- A turn's usage events (the usage of GET /v1/turns/{id} and of every chat answer, TurnViewReads and
-- UsageEventRepository.listForTurn) were found through ix_usage_events_company_time, i.e. by reading
-- every event of the company: a chat answer got slower with every turn the company had run. This
-- index finds them directly, in the order the answer reads them (last event first).
CREATE INDEX ix_usage_events_turn ON usage_events (company_id, turn_id, occurred_at, id);
