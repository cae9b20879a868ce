-- Event types move to one dotted vocabulary (TurnEventType): turn.started, message.delta, ...
-- Rows written before keep their meaning under the new names; readers still accept the old names
-- for events an old worker writes during a rolling upgrade.
/* [jooq ignore start] */
UPDATE turn_events SET event_type = CASE event_type
  WHEN 'turn_started' THEN 'turn.started'
  WHEN 'step_started' THEN 'step.started'
  WHEN 'step_finished' THEN 'step.finished'
  WHEN 'tool_call_requested' THEN 'tool.called'
  WHEN 'tool_call_awaiting_approval' THEN 'approval.requested'
  WHEN 'tool_call_approved' THEN 'approval.approved'
  WHEN 'tool_call_denied' THEN 'approval.denied'
  WHEN 'tool_call_approval_timed_out' THEN 'approval.timed_out'
  WHEN 'tool_call_executed' THEN 'tool.executed'
  WHEN 'tool_call_result' THEN 'tool.result'
  WHEN 'final_message' THEN 'message.completed'
  WHEN 'turn_completed' THEN 'turn.completed'
  WHEN 'turn_failed' THEN 'turn.failed'
  ELSE event_type END
WHERE event_type IN ('turn_started', 'step_started', 'step_finished', 'tool_call_requested',
  'tool_call_awaiting_approval', 'tool_call_approved', 'tool_call_denied', 'tool_call_approval_timed_out',
  'tool_call_executed', 'tool_call_result', 'final_message', 'turn_completed', 'turn_failed');
/* [jooq ignore stop] */
