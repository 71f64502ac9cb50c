import { CALL_VIEW_SELECT, OFFER_VIEW_SELECT } from './dialer-views.repository';
import { CALLING_WINDOW_ROUTINES } from './calling-window.sql';
import {
  claimNextDonor,
  holdForCall,
  REFRESH_DONORS_IN_QUEUES,
  RELEASE_DONOR,
  setQueueOutcome,
  shiftEventJson,
} from './dialer.sql';

/**
 * The dialer's four hot use cases (next donor, start call, skip, end call) as PL/pgSQL functions:
 * each is one round trip and one transaction (the statement's own), where a transaction driven
 * from Node took eight to thirteen. On a 2-core machine the round trips, not the SQL, were the
 * cost. The rules stay the same and in the same lock order (shift, then offer or call, then the
 * donor's queue row, then the donor-wide hold); the statements are the ones in dialer.sql.ts.
 *
 * A refusal raises SQLSTATE EG001 with the refusal's code as message and a JSON detail, so
 * nothing it touched is kept; dialer.service.ts turns it into the AppError the API answers. The
 * one refusal that must keep a write (an offer whose hold ran out is recorded as expired) returns
 * normally with `expired: true`.
 *
 * Installed by db/routines.ts after the migrations (CREATE OR REPLACE, when the text changed).
 */

/** Rewrites a statement's $1..$n parameters as PL/pgSQL names, so the SQL is written once. */
function bind(statement: string, names: string[]): string {
  return statement.replace(/\$(\d+)/g, (_, n: string) => {
    const name = names[Number(n) - 1];
    if (!name) throw new Error(`no name for $${n}`);
    return name;
  });
}

/** Moves a shift to a state: state_since changes only with the state. */
const shiftTo = (state: string, set: string) => `
  UPDATE shifts SET state = ${state}, state_since = CASE WHEN state = ${state} THEN state_since ELSE p_now END${set}
   WHERE id = v_shift.id RETURNING * INTO v_shift;`;

export const DIALER_ROUTINES = `
${CALLING_WINDOW_ROUTINES}
DROP VIEW IF EXISTS dialer_offer_v, dialer_call_v;
CREATE VIEW dialer_offer_v AS ${OFFER_VIEW_SELECT};
CREATE VIEW dialer_call_v AS ${CALL_VIEW_SELECT};

CREATE OR REPLACE FUNCTION dialer_refuse(p_code text, p_detail json) RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'EG001', MESSAGE = p_code, DETAIL = COALESCE(p_detail::text, '{}');
END $fn$;

-- The campaign with what the rules need to know about this agent and team.
CREATE OR REPLACE FUNCTION dialer_campaign_for_agent(p_campaign int, p_team int, p_agent int)
RETURNS TABLE (id int, name text, purpose campaign_purpose, status campaign_status, starts_on text, ends_on text,
               calling_hours_start text, calling_hours_end text, max_attempts int, hold_seconds int,
               appointment_grace_minutes int, script text, team_name text, team_works_campaign boolean,
               agent_in_team boolean, list_count int)
LANGUAGE sql STABLE AS $fn$
  SELECT c.id, c.name, c.purpose, c.status, c.starts_on::text, c.ends_on::text,
         to_char(c.calling_hours_start, 'HH24:MI'),
         CASE WHEN c.calling_hours_end = '24:00' THEN '24:00' ELSE to_char(c.calling_hours_end, 'HH24:MI') END,
         c.max_attempts, c.hold_seconds, c.appointment_grace_minutes, c.script,
         (SELECT t.name FROM teams t WHERE t.id = p_team),
         EXISTS (SELECT 1 FROM campaign_teams ct WHERE ct.campaign_id = c.id AND ct.team_id = p_team),
         EXISTS (SELECT 1 FROM team_members tm WHERE tm.team_id = p_team AND tm.user_id = p_agent),
         (SELECT count(*) FROM campaign_lists cl WHERE cl.campaign_id = c.id)::int
    FROM campaigns c WHERE c.id = p_campaign
$fn$;

-- Lets a donor go after a skip or an end of call.
CREATE OR REPLACE FUNCTION dialer_release_donor(p_campaign int, p_donor int, p_shift int, p_next timestamptz, p_finish text)
RETURNS void LANGUAGE sql AS $fn$
${bind(RELEASE_DONOR, ['p_campaign', 'p_donor', 'p_shift', 'p_next', 'p_finish'])}
$fn$;

-- What an end reason does to the donor: the one rule that End Call (dialer_end_call) and a
-- manager's correction of a call (dialer_correct_outcome) share.
--   do_not_call: the donor is marked so and every queue they are on blocks them at once; a
--     call-back booked on the call is cancelled; they are finished in the call's campaign.
--   otherwise a call-back booked on the call (p_callback, still scheduled) keeps them queued
--     for it, whatever the reason;
--   else final finishes them in the campaign, retry queues them again after the reason's
--   minutes, and a call-back reason with nothing booked leaves the queue as it is.
-- p_touch_queue false leaves the campaign's queue row and the call-back alone (do not call still
-- marks the donor). The row changes only as setQueueOutcome (dialer.sql.ts) allows: held by
-- p_shift, or with p_shift null by nobody.
-- Answers {flagged: newly marked do not call, callback_cancelled: its id, queue: finished |
-- requeued | callback | unchanged, next_attempt_at}.
CREATE OR REPLACE FUNCTION dialer_end_outcome(p_campaign int, p_donor int, p_shift int, p_outcome end_outcome,
                                              p_retry_minutes int, p_callback int, p_touch_queue boolean,
                                              p_now timestamptz) RETURNS json
LANGUAGE plpgsql AS $fn$
DECLARE
  v_flagged boolean := false;
  v_cb_id int;
  v_cb_at timestamptz;
  v_cb_owner int;
  v_cancelled int;
  v_finish text;
  v_next timestamptz;
  v_changed int := 0;
BEGIN
  IF p_touch_queue AND p_callback IS NOT NULL THEN
    SELECT id, scheduled_at, owner_agent_id INTO v_cb_id, v_cb_at, v_cb_owner
      FROM appointments WHERE id = p_callback AND status = 'scheduled';
  END IF;
  IF p_outcome = 'do_not_call' THEN
    UPDATE donors SET do_not_call = true, updated_at = p_now WHERE id = p_donor AND NOT do_not_call;
    v_flagged := FOUND;
    ${bind(REFRESH_DONORS_IN_QUEUES, ['ARRAY[p_donor]'])};
    IF v_cb_id IS NOT NULL THEN
      UPDATE appointments SET status = 'cancelled', updated_at = p_now WHERE id = v_cb_id;
      v_cancelled := v_cb_id;
      v_cb_id := NULL;
      v_cb_owner := NULL;
    END IF;
    v_finish := 'do_not_call';
  ELSIF v_cb_id IS NOT NULL THEN
    v_next := v_cb_at;
  ELSIF p_outcome = 'final' THEN
    v_finish := 'final';
  ELSIF p_outcome = 'retry' THEN
    v_next := p_now + make_interval(mins => COALESCE(p_retry_minutes, 60));
  ELSE
    p_touch_queue := false;
  END IF;
  IF p_touch_queue AND p_campaign IS NOT NULL THEN
    ${bind(setQueueOutcome('INTO v_changed'), [
      'p_campaign',
      'p_donor',
      'p_shift',
      'v_finish',
      'v_next',
      'v_cb_id',
      'v_cb_owner',
    ])};
  END IF;
  RETURN json_build_object(
    'flagged', v_flagged,
    'callback_cancelled', v_cancelled,
    'queue', CASE WHEN v_changed = 0 THEN 'unchanged' WHEN v_finish IS NOT NULL THEN 'finished'
                  WHEN v_cb_id IS NOT NULL THEN 'callback' ELSE 'requeued' END,
    'next_attempt_at', CASE WHEN v_changed > 0 AND v_finish IS NULL THEN v_next END);
END $fn$;

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
          (SELECT d.do_not_call OR d.deceased OR d.suppressed OR d.callable_phone IS NULL FROM donors d WHERE d.id = v_call.donor_id)))::json;
END $fn$;

CREATE OR REPLACE FUNCTION dialer_lock_shift(p_agent int) RETURNS shifts
LANGUAGE plpgsql AS $fn$
DECLARE v_shift shifts%ROWTYPE;
BEGIN
  SELECT * INTO v_shift FROM shifts WHERE agent_id = p_agent AND closed_at IS NULL FOR UPDATE;
  IF NOT FOUND THEN PERFORM dialer_refuse('no_open_shift', NULL); END IF;
  RETURN v_shift;
END $fn$;

CREATE OR REPLACE FUNCTION dialer_lock_own_offer(p_shift shifts, p_agent int, p_offer int) RETURNS offers
LANGUAGE plpgsql AS $fn$
DECLARE v_offer offers%ROWTYPE;
BEGIN
  SELECT * INTO v_offer FROM offers WHERE id = p_offer FOR UPDATE;
  IF NOT FOUND THEN PERFORM dialer_refuse('offer_not_found', NULL); END IF;
  IF v_offer.agent_id <> p_agent THEN PERFORM dialer_refuse('offer_of_another_agent', NULL); END IF;
  IF v_offer.status <> 'open' OR p_shift.offer_id IS DISTINCT FROM v_offer.id THEN
    PERFORM dialer_refuse('offer_expired', json_build_object('status', v_offer.status));
  END IF;
  RETURN v_offer;
END $fn$;

-- Next donor: checks the shift and campaign, claims (claimNextDonor in dialer.sql.ts), offers, moves the shift.
CREATE OR REPLACE FUNCTION dialer_next_donor(p_agent int, p_now timestamptz, p_lease_until timestamptz) RETURNS json
LANGUAGE plpgsql SET enable_seqscan = off AS $fn$
DECLARE
  v_shift shifts%ROWTYPE;
  v_camp record;
  v_today date := (p_now AT TIME ZONE 'UTC')::date;
  v_rules engage_calling_rules;
  v_max_attempts int;
  v_hold_until timestamptz;
  v_grace interval;
  v_claim record;
  v_offer_id int;
BEGIN
  v_shift := dialer_lock_shift(p_agent);
  IF v_shift.state IN ('previewing', 'on_call', 'on_break') OR v_shift.campaign_id IS NULL OR v_shift.team_id IS NULL THEN
    PERFORM dialer_refuse('shift_not_ready', json_build_object('shift', row_to_json(v_shift)));
  END IF;
  SELECT * INTO v_camp FROM dialer_campaign_for_agent(v_shift.campaign_id, v_shift.team_id, p_agent);
  IF NOT FOUND THEN PERFORM dialer_refuse('campaign_not_workable', json_build_object('campaign', NULL)); END IF;
  IF NOT (v_camp.agent_in_team AND v_camp.team_works_campaign AND v_camp.status = 'active'
          AND (v_camp.starts_on IS NULL OR v_camp.starts_on::date <= v_today)
          AND (v_camp.ends_on IS NULL OR v_camp.ends_on::date >= v_today)
          AND v_camp.list_count > 0) THEN
    PERFORM dialer_refuse('campaign_not_workable', json_build_object('campaign', row_to_json(v_camp)));
  END IF;
  v_rules := engage_calling_rules(v_camp.id);
  v_max_attempts := v_camp.max_attempts;
  v_hold_until := p_now + make_interval(secs => v_camp.hold_seconds);
  v_grace := make_interval(mins => v_camp.appointment_grace_minutes);

  -- A candidate held on another campaign is pushed back a minute ("bumped"); try the next one.
  FOR i IN 1..5 LOOP
    ${bind(claimNextDonor('INTO v_claim'), [
      'v_camp.id',
      'p_now',
      'p_agent',
      'v_rules',
      'v_max_attempts',
      'v_hold_until',
      'v_shift.id',
      'v_grace',
    ])};
    EXIT WHEN v_claim.donor_id IS NULL;
    CONTINUE WHEN v_claim.bumped;
    INSERT INTO offers (shift_id, agent_id, campaign_id, team_id, donor_id, appointment_id, offered_at, expires_at)
    VALUES (v_shift.id, p_agent, v_camp.id, v_shift.team_id, v_claim.donor_id, v_claim.appointment_id, p_now, v_hold_until)
    RETURNING id INTO v_offer_id;
    ${shiftTo("'previewing'", ', offer_id = v_offer_id, lease_expires_at = p_lease_until')}
    RETURN json_build_object('shift', row_to_json(v_shift),
                             'offer', (SELECT row_to_json(v) FROM dialer_offer_v v WHERE v.id = v_offer_id));
  END LOOP;

  ${shiftTo("'out_of_data'", ', lease_expires_at = p_lease_until')}
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
  ${bind(holdForCall('INTO v_attempts'), ['v_offer.campaign_id', 'v_offer.donor_id', 'v_shift.id', 'p_now'])};
  IF v_attempts IS NULL THEN
    -- The hold ran out and the donor may be with someone else now: record that, then refuse.
    UPDATE offers SET status = 'expired', resolved_at = p_now WHERE id = v_offer.id;
    ${shiftTo("'ready'", ', offer_id = NULL')}
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
  ${shiftTo("'on_call'", ', offer_id = NULL, call_id = v_call_id, lease_expires_at = p_lease_until')}
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
  ${shiftTo("'ready'", ', offer_id = NULL, lease_expires_at = p_lease_until')}
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
  v_booked_id int;
  v_booked_at timestamptz;
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
  SELECT * INTO v_shift FROM shifts WHERE agent_id = p_agent AND closed_at IS NULL FOR UPDATE;
  SELECT * INTO v_call FROM calls WHERE id = p_call FOR UPDATE;
  IF NOT FOUND THEN PERFORM dialer_refuse('call_not_found', NULL); END IF;
  IF v_call.agent_id <> p_agent THEN PERFORM dialer_refuse('call_of_another_agent', NULL); END IF;
  IF v_call.ended_at IS NOT NULL THEN PERFORM dialer_refuse('call_already_ended', NULL); END IF;
  SELECT * INTO v_reason FROM end_reasons WHERE id = p_reason;
  -- The system's own reasons (end_reasons.system_key) are not the agent's to choose.
  IF NOT FOUND OR v_reason.retired_at IS NOT NULL OR v_reason.system_key IS NOT NULL THEN
    PERFORM dialer_refuse('end_reason_not_available', NULL);
  END IF;
  IF v_reason.outcome <> 'appointment' AND p_appt_at IS NOT NULL THEN
    PERFORM dialer_refuse('appointment_not_allowed', json_build_object('reason', v_reason.name));
  END IF;

  v_queue := v_call.campaign_id IS NOT NULL AND v_call.shift_id IS NOT NULL;
  IF v_queue THEN
    -- A call-back booked during this call keeps the donor for it: the queue row first, then the
    -- booking (partial index appointments_booked_call_idx).
    SELECT a.id, a.scheduled_at INTO v_booked_id, v_booked_at
      FROM (SELECT 1 FROM campaign_donors WHERE campaign_id = v_call.campaign_id AND donor_id = v_call.donor_id FOR UPDATE) q
      LEFT JOIN LATERAL (
        SELECT id, scheduled_at FROM appointments
         WHERE booked_call_id = v_call.id AND status = 'scheduled'
         ORDER BY id LIMIT 1 FOR UPDATE) a ON true;
    IF v_booked_id IS NOT NULL AND p_appt_at IS NOT NULL THEN
      PERFORM dialer_refuse('callback_already_booked', json_build_object('scheduled_at', v_booked_at));
    END IF;
  END IF;

  UPDATE calls SET ended_at = p_now, end_reason_id = v_reason.id, notes = COALESCE(p_notes, ''), updated_at = p_now
   WHERE id = v_call.id;

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
    ${shiftTo("'ready'", ', call_id = NULL, lease_expires_at = p_lease_until')}
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

-- Gives back the donor of an offer that was not started (break, sign-out, a manager's release):
-- no attempt counted. Nothing happens to an offer no longer open.
CREATE OR REPLACE FUNCTION dialer_release_offer(p_offer int, p_shift int, p_now timestamptz) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE v_offer offers%ROWTYPE;
BEGIN
  SELECT * INTO v_offer FROM offers WHERE id = p_offer FOR UPDATE;
  IF FOUND AND v_offer.status = 'open' THEN
    PERFORM dialer_release_donor(v_offer.campaign_id, v_offer.donor_id, p_shift, p_now, NULL);
    UPDATE offers SET status = 'released', resolved_at = p_now WHERE id = v_offer.id;
  END IF;
END $fn$;

-- The system or a manager (p_by: end_reasons.system_key) ends a shift's open call: the call is kept
-- on record with that end reason, the donor is released with its outcome (retry; a call-back booked
-- during the call keeps the donor for it), the shift is ready again. Same lock order as End Call.
-- Answers the shift as it is now (unchanged when it has no open call), or null when it is closed.
-- Announces the change itself (pg_notify, delivered on commit).
CREATE OR REPLACE FUNCTION dialer_system_end_call(p_shift int, p_by text, p_now timestamptz) RETURNS shifts
LANGUAGE plpgsql AS $fn$
DECLARE
  v_shift shifts%ROWTYPE;
  v_call calls%ROWTYPE;
  v_reason end_reasons%ROWTYPE;
  v_booked_id int;
  v_booked_at timestamptz;
  v_booked_owner int;
BEGIN
  SELECT * INTO v_shift FROM shifts WHERE id = p_shift AND closed_at IS NULL FOR UPDATE;
  IF NOT FOUND THEN RETURN NULL; END IF;
  IF v_shift.state <> 'on_call' OR v_shift.call_id IS NULL THEN RETURN v_shift; END IF;
  SELECT * INTO v_call FROM calls WHERE id = v_shift.call_id FOR UPDATE;
  SELECT * INTO STRICT v_reason FROM end_reasons WHERE system_key = p_by;
  IF v_call.ended_at IS NULL THEN
    IF v_call.campaign_id IS NOT NULL THEN
      SELECT a.id, a.scheduled_at, a.owner_agent_id INTO v_booked_id, v_booked_at, v_booked_owner
        FROM (SELECT 1 FROM campaign_donors WHERE campaign_id = v_call.campaign_id AND donor_id = v_call.donor_id FOR UPDATE) q
        LEFT JOIN LATERAL (
          SELECT id, scheduled_at, owner_agent_id FROM appointments
           WHERE booked_call_id = v_call.id AND status = 'scheduled'
           ORDER BY id LIMIT 1 FOR UPDATE) a ON true;
    END IF;
    UPDATE calls SET ended_at = p_now, end_reason_id = v_reason.id, updated_at = p_now WHERE id = v_call.id;
    IF v_call.campaign_id IS NOT NULL THEN
      PERFORM dialer_release_donor(v_call.campaign_id, v_call.donor_id, v_shift.id,
                                   COALESCE(v_booked_at, p_now + make_interval(mins => v_reason.retry_minutes)), NULL);
      IF v_booked_id IS NOT NULL THEN
        UPDATE campaign_donors SET appointment_id = v_booked_id, appointment_owner_id = v_booked_owner
         WHERE campaign_id = v_call.campaign_id AND donor_id = v_call.donor_id;
      END IF;
    END IF;
  END IF;
  ${shiftTo("'ready'", ', call_id = NULL')}
  PERFORM pg_notify('engage_events', ${shiftEventJson('v_shift')});
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
  UPDATE shifts SET offer_id = NULL, closed_at = p_now WHERE id = v_shift.id RETURNING * INTO v_shift;
  PERFORM pg_notify('engage_events', ${shiftEventJson('v_shift')});
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
  ${shiftTo("'ready'", ', offer_id = NULL')}
  PERFORM pg_notify('engage_events', ${shiftEventJson('v_shift')});
  RETURN v_shift;
END $fn$;
`;
