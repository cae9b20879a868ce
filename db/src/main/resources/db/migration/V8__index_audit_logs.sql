-- GET /v1/audit-logs filters by target ("the history of this agent") and by actor, newest first.
CREATE INDEX ix_audit_logs_target ON audit_logs (company_id, target_type, target_id, created_at);
CREATE INDEX ix_audit_logs_actor ON audit_logs (company_id, actor_id, created_at);
