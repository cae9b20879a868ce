-- How long a call of a tool that requires approval waits for a decision; NULL means the
-- platform's default. Seconds, so a wait of days fits an INT.
ALTER TABLE tools ADD COLUMN approval_timeout_s INT NULL;
CREATE INDEX ix_tools_company ON tools (company_id, created_at);
CREATE INDEX ix_agent_tools_tool ON agent_tools (company_id, tool_id);
