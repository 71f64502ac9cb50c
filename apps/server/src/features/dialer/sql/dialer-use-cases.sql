-- The dialer's use cases as PL/pgSQL functions, installed at start-up (dialer.routines.ts,
-- db/routines.ts) as written here.
--
-- The four on every cycle (next donor, Start Call, Skip, End Call) are one round trip and one
-- transaction each (the statement's own), where a transaction driven from Node took eight to
-- thirteen: on a 2-core machine the round trips, not the SQL, were the cost. Every use case takes
-- its locks in the same order: the shift, then the offer or call, then the donor's queue row,
-- then the donor-wide hold. They call the named rules of dialer-rules.sql and calling-window.sql.
--
-- A refusal raises SQLSTATE EG001 (dialer_refuse), so nothing it touched is kept;
-- dialer.service.ts turns it into the AppError the API answers. The one refusal that must keep a
-- write (an offer whose hold ran out is recorded as expired) returns normally with `expired: true`.
-- They run with enable_seqscan = off so that plans cached while tables were small never scan
-- them once they are big.
--
-- The routines by which the system or a manager ends an agent's work (dialer_system_end_call,
-- dialer_end_shift, dialer_release_shift_offer) run in the caller's transaction and announce the
-- shift's change themselves (pg_notify, delivered on commit).

-- A manager's correction of a call's end reason (written by the caller, who locked the call:
-- calls.service.ts), applied as End Call applies a reason (dialer_end_outcome), unless something
-- since decides for the donor's queue row in the call's campaign. Then the row and the call-back
-- stay as they are, and why is answered as 'kept':
--   held: an agent holds the donor now (an offer or a call, in any campaign): the hold is never
--     broken, and that agent's Skip or End Call decides;
--   later_call: the donor was called in that campaign after this call: the later outcome wins;
--   callback_pending: a call-back not booked on this call is pending in the queue row;
--   removed: a skip took the donor out of the campaign since;
--   not_in_queue, no_campaign: there is no queue row to change.
-- Do not call marks the donor everywhere even then: it is the donor's wish, not a queue outcome.
-- A correction never unmarks a donor: 'blocked' says whether they can be offered at all.
CREATE OR REPLACE FUNCTION dialer_correct_outcome(p_call int, p_now timestamptz) RETURNS json
LANGUAGE plpgsql AS $fn$
DECLARE
  v_call calls%ROWTYPE;
  v_reason end_reasons%ROWTYPE;
  v_row campaign_donors%ROWTYPE;
  v_callback int;
  v_kept text;
  v_out jsonb;
BEGIN
  SELECT * INTO v_call FROM calls WHERE id = p_call;
  SELECT * INTO v_reason FROM end_reasons WHERE id = v_call.end_reason_id;
  IF v_call.campaign_id IS NULL THEN
    v_kept := 'no_campaign';
  ELSE
    -- The queue row, then the call-back: End Call's lock order.
    SELECT * INTO v_row FROM campaign_donors
     WHERE campaign_id = v_call.campaign_id AND donor_id = v_call.donor_id FOR UPDATE;
    SELECT id INTO v_callback FROM appointments
     WHERE booked_call_id = v_call.id AND status = 'scheduled' ORDER BY id LIMIT 1 FOR UPDATE;
    IF v_row.donor_id IS NULL THEN
      v_kept := 'not_in_queue';
    ELSIF v_row.held_by_shift_id IS NOT NULL
       OR EXISTS (SELECT 1 FROM donor_holds h WHERE h.donor_id = v_call.donor_id AND h.expires_at > p_now) THEN
      v_kept := 'held';
    ELSIF EXISTS (SELECT 1 FROM calls l WHERE l.donor_id = v_call.donor_id AND l.campaign_id = v_call.campaign_id
                     AND (l.started_at, l.id) > (v_call.started_at, v_call.id)) THEN
      v_kept := 'later_call';
    ELSIF v_row.appointment_id IS NOT NULL AND v_row.appointment_id IS DISTINCT FROM v_callback THEN
      v_kept := 'callback_pending';
    ELSIF v_row.state = 'finished' AND v_row.finish_reason = 'removed' THEN
      v_kept := 'removed';
    END IF;
  END IF;
  v_out := dialer_end_outcome(v_call.campaign_id, v_call.donor_id, NULL, v_reason.outcome, v_reason.retry_minutes,
                               v_callback, v_kept IS NULL, p_now)::jsonb;
  -- Whether the donor can be offered at all (a correction does not unmark a donor).
  RETURN (v_out || jsonb_build_object('kept', v_kept, 'blocked',
          (SELECT engage_donor_blocked(d) FROM donors d WHERE d.id = v_call.donor_id)))::json;
END $fn$;

-- Next donor: checks the shift, its job role (one that takes no outbound work is never given a
-- donor) and the campaign (engage_campaign_unworkable), claims (dialer_claim_next_donor), offers,
-- moves the shift to previewing, or to out_of_data when nothing can be offered (the service then
-- reads why: OUT_OF_DATA_REASONS in dialer.sql.ts).
CREATE OR REPLACE FUNCTION dialer_next_donor(p_agent int, p_now timestamptz, p_lease_until timestamptz) RETURNS json
LANGUAGE plpgsql SET enable_seqscan = off AS $fn$
DECLARE
  v_shift shifts%ROWTYPE;
  v_role job_roles%ROWTYPE;
  v_camp record;
  v_rules engage_calling_rules;
  v_hold_until timestamptz;
  v_claim record;
  v_offer_id int;
BEGIN
  v_shift := dialer_lock_shift(p_agent);
  -- A job role that takes inbound calls only: its shifts wait for calls to ring, never for donors.
  SELECT * INTO v_role FROM job_roles WHERE id = v_shift.job_role_id;
  IF NOT v_role.outbound THEN
    PERFORM dialer_refuse('job_role_inbound_only', json_build_object('role', v_role.name));
  END IF;
  IF v_shift.state IN ('previewing', 'on_call', 'on_break') OR v_shift.campaign_id IS NULL OR v_shift.team_id IS NULL THEN
    PERFORM dialer_refuse('shift_not_ready', json_build_object('shift', row_to_json(v_shift)));
  END IF;
  -- Inbound comes before outbound: no donor is taken while an inbound call rings the agent.
  IF v_shift.ringing_inbound_call_id IS NOT NULL THEN PERFORM dialer_refuse('inbound_ringing', NULL); END IF;
  SELECT * INTO v_camp FROM dialer_campaign_for_agent(v_shift.campaign_id, v_shift.team_id, p_agent, p_now);
  IF NOT FOUND THEN PERFORM dialer_refuse('campaign_not_workable', json_build_object('campaign', NULL)); END IF;
  IF NOT (v_camp.agent_in_team AND v_camp.team_works_campaign AND v_camp.unworkable IS NULL) THEN
    PERFORM dialer_refuse('campaign_not_workable', json_build_object('campaign', row_to_json(v_camp)));
  END IF;
  v_rules := engage_calling_rules(v_camp.id);
  v_hold_until := p_now + make_interval(secs => v_camp.hold_seconds);

  -- A candidate held on another campaign is pushed back a minute ("bumped"); try the next one.
  FOR i IN 1..5 LOOP
    SELECT * INTO v_claim
      FROM dialer_claim_next_donor(v_camp.id, p_now, p_agent, v_rules, v_camp.max_attempts, v_hold_until, v_shift.id,
                                   make_interval(mins => v_camp.appointment_grace_minutes));
    EXIT WHEN v_claim.donor_id IS NULL;
    CONTINUE WHEN v_claim.bumped;
    INSERT INTO offers (shift_id, agent_id, campaign_id, team_id, donor_id, appointment_id, offered_at, expires_at)
    VALUES (v_shift.id, p_agent, v_camp.id, v_shift.team_id, v_claim.donor_id, v_claim.appointment_id, p_now, v_hold_until)
    RETURNING id INTO v_offer_id;
    v_shift.offer_id := v_offer_id;
    v_shift.lease_expires_at := p_lease_until;
    v_shift := dialer_shift_to(v_shift, 'previewing', p_now);
    RETURN json_build_object('shift', row_to_json(v_shift),
                             'offer', (SELECT row_to_json(v) FROM dialer_offer_v v WHERE v.id = v_offer_id));
  END LOOP;

  v_shift.lease_expires_at := p_lease_until;
  v_shift := dialer_shift_to(v_shift, 'out_of_data', p_now);
  RETURN json_build_object('shift', row_to_json(v_shift), 'campaign', row_to_json(v_camp));
END $fn$;

-- Start Call: the offer's hold lasts the call, the attempt is counted, the call is recorded.
CREATE OR REPLACE FUNCTION dialer_start_call(p_agent int, p_offer int, p_now timestamptz, p_lease_until timestamptz)
RETURNS json LANGUAGE plpgsql SET enable_seqscan = off AS $fn$
DECLARE
  v_shift shifts%ROWTYPE;
  v_offer offers%ROWTYPE;
  v_attempts int;
  v_call_id int;
BEGIN
  v_shift := dialer_lock_shift(p_agent);
  v_offer := dialer_lock_own_offer(v_shift, p_agent, p_offer);
  -- The hold is still this shift's: it lasts the call (queue row and donor-wide hold).
  WITH cd AS (
    UPDATE campaign_donors
       SET hold_expires_at = 'infinity', next_attempt_at = 'infinity',
           attempts = attempts + 1, last_attempt_at = p_now,
           appointment_id = NULL, appointment_owner_id = NULL
     WHERE campaign_id = v_offer.campaign_id AND donor_id = v_offer.donor_id AND held_by_shift_id = v_shift.id
       AND hold_expires_at > p_now
    RETURNING attempts
  ), dh AS (
    UPDATE donor_holds SET expires_at = 'infinity'
     WHERE donor_id = v_offer.donor_id AND shift_id = v_shift.id AND EXISTS (SELECT 1 FROM cd)
  )
  SELECT attempts INTO v_attempts FROM cd;
  IF v_attempts IS NULL THEN
    -- The hold ran out and the donor may be with someone else now: record that, then refuse.
    UPDATE offers SET status = 'expired', resolved_at = p_now WHERE id = v_offer.id;
    v_shift.offer_id := NULL;
    v_shift := dialer_shift_to(v_shift, 'ready', p_now);
    RETURN json_build_object('shift', row_to_json(v_shift), 'expired', true);
  END IF;
  INSERT INTO calls (direction, agent_id, shift_id, donor_id, campaign_id, team_id, offer_id, appointment_id,
                     phone_dialled, offered_at, started_at, updated_at)
  SELECT 'outbound', p_agent, v_shift.id, v_offer.donor_id, v_offer.campaign_id, v_offer.team_id, v_offer.id,
         v_offer.appointment_id, d.callable_phone, v_offer.offered_at, p_now, p_now
    FROM donors d WHERE d.id = v_offer.donor_id
  RETURNING id INTO v_call_id;
  IF v_offer.appointment_id IS NOT NULL THEN
    UPDATE appointments SET status = 'done', kept_call_id = v_call_id, updated_at = p_now
     WHERE id = v_offer.appointment_id AND status = 'scheduled';
  END IF;
  UPDATE offers SET status = 'started', resolved_at = p_now WHERE id = v_offer.id;
  v_shift.offer_id := NULL;
  v_shift.call_id := v_call_id;
  v_shift.lease_expires_at := p_lease_until;
  v_shift := dialer_shift_to(v_shift, 'on_call', p_now);
  RETURN json_build_object('shift', row_to_json(v_shift),
                           'call', (SELECT row_to_json(v) FROM dialer_call_v v WHERE v.id = v_call_id));
END $fn$;

-- Skip: the donor goes back (requeue) or out of the campaign (remove); no attempt is counted.
CREATE OR REPLACE FUNCTION dialer_skip_offer(p_agent int, p_offer int, p_reason int, p_notes text,
                                             p_now timestamptz, p_lease_until timestamptz)
RETURNS json LANGUAGE plpgsql SET enable_seqscan = off AS $fn$
DECLARE
  v_shift shifts%ROWTYPE;
  v_offer offers%ROWTYPE;
  v_reason skip_reasons%ROWTYPE;
BEGIN
  v_shift := dialer_lock_shift(p_agent);
  v_offer := dialer_lock_own_offer(v_shift, p_agent, p_offer);
  SELECT * INTO v_reason FROM skip_reasons WHERE id = p_reason;
  IF NOT FOUND OR v_reason.retired_at IS NOT NULL THEN PERFORM dialer_refuse('skip_reason_not_available', NULL); END IF;
  PERFORM dialer_release_donor(v_offer.campaign_id, v_offer.donor_id, v_shift.id,
                               CASE WHEN v_reason.outcome = 'requeue' THEN p_now END,
                               CASE WHEN v_reason.outcome = 'remove' THEN 'removed' END);
  UPDATE offers SET status = 'skipped', resolved_at = p_now, skip_reason_id = v_reason.id, notes = p_notes
   WHERE id = v_offer.id;
  v_shift.offer_id := NULL;
  v_shift.lease_expires_at := p_lease_until;
  v_shift := dialer_shift_to(v_shift, 'ready', p_now);
  RETURN json_build_object('shift', row_to_json(v_shift));
END $fn$;

-- End Call: the outcome, the call record and the shift in one transaction, once per
-- Idempotency-Key (a repeat gets the first answer; the same key with another request is refused).
-- A call-back chosen at End Call (p_appt_at) has been checked against the calling hours already.
CREATE OR REPLACE FUNCTION dialer_end_call(p_agent int, p_call int, p_reason int, p_notes text,
                                           p_appt_at timestamptz, p_appt_personal boolean, p_appt_notes text,
                                           p_key text, p_hash text, p_now timestamptz, p_lease_until timestamptz)
RETURNS json LANGUAGE plpgsql SET enable_seqscan = off AS $fn$
DECLARE
  v_prior record;
  v_shift shifts%ROWTYPE;
  v_call calls%ROWTYPE;
  v_reason end_reasons%ROWTYPE;
  v_queue boolean;
  v_booked record;
  v_booked_id int;
  v_owner int;
  v_result json;
BEGIN
  IF p_key IS NOT NULL THEN
    INSERT INTO idempotency_keys (user_id, operation, key, request_hash) VALUES (p_agent, 'endCall', p_key, p_hash)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
      SELECT request_hash, response INTO v_prior FROM idempotency_keys
       WHERE user_id = p_agent AND operation = 'endCall' AND key = p_key;
      IF v_prior.request_hash <> p_hash THEN PERFORM dialer_refuse('idempotency_key_reused', NULL); END IF;
      RETURN json_build_object('call', v_prior.response, 'replayed', true);
    END IF;
  END IF;

  -- Shift before call: the same lock order as every other use case.
  v_shift := dialer_open_shift(p_agent);
  SELECT * INTO v_call FROM calls WHERE id = p_call FOR UPDATE;
  IF NOT FOUND THEN PERFORM dialer_refuse('call_not_found', NULL); END IF;
  IF v_call.agent_id <> p_agent THEN PERFORM dialer_refuse('call_of_another_agent', NULL); END IF;
  IF v_call.ended_at IS NOT NULL THEN PERFORM dialer_refuse('call_already_ended', NULL); END IF;
  SELECT * INTO v_reason FROM end_reasons WHERE id = p_reason;
  -- The system's own reasons (end_reasons.system_key) are not the agent's to choose.
  IF NOT FOUND OR v_reason.retired_at IS NOT NULL OR v_reason.system_key IS NOT NULL THEN
    PERFORM dialer_refuse('end_reason_not_available', NULL);
  END IF;
  IF NOT engage_end_reason_fits(v_reason.direction, v_call.direction) THEN
    PERFORM dialer_refuse('end_reason_wrong_direction',
                          json_build_object('reason', v_reason.name, 'direction', v_call.direction));
  END IF;
  IF v_reason.outcome <> 'appointment' AND p_appt_at IS NOT NULL THEN
    PERFORM dialer_refuse('appointment_not_allowed', json_build_object('reason', v_reason.name));
  END IF;

  v_queue := v_call.campaign_id IS NOT NULL AND v_call.shift_id IS NOT NULL;
  IF v_queue THEN
    -- A call-back booked during this call keeps the donor for it.
    -- SELECT INTO: a call whose donor has no queue row in its campaign (an inbound call) books nothing.
    SELECT * INTO v_booked FROM dialer_lock_call_booking(v_call.id, v_call.campaign_id, v_call.donor_id);
    v_booked_id := v_booked.id;
    IF v_booked_id IS NOT NULL AND p_appt_at IS NOT NULL THEN
      PERFORM dialer_refuse('callback_already_booked', json_build_object('scheduled_at', v_booked.scheduled_at));
    END IF;
  END IF;

  UPDATE calls SET ended_at = p_now, end_reason_id = v_reason.id, notes = COALESCE(p_notes, ''), updated_at = p_now
   WHERE id = v_call.id;
  IF v_call.direction = 'inbound' THEN PERFORM dialer_end_inbound_call(v_call.id, p_agent, p_now); END IF;

  IF v_reason.outcome = 'appointment' AND v_booked_id IS NULL THEN
    IF p_appt_at IS NULL THEN PERFORM dialer_refuse('appointment_required', json_build_object('reason', v_reason.name)); END IF;
    IF v_call.campaign_id IS NULL THEN PERFORM dialer_refuse('appointment_without_campaign', NULL); END IF;
    v_owner := CASE WHEN p_appt_personal THEN p_agent END;
    INSERT INTO appointments (donor_id, campaign_id, scheduled_at, owner_agent_id, notes, booked_call_id, created_by,
                              created_at, updated_at)
    VALUES (v_call.donor_id, v_call.campaign_id, p_appt_at, v_owner, COALESCE(p_appt_notes, ''), v_call.id, p_agent,
            p_now, p_now)
    RETURNING id INTO v_booked_id;
  END IF;
  -- The reason's outcome: final, retry, call-back (the one just booked, or one booked during the
  -- call, which keeps the donor queued whatever the reason), do not call.
  PERFORM dialer_end_outcome(v_call.campaign_id, v_call.donor_id, v_call.shift_id, v_reason.outcome,
                             v_reason.retry_minutes, v_booked_id, v_queue, p_now);

  IF v_shift.id IS NOT NULL AND v_shift.call_id = v_call.id THEN
    v_shift.call_id := NULL;
    v_shift.lease_expires_at := p_lease_until;
    v_shift := dialer_shift_to(v_shift, 'ready', p_now);
  ELSE
    v_shift := NULL;
  END IF;
  v_result := (SELECT row_to_json(v) FROM dialer_call_v v WHERE v.id = v_call.id);
  IF p_key IS NOT NULL THEN
    UPDATE idempotency_keys SET status_code = 200, response = v_result
     WHERE user_id = p_agent AND operation = 'endCall' AND key = p_key;
  END IF;
  RETURN json_build_object('shift', CASE WHEN v_shift.id IS NULL THEN NULL ELSE row_to_json(v_shift) END, 'call', v_result);
END $fn$;

-- The system or a manager (p_by: end_reasons.system_key) ends a shift's open call: the call is kept
-- on record with that end reason, whose outcome (retry) the donor gets as at End Call
-- (dialer_end_outcome: a call-back booked during the call keeps the donor for it), and the shift
-- is ready again. Same lock order as End Call. Answers the shift as it is now (unchanged when it
-- has no open call), or null when it is closed. Announces the change itself.
CREATE OR REPLACE FUNCTION dialer_system_end_call(p_shift int, p_by text, p_now timestamptz) RETURNS shifts
LANGUAGE plpgsql AS $fn$
DECLARE
  v_shift shifts%ROWTYPE;
  v_call calls%ROWTYPE;
  v_reason end_reasons%ROWTYPE;
  v_booked_id int;
BEGIN
  SELECT * INTO v_shift FROM shifts WHERE id = p_shift AND closed_at IS NULL FOR UPDATE;
  IF NOT FOUND THEN RETURN NULL; END IF;
  IF v_shift.state <> 'on_call' OR v_shift.call_id IS NULL THEN RETURN v_shift; END IF;
  SELECT * INTO v_call FROM calls WHERE id = v_shift.call_id FOR UPDATE;
  SELECT * INTO STRICT v_reason FROM end_reasons WHERE system_key = p_by;
  IF v_call.ended_at IS NULL THEN
    IF v_call.campaign_id IS NOT NULL THEN
      v_booked_id := (dialer_lock_call_booking(v_call.id, v_call.campaign_id, v_call.donor_id)).id;
    END IF;
    UPDATE calls SET ended_at = p_now, end_reason_id = v_reason.id, updated_at = p_now WHERE id = v_call.id;
    IF v_call.direction = 'inbound' THEN PERFORM dialer_end_inbound_call(v_call.id, NULL, p_now); END IF;
    PERFORM dialer_end_outcome(v_call.campaign_id, v_call.donor_id, v_shift.id, v_reason.outcome,
                               v_reason.retry_minutes, v_booked_id, v_call.campaign_id IS NOT NULL, p_now);
  END IF;
  v_shift.call_id := NULL;
  v_shift := dialer_shift_to(v_shift, 'ready', p_now);
  PERFORM pg_notify('engage_events', dialer_shift_event(v_shift));
  RETURN v_shift;
END $fn$;

-- The system or a manager signs a shift out now (the account disabled, a manager's Sign out): its
-- open call is ended (dialer_system_end_call), its offer released, the shift closed. Answers the
-- closed shift, or null when it was closed already.
CREATE OR REPLACE FUNCTION dialer_end_shift(p_shift int, p_by text, p_now timestamptz) RETURNS shifts
LANGUAGE plpgsql AS $fn$
DECLARE v_shift shifts%ROWTYPE;
BEGIN
  SELECT * INTO v_shift FROM shifts WHERE id = p_shift AND closed_at IS NULL FOR UPDATE;
  IF NOT FOUND THEN RETURN NULL; END IF;
  IF v_shift.state = 'on_call' THEN v_shift := dialer_system_end_call(p_shift, p_by, p_now); END IF;
  IF v_shift.offer_id IS NOT NULL THEN PERFORM dialer_release_offer(v_shift.offer_id, v_shift.id, p_now); END IF;
  v_shift.offer_id := NULL;
  v_shift.closed_at := p_now;
  v_shift := dialer_shift_to(v_shift, v_shift.state, p_now);
  PERFORM pg_notify('engage_events', dialer_shift_event(v_shift));
  RETURN v_shift;
END $fn$;

-- A manager releases the donor a previewing shift holds: the offer is released (no attempt
-- counted) and the shift is ready again. Answers the shift as it is now, or null when it is closed.
CREATE OR REPLACE FUNCTION dialer_release_shift_offer(p_shift int, p_now timestamptz) RETURNS shifts
LANGUAGE plpgsql AS $fn$
DECLARE v_shift shifts%ROWTYPE;
BEGIN
  SELECT * INTO v_shift FROM shifts WHERE id = p_shift AND closed_at IS NULL FOR UPDATE;
  IF NOT FOUND THEN RETURN NULL; END IF;
  IF v_shift.state <> 'previewing' OR v_shift.offer_id IS NULL THEN RETURN v_shift; END IF;
  PERFORM dialer_release_offer(v_shift.offer_id, v_shift.id, p_now);
  v_shift.offer_id := NULL;
  v_shift := dialer_shift_to(v_shift, 'ready', p_now);
  PERFORM pg_notify('engage_events', dialer_shift_event(v_shift));
  RETURN v_shift;
END $fn$;
