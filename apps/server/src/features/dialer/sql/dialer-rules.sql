-- The dialer's rules that more than one statement needs, each a small named SQL function that the
-- use cases (dialer-use-cases.sql), the service's statements (dialer.sql.ts, dialer.repository.ts)
-- and the campaign drop-down (dialer-views.repository.ts) call. Search a function's name to find
-- every place that depends on the rule.
--
-- Functions whose signature or answer changed since an earlier text are dropped first (CREATE OR
-- REPLACE cannot change them).
DROP FUNCTION IF EXISTS dialer_campaign_for_agent(int, int, int);
DROP FUNCTION IF EXISTS engage_campaign_unworkable(campaign_status, date, date, boolean, timestamptz);

-- A refusal: SQLSTATE EG001 with the refusal's code as message and a JSON detail, so nothing the
-- statement touched is kept. The codes are the enum `dialerRefusalCodeSchema`
-- (packages/contracts/src/dialer-refusals.ts); dialer.service.ts turns each into the AppError the
-- API answers.
CREATE OR REPLACE FUNCTION dialer_refuse(p_code text, p_detail json) RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'EG001', MESSAGE = p_code, DETAIL = COALESCE(p_detail::text, '{}');
END $fn$;

-- END REASON FITS: whether an end reason (end_reasons.direction: both, outbound, inbound) may end
-- a call of this direction. The SQL twin of endReasonFits (packages/contracts/src/settings.ts),
-- held to its cases (END_REASON_FIT_CASES) by settings.int.test.ts. Called by dialer_end_call.
CREATE OR REPLACE FUNCTION engage_end_reason_fits(p_reason end_reason_direction, p_call call_direction) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT p_reason = 'both' OR p_reason::text = p_call::text
$fn$;

-- CAMPAIGN NEEDS LISTS: whether a campaign of this purpose needs a donor list to be worked. An
-- inbound line's campaign ("General enquiries") does not: its donors are the call-backs its lines
-- book (inbound-callback.ts puts each in its queue). The SQL twin of campaignNeedsLists
-- (packages/contracts/src/campaigns.ts), held to it for every purpose by dialer-rules.int.test.ts.
CREATE OR REPLACE FUNCTION engage_campaign_needs_lists(p_purpose campaign_purpose) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT p_purpose <> 'inbound_line'
$fn$;

-- CAMPAIGN WORKABLE: whether a campaign can be worked at an instant, and if not, why (NULL: it
-- can): 'not_active' (draft, paused or finished), 'not_in_dates' (today, a UTC date, is outside
-- its dates), 'no_lists' (no donor list connected, for a purpose that needs one:
-- engage_campaign_needs_lists). Asked in this order. The reasons are the enum
-- `campaignUnworkableSchema` (packages/contracts/src/dialer-refusals.ts). Called by
-- dialer_campaign_for_agent (Ready for Call, Next donor, a call-back chosen at End Call) and by
-- the agent's campaign drop-down (campaignsOfAgent).
CREATE OR REPLACE FUNCTION engage_campaign_unworkable(p_status campaign_status, p_starts_on date, p_ends_on date,
                                                      p_has_lists boolean, p_at timestamptz,
                                                      p_purpose campaign_purpose) RETURNS text
LANGUAGE sql STABLE AS $fn$
  SELECT CASE
    WHEN p_status <> 'active' THEN 'not_active'
    WHEN p_starts_on > (p_at AT TIME ZONE 'UTC')::date OR p_ends_on < (p_at AT TIME ZONE 'UTC')::date THEN 'not_in_dates'
    WHEN NOT p_has_lists AND engage_campaign_needs_lists(p_purpose) THEN 'no_lists'
  END
$fn$;

-- The campaign with what the rules need to know about this agent and team at p_now
-- (unworkable: engage_campaign_unworkable).
CREATE OR REPLACE FUNCTION dialer_campaign_for_agent(p_campaign int, p_team int, p_agent int, p_now timestamptz)
RETURNS TABLE (id int, name text, purpose campaign_purpose, status campaign_status, starts_on text, ends_on text,
               calling_hours_start text, calling_hours_end text, max_attempts int, hold_seconds int,
               appointment_grace_minutes int, script text, team_name text, team_works_campaign boolean,
               agent_in_team boolean, list_count int, unworkable text)
LANGUAGE sql STABLE AS $fn$
  SELECT c.id, c.name, c.purpose, c.status, c.starts_on::text, c.ends_on::text,
         to_char(c.calling_hours_start, 'HH24:MI'),
         CASE WHEN c.calling_hours_end = '24:00' THEN '24:00' ELSE to_char(c.calling_hours_end, 'HH24:MI') END,
         c.max_attempts, c.hold_seconds, c.appointment_grace_minutes, c.script,
         (SELECT t.name FROM teams t WHERE t.id = p_team),
         EXISTS (SELECT 1 FROM campaign_teams ct WHERE ct.campaign_id = c.id AND ct.team_id = p_team),
         EXISTS (SELECT 1 FROM team_members tm WHERE tm.team_id = p_team AND tm.user_id = p_agent),
         l.n,
         engage_campaign_unworkable(c.status, c.starts_on, c.ends_on, l.n > 0, p_now, c.purpose)
    FROM campaigns c
   CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM campaign_lists cl WHERE cl.campaign_id = c.id) l
   WHERE c.id = p_campaign
$fn$;

-- SHIFT TRANSITION: writes a shift's state and the rest of its row as the caller set them;
-- state_since moves only when the state changes. Every use case that moves a shift calls it: the
-- routines below and in dialer-use-cases.sql, and the service's transactions (saveShift in
-- dialer.repository.ts). The caller holds the row's lock (dialer_open_shift, or FOR UPDATE).
-- Only the sweep's set-based statements write shifts themselves (SWEEP_LAPSED_OFFERS: a lapsed
-- offer's previewing shift becomes ready, always a change of state; CLOSE_ABANDONED_SHIFTS).
CREATE OR REPLACE FUNCTION dialer_shift_to(s shifts, p_state shift_state, p_now timestamptz) RETURNS shifts
LANGUAGE sql AS $fn$
  UPDATE shifts
     SET state = p_state, state_since = CASE WHEN state = p_state THEN state_since ELSE p_now END,
         -- A call ended (the shift leaves on_call): the agent is idle from now (inbound routing's order).
         idle_since = CASE WHEN state = 'on_call' AND p_state <> 'on_call' THEN p_now ELSE idle_since END,
         team_id = s.team_id, campaign_id = s.campaign_id, offer_id = s.offer_id, call_id = s.call_id,
         break_reason_id = s.break_reason_id, lease_expires_at = s.lease_expires_at, closed_at = s.closed_at
   WHERE id = s.id
  RETURNING *
$fn$;

-- The agent's open shift, locked (every use case locks it first); a row of nulls when there is none.
CREATE OR REPLACE FUNCTION dialer_open_shift(p_agent int) RETURNS shifts
LANGUAGE sql AS $fn$
  SELECT * FROM shifts WHERE agent_id = p_agent AND closed_at IS NULL FOR UPDATE
$fn$;

-- The same, refused (no_open_shift) when there is none.
CREATE OR REPLACE FUNCTION dialer_lock_shift(p_agent int) RETURNS shifts
LANGUAGE plpgsql AS $fn$
DECLARE v_shift shifts%ROWTYPE;
BEGIN
  v_shift := dialer_open_shift(p_agent);
  IF v_shift.id IS NULL THEN PERFORM dialer_refuse('no_open_shift', NULL); END IF;
  RETURN v_shift;
END $fn$;

-- The shift.changed event (packages/contracts/src/events.ts) of a shifts row, as NOTIFY payload
-- text; a closed shift reads as signed_out.
CREATE OR REPLACE FUNCTION dialer_shift_event(s shifts) RETURNS text
LANGUAGE sql STABLE AS $fn$
  SELECT json_build_object('type', 'shift.changed', 'agentId', s.agent_id, 'shiftId', s.id,
    'teamId', s.team_id, 'campaignId', s.campaign_id,
    'state', CASE WHEN s.closed_at IS NULL THEN s.state::text ELSE 'signed_out' END,
    'at', to_char(s.state_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text
$fn$;

-- A donor no campaign may offer: marked do not call, deceased or suppressed, or with no number to
-- call (neither phone nor other phone). The one home of a queue row's `blocked`: filling a queue
-- (dialer.sql.ts, queueFromLists), refreshing it when a donor changes, and a correction's answer.
CREATE OR REPLACE FUNCTION engage_donor_blocked(d donors) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT d.do_not_call OR d.deceased OR d.suppressed OR d.callable_phone IS NULL
$fn$;

-- Copies donors' flags, phone, time zone and country into every queue they are on.
CREATE OR REPLACE FUNCTION dialer_refresh_donors_in_queues(p_donors int[]) RETURNS void
LANGUAGE sql AS $fn$
  UPDATE campaign_donors cd
     SET blocked = engage_donor_blocked(d), time_zone = d.time_zone,
         country = d.country
    FROM donors d
   WHERE d.id = cd.donor_id AND cd.donor_id = ANY (p_donors)
$fn$;

-- Claims the next donor for one agent, in one statement:
--   1. the agent's own due call-backs, 2. the campaign's due call-backs for anyone (personal
--   ones once their grace period has passed), 3. the queue by list priority, fewest attempts,
--   longest waiting.
-- Each leg is a CTE that walks a partial index in that order and stops at the first row that is
-- callable now (engage_may_call_at, with the campaign's rules read once by the caller) and not
-- locked by a concurrent claim (FOR UPDATE SKIP LOCKED). CTEs run only as far as they are read,
-- so once one leg has a row, LIMIT 1 in `candidate` keeps the later legs from running (and from
-- locking anything).
-- The donor-wide hold (donor_holds, primary key donor_id) makes a donor on several campaigns
-- exclusive too: the insert waits for a concurrent claim of the same donor and takes the hold
-- only if it is free. If it is not, the candidate is pushed back a minute ("bumped") and the
-- caller tries again. Always one row: donor_id null when there was nothing to claim.
-- Parameters by number, so that the EXPLAIN test (dialer-explain.int.test.ts) runs this very text:
-- $1 campaign, $2 now, $3 agent, $4 calling rules (engage_calling_rules($1)), $5 max attempts,
-- $6 hold until, $7 shift, $8 appointment grace.
CREATE OR REPLACE FUNCTION dialer_claim_next_donor(int, timestamptz, int, engage_calling_rules, int, timestamptz,
                                                   int, interval)
RETURNS TABLE (donor_id int, attempts int, appointment_id int, bumped boolean)
LANGUAGE sql AS $fn$
WITH own_callback AS (
  SELECT cd.campaign_id, cd.donor_id FROM campaign_donors cd
   WHERE cd.campaign_id = $1 AND cd.state = 'queued' AND NOT cd.blocked
     AND cd.appointment_id IS NOT NULL AND cd.appointment_owner_id = $3
     AND cd.next_attempt_at <= $2 AND engage_may_call_at(($2::timestamptz AT TIME ZONE cd.time_zone), cd.country, $4::engage_calling_rules)
   ORDER BY cd.next_attempt_at, cd.donor_id
   LIMIT 1 FOR UPDATE SKIP LOCKED
),
campaign_callback AS (
  SELECT cd.campaign_id, cd.donor_id FROM campaign_donors cd
   WHERE cd.campaign_id = $1 AND cd.state = 'queued' AND NOT cd.blocked
     AND cd.appointment_id IS NOT NULL
     AND (cd.appointment_owner_id IS NULL OR cd.next_attempt_at <= $2::timestamptz - $8::interval)
     AND cd.next_attempt_at <= $2 AND engage_may_call_at(($2::timestamptz AT TIME ZONE cd.time_zone), cd.country, $4::engage_calling_rules)
   ORDER BY cd.next_attempt_at, cd.donor_id
   LIMIT 1 FOR UPDATE SKIP LOCKED
),
queue AS (
  SELECT cd.campaign_id, cd.donor_id FROM campaign_donors cd
   WHERE cd.campaign_id = $1 AND cd.state = 'queued' AND NOT cd.blocked
     AND cd.appointment_id IS NULL
     AND cd.attempts < $5 AND cd.next_attempt_at <= $2 AND engage_may_call_at(($2::timestamptz AT TIME ZONE cd.time_zone), cd.country, $4::engage_calling_rules)
   ORDER BY cd.priority, cd.attempts, cd.next_attempt_at, cd.donor_id
   LIMIT 1 FOR UPDATE SKIP LOCKED
),
candidate AS (
  SELECT * FROM own_callback
  UNION ALL SELECT * FROM campaign_callback
  UNION ALL SELECT * FROM queue
  LIMIT 1
),
hold AS (
  INSERT INTO donor_holds (donor_id, shift_id, campaign_id, expires_at)
  SELECT donor_id, $7, campaign_id, $6 FROM candidate
  ON CONFLICT (donor_id) DO UPDATE
    SET shift_id = excluded.shift_id, campaign_id = excluded.campaign_id, expires_at = excluded.expires_at
    WHERE donor_holds.expires_at <= $2
  RETURNING donor_id
),
claimed AS (
  UPDATE campaign_donors cd
     SET held_by_shift_id = $7, hold_expires_at = $6, next_attempt_at = $6
    FROM hold
   WHERE cd.campaign_id = $1 AND cd.donor_id = hold.donor_id
  RETURNING cd.donor_id, cd.attempts, cd.appointment_id
),
bumped AS (
  UPDATE campaign_donors cd
     SET next_attempt_at = $2::timestamptz + interval '1 minute'
    FROM candidate c
   WHERE cd.campaign_id = c.campaign_id AND cd.donor_id = c.donor_id
     AND NOT EXISTS (SELECT 1 FROM hold)
  RETURNING cd.donor_id
)
SELECT COALESCE(claimed.donor_id, bumped.donor_id) AS donor_id, claimed.attempts, claimed.appointment_id,
       bumped.donor_id IS NOT NULL AS bumped
  FROM (SELECT 1) AS one LEFT JOIN claimed ON true LEFT JOIN bumped ON true
$fn$;

-- Lets a donor go after a skip, or an offer given back (break, sign-out, a manager's release);
-- an end of call goes through dialer_end_outcome. p_next null keeps the next attempt's time,
-- p_finish null keeps the donor queued.
CREATE OR REPLACE FUNCTION dialer_release_donor(p_campaign int, p_donor int, p_shift int, p_next timestamptz, p_finish text)
RETURNS void LANGUAGE sql AS $fn$
WITH cd AS (
  UPDATE campaign_donors
     SET held_by_shift_id = NULL, hold_expires_at = NULL,
         next_attempt_at = COALESCE(p_next, next_attempt_at),
         state = CASE WHEN p_finish::text IS NULL THEN state ELSE 'finished'::campaign_donor_state END,
         finish_reason = COALESCE(p_finish, finish_reason)
   WHERE campaign_id = p_campaign AND donor_id = p_donor AND held_by_shift_id = p_shift
  RETURNING donor_id
)
DELETE FROM donor_holds WHERE donor_id = p_donor AND shift_id = p_shift
$fn$;

-- Locks what ending a call decides on, in End Call's lock order: the donor's queue row in the
-- call's campaign, then a call-back booked during the call and still scheduled (partial index
-- appointments_booked_call_idx). Answers that call-back (nulls when there is none, or no queue
-- row). dialer_end_call and dialer_system_end_call call it.
CREATE OR REPLACE FUNCTION dialer_lock_call_booking(p_call int, p_campaign int, p_donor int,
                                                    OUT id int, OUT scheduled_at timestamptz)
LANGUAGE sql AS $fn$
  SELECT a.id, a.scheduled_at
    FROM (SELECT 1 FROM campaign_donors WHERE campaign_id = p_campaign AND donor_id = p_donor FOR UPDATE) q
    LEFT JOIN LATERAL (
      SELECT ap.id, ap.scheduled_at FROM appointments ap
       WHERE ap.booked_call_id = p_call AND ap.status = 'scheduled'
       ORDER BY ap.id LIMIT 1 FOR UPDATE) a ON true
$fn$;

-- What an end reason does to the donor: the one rule that End Call (dialer_end_call), the system's
-- or a manager's end of a call (dialer_system_end_call) and a manager's correction of a call
-- (dialer_correct_outcome) share.
--   do_not_call: the donor is marked so and every queue they are on blocks them at once; a
--     call-back booked on the call is cancelled; they are finished in the call's campaign.
--   otherwise a call-back booked on the call (p_callback, still scheduled) keeps them queued
--     for it, whatever the reason;
--   else final finishes them in the campaign, retry queues them again after the reason's
--   minutes, and a call-back reason with nothing booked leaves the queue as it is.
-- p_touch_queue false leaves the campaign's queue row and the call-back alone (do not call still
-- marks the donor). The queue row changes only when held by p_shift, or, with p_shift null (a
-- correction), by nobody: an exclusive hold is never broken. End Call lets the donor-wide hold go.
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
    PERFORM dialer_refresh_donors_in_queues(ARRAY[p_donor]);
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
    -- The queue row: finished for a reason, or queued (again) from a time, for a call-back or not.
    WITH cd AS (
      UPDATE campaign_donors
         SET held_by_shift_id = NULL, hold_expires_at = NULL,
             state = CASE WHEN v_finish::text IS NULL THEN 'queued' ELSE 'finished' END::campaign_donor_state,
             finish_reason = v_finish, next_attempt_at = COALESCE(v_next, next_attempt_at),
             appointment_id = v_cb_id, appointment_owner_id = v_cb_owner
       WHERE campaign_id = p_campaign AND donor_id = p_donor
         AND (held_by_shift_id = p_shift OR (p_shift::int IS NULL AND held_by_shift_id IS NULL))
      RETURNING donor_id
    ), dh AS (
      DELETE FROM donor_holds WHERE donor_id = p_donor AND shift_id = p_shift
    )
    SELECT count(*)::int INTO v_changed FROM cd;
  END IF;
  RETURN json_build_object(
    'flagged', v_flagged,
    'callback_cancelled', v_cancelled,
    'queue', CASE WHEN v_changed = 0 THEN 'unchanged' WHEN v_finish IS NOT NULL THEN 'finished'
                  WHEN v_cb_id IS NOT NULL THEN 'callback' ELSE 'requeued' END,
    'next_attempt_at', CASE WHEN v_changed > 0 AND v_finish IS NULL THEN v_next END);
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

-- The agent's own open offer, locked; refused when it is not theirs or no longer open.
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

-- END INBOUND CALL: an inbound call's record has ended (the agent's End Call, or the system or a
-- manager ending it): the inbound call it answered is ended too, in the same transaction, and its
-- history says so (an 'ended' event by p_agent, the agent who pressed End Call; NULL when the
-- system or a manager ended it: the call's end reason names which). The phone system's 'ended'
-- sent later records nothing (inbound.rules.ts: an ended call is 'same'). Locks the inbound call
-- after the shift and the call; the phone system's events on an answered call lock that inbound
-- call alone (its 'answered' for an agent Engage did not ring locks a call still ringing, then the
-- agent's shift: never an answered call, so no cycle with this).
CREATE OR REPLACE FUNCTION dialer_end_inbound_call(p_call int, p_agent int, p_now timestamptz) RETURNS void
LANGUAGE sql AS $fn$
  WITH ended AS (
    UPDATE inbound_calls SET status = 'ended', ended_at = p_now, updated_at = p_now
     WHERE call_id = p_call AND status = 'answered' AND ended_at IS NULL
    RETURNING id
  )
  INSERT INTO inbound_call_events (inbound_call_id, type, agent_id, at) SELECT id, 'ended', p_agent, p_now FROM ended;
$fn$;
