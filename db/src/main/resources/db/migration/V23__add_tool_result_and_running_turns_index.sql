-- What a tool message's call came to (ok, error code, how it ran), written with the message by the
-- activity that ran or refused the call, so a reference to the result can be rebuilt from the row.
ALTER TABLE messages ADD COLUMN tool_result JSON NULL;

-- The turn reconciler looks for a company's running turns, oldest first.
CREATE INDEX ix_turns_running ON turns (company_id, status, created_at, id);
