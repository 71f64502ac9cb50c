-- End Call now ends the inbound call it answered (dialer_end_inbound_call). Inbound calls whose
-- call record ended before this change, and that the phone system has not said 'ended' for, are
-- ended now as End Call would have: at the call record's end, with an 'ended' event by the agent
-- who answered (none when the system or a manager ended the call record).
WITH ended AS (
  UPDATE inbound_calls ic
     SET status = 'ended', ended_at = c.ended_at, updated_at = c.ended_at
    FROM calls c
    LEFT JOIN end_reasons er ON er.id = c.end_reason_id
   WHERE c.id = ic.call_id AND ic.status = 'answered' AND ic.ended_at IS NULL AND c.ended_at IS NOT NULL
  RETURNING ic.id, c.ended_at, CASE WHEN er.system_key IS NULL THEN ic.answered_by END AS agent_id
)
INSERT INTO inbound_call_events (inbound_call_id, type, agent_id, at)
SELECT id, 'ended', agent_id, ended_at FROM ended;
