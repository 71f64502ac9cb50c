import { sql, type SQL } from 'drizzle-orm';

/**
 * Fills a campaign's queue (or every campaign's, with null) from its connected lists: one row per
 * donor, at the best priority of the lists the donor is on. Donors already queued keep their
 * attempts and times; only their priority follows the lists.
 */
export function queueFromLists(campaignId: number | null, at: Date): SQL {
  return sql`
INSERT INTO campaign_donors (campaign_id, donor_id, priority, time_zone, country, blocked, next_attempt_at)
SELECT cl.campaign_id, d.id, min(cl.priority), d.time_zone, d.country,
       engage_donor_blocked(d), ${at}::timestamptz
  FROM campaign_lists cl
  JOIN list_members lm ON lm.list_id = cl.list_id
  JOIN donors d ON d.id = lm.donor_id
 WHERE (${campaignId}::int IS NULL OR cl.campaign_id = ${campaignId}::int)
 GROUP BY cl.campaign_id, d.id
ON CONFLICT (campaign_id, donor_id) DO UPDATE
  SET priority = excluded.priority, blocked = excluded.blocked, time_zone = excluded.time_zone,
      country = excluded.country`;
}

/**
 * Writes a shift as the service's transaction set it (the row as JSON, its state, now)
 * through the shift transition rule, dialer_shift_to (sql/dialer-rules.sql), which the routines
 * call too. The caller announces the returned row as a shift.changed event once its transaction
 * has committed.
 */
export const SAVE_SHIFT = (shift: { state: string }, now: Date) =>
  sql`SELECT * FROM dialer_shift_to(json_populate_record(NULL::shifts, ${JSON.stringify(shift)}::json), ${shift.state}, ${now})`;

/** Copies donors' flags, phone, time zone and country into every queue they are on. */
export const REFRESH_DONORS_IN_QUEUES = (donorIds: number[]) =>
  sql`SELECT dialer_refresh_donors_in_queues(${sql.param(donorIds)}::int[])`;

/**
 * The dialer's statements that run from the service, written out to be read; the use cases
 * themselves and the claim are PL/pgSQL and SQL functions in ./sql (dialer.routines.ts). Every
 * statement takes the current time as a parameter (`now`) instead of calling now(), so tests can
 * move the clock.
 *
 * Calling hours: one rule, engage_may_call_at (sql/calling-window.sql), called on each row with the
 * donor's local time, country and the campaign's rules (read once, engage_calling_rules).
 */
const mayCall = (now: Date, rules: SQL) =>
  sql`engage_may_call_at((${now}::timestamptz AT TIME ZONE cd.time_zone), cd.country, ${rules}::engage_calling_rules)`;

/**
 * Why a campaign has no donor to offer now: counts by reason, and when calling opens next for the
 * donors outside calling hours (the earliest opening over their zones and countries, with its
 * local words: "09:00" later today, "Monday 09:00" on another day). Not on the hot path (it runs
 * only when the claim finds nothing).
 */
export const OUT_OF_DATA_REASONS = (campaignId: number, now: Date, maxAttempts: number) => sql`
WITH rows AS (
  SELECT cd.*, ${mayCall(now, sql`(SELECT engage_calling_rules(${campaignId}::int))`)} AS in_hours,
         d.do_not_call OR d.deceased OR d.suppressed AS flagged,
         d.callable_phone IS NULL AS no_phone,
         (cd.hold_expires_at IS NOT NULL AND cd.hold_expires_at > ${now}) AS held
    FROM campaign_donors cd JOIN donors d ON d.id = cd.donor_id
   WHERE cd.campaign_id = ${campaignId}
),
opening AS (
  SELECT z.time_zone, engage_next_opening(z.time_zone, z.country, (SELECT engage_calling_rules(${campaignId}::int)), ${now}) AS at
    FROM (SELECT DISTINCT time_zone, country FROM rows
           WHERE state = 'queued' AND NOT blocked AND NOT held AND NOT in_hours
             AND (appointment_id IS NOT NULL OR attempts < ${maxAttempts})) z
   ORDER BY 2 LIMIT 1
)
SELECT
  count(*)::int AS total,
  count(*) FILTER (WHERE state = 'finished')::int AS finished,
  count(*) FILTER (WHERE state = 'queued' AND blocked AND flagged)::int AS "doNotCall",
  count(*) FILTER (WHERE state = 'queued' AND blocked AND NOT flagged)::int AS "noPhone",
  count(*) FILTER (WHERE state = 'queued' AND NOT blocked AND appointment_id IS NULL AND attempts >= ${maxAttempts})::int AS "maxAttempts",
  count(*) FILTER (WHERE state = 'queued' AND NOT blocked AND held)::int AS "heldByOthers",
  count(*) FILTER (WHERE state = 'queued' AND NOT blocked AND NOT held AND next_attempt_at > ${now}
                    AND (appointment_id IS NOT NULL OR attempts < ${maxAttempts}))::int AS "waitingRetry",
  count(*) FILTER (WHERE state = 'queued' AND NOT blocked AND NOT held AND next_attempt_at <= ${now}
                    AND (appointment_id IS NOT NULL OR attempts < ${maxAttempts}) AND NOT in_hours)::int AS "outsideCallingHours",
  count(*) FILTER (WHERE state = 'queued' AND NOT blocked AND NOT held AND next_attempt_at <= ${now}
                    AND (appointment_id IS NOT NULL OR attempts < ${maxAttempts}) AND in_hours)::int AS "callableNow",
  min(next_attempt_at) FILTER (WHERE state = 'queued' AND NOT blocked AND next_attempt_at > ${now}
                    AND next_attempt_at < 'infinity' AND (appointment_id IS NOT NULL OR attempts < ${maxAttempts})) AS "nextRetryAt",
  (SELECT at FROM opening) AS "nextOpeningAt",
  (SELECT CASE WHEN (at AT TIME ZONE time_zone)::date = (${now}::timestamptz AT TIME ZONE time_zone)::date
               THEN to_char(at AT TIME ZONE time_zone, 'HH24:MI')
               WHEN (at AT TIME ZONE time_zone)::date < (${now}::timestamptz AT TIME ZONE time_zone)::date + 7
               THEN to_char(at AT TIME ZONE time_zone, 'FMDay HH24:MI')
               ELSE to_char(at AT TIME ZONE time_zone, 'FMDay FMDD FMMonth HH24:MI') END
     FROM opening) AS "nextOpeningLocal"
FROM rows`;

/**
 * Returns the holds of shifts whose browser stopped sending heartbeats, and offers whose hold
 * time ran out, to the pool. Safe to run on every instance at once (SKIP LOCKED).
 */
export const SWEEP_LAPSED_OFFERS = (now: Date) => sql`
WITH lapsed AS (
  SELECT o.id, o.shift_id, o.campaign_id, o.donor_id
    FROM offers o JOIN shifts s ON s.id = o.shift_id
   WHERE o.status = 'open'
     AND (o.expires_at <= ${now} OR (s.lease_expires_at <= ${now} AND s.closed_at IS NULL) OR s.closed_at IS NOT NULL)
   FOR UPDATE OF o SKIP LOCKED
), expired AS (
  UPDATE offers o SET status = 'expired', resolved_at = ${now} FROM lapsed WHERE o.id = lapsed.id RETURNING o.id
), released AS (
  UPDATE campaign_donors cd
     SET held_by_shift_id = NULL, hold_expires_at = NULL, next_attempt_at = LEAST(cd.next_attempt_at, ${now})
    FROM lapsed
   WHERE cd.campaign_id = lapsed.campaign_id AND cd.donor_id = lapsed.donor_id AND cd.held_by_shift_id = lapsed.shift_id
     AND cd.hold_expires_at <> 'infinity'
  RETURNING cd.donor_id
), unheld AS (
  DELETE FROM donor_holds h USING lapsed
   WHERE h.donor_id = lapsed.donor_id AND h.shift_id = lapsed.shift_id AND h.expires_at <> 'infinity'
), idle AS (
  UPDATE shifts s SET state = 'ready', offer_id = NULL, state_since = ${now}
    FROM lapsed
   WHERE s.id = lapsed.shift_id AND s.offer_id = lapsed.id AND s.state = 'previewing'
  RETURNING s AS shift
)
SELECT (SELECT count(*) FROM expired)::int AS expired,
       (SELECT count(pg_notify('engage_events', dialer_shift_event(idle.shift))::text) FROM idle)::int AS idled`;

/** Call-backs whose time has come: each owner is reminded once (appointment.due). */
export const REMIND_DUE_APPOINTMENTS = (now: Date) => sql`
WITH due AS (
  UPDATE appointments SET reminded_at = ${now}
   WHERE status = 'scheduled' AND reminded_at IS NULL AND scheduled_at <= ${now} AND owner_agent_id IS NOT NULL
  RETURNING id, owner_agent_id, campaign_id, donor_id, scheduled_at
)
SELECT count(pg_notify('engage_events', json_build_object('type', 'appointment.due', 'appointmentId', due.id,
         'agentId', due.owner_agent_id, 'teamId', NULL, 'campaignId', due.campaign_id, 'donorId', due.donor_id,
         'donorName', trim(d.first_name || ' ' || d.last_name),
         'scheduledAt', to_char(due.scheduled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text)::text)::int AS reminded
  FROM due JOIN donors d ON d.id = due.donor_id`;

/**
 * Call-backs not kept by the end of the donor's calling day (in the donor's time zone: when
 * engage_day_closes says calling closes that day, midnight when it does not open) become missed,
 * and the donor goes back to the campaign's ordinary queue.
 */
export const MARK_MISSED_APPOINTMENTS = (now: Date) => sql`
WITH missed AS (
  UPDATE appointments a SET status = 'missed', updated_at = ${now}
    FROM campaigns c, donors d
   WHERE a.status = 'scheduled' AND a.scheduled_at < ${now} AND c.id = a.campaign_id AND d.id = a.donor_id
     AND ${now} >= (((a.scheduled_at AT TIME ZONE d.time_zone)::date
                 + COALESCE(engage_day_closes((a.scheduled_at AT TIME ZONE d.time_zone)::date, d.country,
                                              engage_calling_rules(c.id)), '24:00'))
                AT TIME ZONE d.time_zone)
  RETURNING a.id, a.campaign_id, a.donor_id
), requeued AS (
  UPDATE campaign_donors cd
     SET appointment_id = NULL, appointment_owner_id = NULL, next_attempt_at = LEAST(cd.next_attempt_at, ${now})
    FROM missed
   WHERE cd.campaign_id = missed.campaign_id AND cd.donor_id = missed.donor_id AND cd.appointment_id = missed.id
     AND cd.held_by_shift_id IS NULL
  RETURNING cd.donor_id
)
SELECT (SELECT count(*) FROM missed)::int AS missed`;

/** Closes shifts whose screen has been gone since `cutoff` and that hold nothing. */
export const CLOSE_ABANDONED_SHIFTS = (now: Date, cutoff: Date) => sql`
WITH closed AS (
  UPDATE shifts s SET closed_at = ${now}
   WHERE closed_at IS NULL AND lease_expires_at < ${cutoff} AND state <> 'on_call' AND offer_id IS NULL
     -- a shift still rung is left to the inbound sweep, which passes its call on first (agentLeaving)
     AND ringing_inbound_call_id IS NULL
  RETURNING s AS shift
)
SELECT (SELECT count(pg_notify('engage_events', dialer_shift_event(closed.shift))::text) FROM closed)::int AS closed`;

/**
 * Ends the open calls of shifts whose screen has been gone since `cutoff` (OPEN_CALL_ABANDON_MINUTES):
 * the system ends each (dialer_system_end_call: kept on record as "Ended by the system", the donor
 * retried), so no donor stays held by a closed browser. One statement, idempotent and safe when
 * several instances sweep at once (SKIP LOCKED; an ended call's shift is no longer on_call).
 */
export const END_ABANDONED_CALLS = (now: Date, cutoff: Date) => sql`
SELECT count(ended.id)::int AS ended
  FROM (SELECT id FROM shifts
         WHERE closed_at IS NULL AND state = 'on_call' AND lease_expires_at < ${cutoff}
         FOR UPDATE SKIP LOCKED) gone
 CROSS JOIN LATERAL dialer_system_end_call(gone.id, 'system', ${now}) ended`;
