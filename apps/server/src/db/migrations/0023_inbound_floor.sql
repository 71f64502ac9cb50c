CREATE UNIQUE INDEX "inbound_calls_call_id_key" ON "inbound_calls" USING btree ("call_id") WHERE "inbound_calls"."call_id" is not null;--> statement-breakpoint
-- Live updates of the inbound lines' queues on the floor: a call that arrives to wait or ring, and
-- every change of a call's status or rung agent (rung, answered, declined or let ring out, the
-- caller hung up, ended, overflowed), is announced on engage_events as 'inbound.changed' with its
-- line and the teams answering it (ids only: the floor re-reads through the API). A trigger, so
-- that no path writing inbound_calls (the phone system's offer and events, the agent's Answer and
-- Decline, the sweep's ring time-outs and set-based overflow) can forget it. PostgreSQL delivers it
-- on commit and sends identical payloads of one transaction once: one notification per line per
-- transaction, however many of its calls changed. The teams come from inbound_line_teams' primary key.
CREATE FUNCTION engage_notify_inbound_call() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('engage_events', json_build_object(
    'type', 'inbound.changed',
    'lineId', NEW.line_id,
    'teamIds', (SELECT coalesce(json_agg(lt.team_id ORDER BY lt.team_id), '[]'::json)
                  FROM inbound_line_teams lt WHERE lt.line_id = NEW.line_id)
  )::text);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER inbound_calls_arrived AFTER INSERT ON inbound_calls
  FOR EACH ROW WHEN (NEW.status IN ('queued', 'ringing'))
  EXECUTE FUNCTION engage_notify_inbound_call();
--> statement-breakpoint
CREATE TRIGGER inbound_calls_changed AFTER UPDATE OF status, ringing_agent_id ON inbound_calls
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.ringing_agent_id IS DISTINCT FROM NEW.ringing_agent_id)
  EXECUTE FUNCTION engage_notify_inbound_call();
