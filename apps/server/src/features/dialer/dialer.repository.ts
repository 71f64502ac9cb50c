import type { CampaignPurpose, ShiftState } from '@engage/contracts';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { PgClient } from '../../lib/tx';
import {
  CLAIM_NEXT_DONOR,
  HOLD_FOR_CALL,
  OUT_OF_DATA_REASONS,
  queueFromLists,
  CLOSE_ABANDONED_SHIFTS,
  INSERT_SHIFT,
  MARK_MISSED_APPOINTMENTS,
  PRUNE_QUEUE,
  REMIND_DUE_APPOINTMENTS,
  REFRESH_DONORS_IN_QUEUES,
  RELEASE_DONOR,
  SAVE_SHIFT,
  SWEEP_LAPSED_OFFERS,
} from './dialer.sql';

/**
 * The dialer's data access, in plain SQL on one pooled connection per transaction. Statements
 * that run on every cycle are named, so PostgreSQL parses and plans them once per connection.
 */

export interface ShiftRow {
  id: number;
  agent_id: number;
  job_role_id: number;
  state: ShiftState;
  state_since: Date;
  team_id: number | null;
  campaign_id: number | null;
  break_reason_id: number | null;
  offer_id: number | null;
  call_id: number | null;
  opened_at: Date;
  closed_at: Date | null;
  lease_expires_at: Date;
}

export async function lockOpenShift(c: PgClient, agentId: number): Promise<ShiftRow | null> {
  const r = await c.query<ShiftRow>({
    name: 'dialer_lock_open_shift',
    text: 'SELECT * FROM shifts WHERE agent_id = $1 AND closed_at IS NULL FOR UPDATE',
    values: [agentId],
  });
  return r.rows[0] ?? null;
}

export async function insertShift(
  c: PgClient,
  v: { agentId: number; jobRoleId: number; now: Date; leaseUntil: Date },
): Promise<ShiftRow | null> {
  const r = await c.query<ShiftRow>(INSERT_SHIFT, [v.agentId, v.jobRoleId, v.now, v.leaseUntil]);
  return r.rows[0] ?? null;
}

/**
 * Writes the whole state of a shift (state_since moves only when the state changes) and
 * announces it as a shift.changed event.
 */
export async function saveShift(c: PgClient, s: ShiftRow, now: Date): Promise<void> {
  await c.query({
    name: 'dialer_save_shift',
    text: SAVE_SHIFT,
    values: [
      s.id,
      s.state,
      now,
      s.team_id,
      s.campaign_id,
      s.offer_id,
      s.call_id,
      s.break_reason_id,
      s.lease_expires_at,
      s.closed_at,
    ],
  });
}

export async function extendLease(c: PgClient, agentId: number, until: Date): Promise<boolean> {
  const r = await c.query({
    name: 'dialer_extend_lease',
    text: 'UPDATE shifts SET lease_expires_at = $2 WHERE agent_id = $1 AND closed_at IS NULL',
    values: [agentId, until],
  });
  return (r.rowCount ?? 0) > 0;
}

export interface CampaignForAgent {
  id: number;
  name: string;
  purpose: CampaignPurpose;
  status: 'draft' | 'active' | 'paused' | 'finished';
  starts_on: string | null;
  ends_on: string | null;
  calling_hours_start: string;
  calling_hours_end: string;
  max_attempts: number;
  hold_seconds: number;
  appointment_grace_minutes: number;
  script: string;
  team_name: string | null;
  team_works_campaign: boolean;
  agent_in_team: boolean;
  list_count: number;
}

/** The campaign with what the rules need to know about this agent and team. */
export async function campaignForAgent(
  c: PgClient,
  campaignId: number,
  teamId: number,
  agentId: number,
): Promise<CampaignForAgent | null> {
  const r = await c.query<CampaignForAgent>({
    name: 'dialer_campaign_for_agent',
    text: `SELECT c.id, c.name, c.purpose, c.status, c.starts_on::text, c.ends_on::text,
             to_char(c.calling_hours_start, 'HH24:MI') AS calling_hours_start,
             CASE WHEN c.calling_hours_end = '24:00' THEN '24:00' ELSE to_char(c.calling_hours_end, 'HH24:MI') END AS calling_hours_end,
             c.max_attempts, c.hold_seconds, c.appointment_grace_minutes, c.script,
             (SELECT t.name FROM teams t WHERE t.id = $2) AS team_name,
             EXISTS (SELECT 1 FROM campaign_teams ct WHERE ct.campaign_id = c.id AND ct.team_id = $2) AS team_works_campaign,
             EXISTS (SELECT 1 FROM team_members tm WHERE tm.team_id = $2 AND tm.user_id = $3) AS agent_in_team,
             (SELECT count(*) FROM campaign_lists cl WHERE cl.campaign_id = c.id)::int AS list_count
           FROM campaigns c WHERE c.id = $1`,
    values: [campaignId, teamId, agentId],
  });
  return r.rows[0] ?? null;
}

export interface ClaimParams {
  campaignId: number;
  now: Date;
  agentId: number;
  hoursStart: string;
  hoursEnd: string;
  wholeDay: boolean;
  maxAttempts: number;
  holdUntil: Date;
  shiftId: number;
  graceMinutes: number;
}

export async function claimNextDonor(
  c: PgClient,
  p: ClaimParams,
): Promise<{ donor_id: number; attempts: number; appointment_id: number | null; bumped: boolean }[]> {
  const r = await c.query<{ donor_id: number; attempts: number; appointment_id: number | null; bumped: boolean }>({
    name: 'dialer_claim_next_donor',
    text: CLAIM_NEXT_DONOR,
    values: [
      p.campaignId,
      p.now,
      p.agentId,
      p.hoursStart,
      p.hoursEnd,
      p.wholeDay,
      p.maxAttempts,
      p.holdUntil,
      p.shiftId,
      `${p.graceMinutes} minutes`,
    ],
  });
  return r.rows;
}

export interface OutOfDataRow {
  total: number;
  finished: number;
  do_not_call: number;
  no_phone: number;
  max_attempts: number;
  held_by_others: number;
  waiting_retry: number;
  outside_hours: number;
  callable_now: number;
  next_retry_at: Date | null;
  next_opening_at: Date | null;
}

export async function outOfDataReasons(
  c: PgClient,
  p: Pick<ClaimParams, 'campaignId' | 'now' | 'hoursStart' | 'hoursEnd' | 'wholeDay' | 'maxAttempts'>,
): Promise<OutOfDataRow> {
  const r = await c.query<OutOfDataRow>(OUT_OF_DATA_REASONS, [
    p.campaignId,
    p.now,
    p.hoursStart,
    p.hoursEnd,
    p.wholeDay,
    p.maxAttempts,
  ]);
  return r.rows[0]!;
}

export interface OfferRow {
  id: number;
  shift_id: number;
  agent_id: number;
  campaign_id: number;
  team_id: number;
  donor_id: number;
  appointment_id: number | null;
  status: 'open' | 'started' | 'skipped' | 'expired' | 'released';
  offered_at: Date;
  expires_at: Date;
}

export async function insertOffer(c: PgClient, v: Omit<OfferRow, 'id' | 'status'>): Promise<OfferRow> {
  const r = await c.query<OfferRow>({
    name: 'dialer_insert_offer',
    text: `INSERT INTO offers (shift_id, agent_id, campaign_id, team_id, donor_id, appointment_id, offered_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
    values: [
      v.shift_id,
      v.agent_id,
      v.campaign_id,
      v.team_id,
      v.donor_id,
      v.appointment_id,
      v.offered_at,
      v.expires_at,
    ],
  });
  return r.rows[0]!;
}

export async function lockOffer(c: PgClient, offerId: number): Promise<OfferRow | null> {
  const r = await c.query<OfferRow>({
    name: 'dialer_lock_offer',
    text: 'SELECT * FROM offers WHERE id = $1 FOR UPDATE',
    values: [offerId],
  });
  return r.rows[0] ?? null;
}

export async function resolveOffer(
  c: PgClient,
  v: { id: number; status: OfferRow['status']; now: Date; skipReasonId?: number | null; notes?: string | null },
): Promise<void> {
  await c.query({
    name: 'dialer_resolve_offer',
    text: 'UPDATE offers SET status = $2, resolved_at = $3, skip_reason_id = $4, notes = $5 WHERE id = $1',
    values: [v.id, v.status, v.now, v.skipReasonId ?? null, v.notes ?? null],
  });
}

/** Makes the offer's hold last the call and counts the attempt; null when the hold has lapsed. */
export async function holdForCall(
  c: PgClient,
  v: { campaignId: number; donorId: number; shiftId: number; now: Date },
): Promise<number | null> {
  const r = await c.query<{ attempts: number }>({
    name: 'dialer_hold_for_call',
    text: HOLD_FOR_CALL,
    values: [v.campaignId, v.donorId, v.shiftId, v.now],
  });
  return r.rows[0]?.attempts ?? null;
}

export async function releaseDonor(
  c: PgClient,
  v: { campaignId: number; donorId: number; shiftId: number; nextAttemptAt: Date | null; finishReason: string | null },
): Promise<void> {
  await c.query({
    name: 'dialer_release_donor',
    text: RELEASE_DONOR,
    values: [v.campaignId, v.donorId, v.shiftId, v.nextAttemptAt, v.finishReason],
  });
}

export async function setAppointmentInQueue(
  c: PgClient,
  v: { campaignId: number; donorId: number; appointmentId: number; ownerId: number | null; at: Date },
): Promise<void> {
  await c.query(
    `UPDATE campaign_donors SET appointment_id = $3, appointment_owner_id = $4, next_attempt_at = $5
     WHERE campaign_id = $1 AND donor_id = $2`,
    [v.campaignId, v.donorId, v.appointmentId, v.ownerId, v.at],
  );
}

export interface CallRow {
  id: number;
  direction: 'outbound' | 'inbound';
  agent_id: number;
  shift_id: number | null;
  donor_id: number;
  campaign_id: number | null;
  team_id: number | null;
  offer_id: number | null;
  appointment_id: number | null;
  phone_dialled: string | null;
  offered_at: Date | null;
  started_at: Date;
  ended_at: Date | null;
  end_reason_id: number | null;
  notes: string;
}

export async function insertCall(
  c: PgClient,
  v: Omit<CallRow, 'id' | 'ended_at' | 'end_reason_id' | 'notes' | 'phone_dialled'>,
): Promise<number> {
  const r = await c.query<{ id: number }>({
    name: 'dialer_insert_call',
    text: `INSERT INTO calls (direction, agent_id, shift_id, donor_id, campaign_id, team_id, offer_id, appointment_id,
                              phone_dialled, offered_at, started_at, updated_at)
           SELECT $1, $2, $3, $4, $5, $6, $7, $8, d.phone, $9, $10, $10 FROM donors d WHERE d.id = $4
           RETURNING id`,
    values: [
      v.direction,
      v.agent_id,
      v.shift_id,
      v.donor_id,
      v.campaign_id,
      v.team_id,
      v.offer_id,
      v.appointment_id,
      v.offered_at,
      v.started_at,
    ],
  });
  return r.rows[0]!.id;
}

export async function lockCall(c: PgClient, callId: number): Promise<CallRow | null> {
  const r = await c.query<CallRow>({
    name: 'dialer_lock_call',
    text: 'SELECT * FROM calls WHERE id = $1 FOR UPDATE',
    values: [callId],
  });
  return r.rows[0] ?? null;
}

export async function finishCall(
  c: PgClient,
  v: { id: number; endReasonId: number; notes: string; now: Date },
): Promise<void> {
  await c.query({
    name: 'dialer_finish_call',
    text: 'UPDATE calls SET ended_at = $4, end_reason_id = $2, notes = $3, updated_at = $4 WHERE id = $1',
    values: [v.id, v.endReasonId, v.notes, v.now],
  });
}

export async function markDonorDoNotCall(c: PgClient, donorId: number, now: Date): Promise<void> {
  await c.query('UPDATE donors SET do_not_call = true, updated_at = $2 WHERE id = $1', [donorId, now]);
  await c.query('UPDATE campaign_donors SET blocked = true WHERE donor_id = $1', [donorId]);
}

export interface EndReasonRow {
  id: number;
  name: string;
  outcome: 'final' | 'retry' | 'appointment' | 'do_not_call';
  retry_minutes: number | null;
  retired_at: Date | null;
}

export async function findEndReason(c: PgClient, id: number): Promise<EndReasonRow | null> {
  const r = await c.query<EndReasonRow>({
    name: 'dialer_find_end_reason',
    text: 'SELECT id, name, outcome, retry_minutes, retired_at FROM end_reasons WHERE id = $1',
    values: [id],
  });
  return r.rows[0] ?? null;
}

export async function findSkipReason(
  c: PgClient,
  id: number,
): Promise<{ id: number; name: string; outcome: 'requeue' | 'remove'; retired_at: Date | null } | null> {
  const r = await c.query<{ id: number; name: string; outcome: 'requeue' | 'remove'; retired_at: Date | null }>(
    'SELECT id, name, outcome, retired_at FROM skip_reasons WHERE id = $1',
    [id],
  );
  return r.rows[0] ?? null;
}

export async function findBreakReason(
  c: PgClient,
  id: number,
): Promise<{ id: number; name: string; retired_at: Date | null } | null> {
  const r = await c.query<{ id: number; name: string; retired_at: Date | null }>(
    'SELECT id, name, retired_at FROM break_reasons WHERE id = $1',
    [id],
  );
  return r.rows[0] ?? null;
}

export async function findJobRole(
  c: PgClient,
  id: number,
): Promise<{ id: number; name: string; outbound: boolean; retired_at: Date | null } | null> {
  const r = await c.query<{ id: number; name: string; outbound: boolean; retired_at: Date | null }>(
    'SELECT id, name, outbound, retired_at FROM job_roles WHERE id = $1',
    [id],
  );
  return r.rows[0] ?? null;
}

export async function insertAppointment(
  c: PgClient,
  v: {
    donorId: number;
    campaignId: number;
    scheduledAt: Date;
    ownerAgentId: number | null;
    notes: string;
    bookedCallId: number | null;
    createdBy: number;
    now: Date;
  },
): Promise<number> {
  const r = await c.query<{ id: number }>(
    `INSERT INTO appointments (donor_id, campaign_id, scheduled_at, owner_agent_id, notes, booked_call_id, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
    [v.donorId, v.campaignId, v.scheduledAt, v.ownerAgentId, v.notes, v.bookedCallId, v.createdBy, v.now],
  );
  return r.rows[0]!.id;
}

export interface BookedAppointmentRow {
  id: number;
  scheduled_at: Date;
  owner_agent_id: number | null;
}

/**
 * The scheduled call-back booked during this call (createAppointment), locked: the donor's queue
 * row first, then the appointment, the order the appointments feature takes them in.
 */
export async function lockBookedAppointment(
  c: PgClient,
  v: { callId: number; campaignId: number; donorId: number },
): Promise<BookedAppointmentRow | null> {
  // One round trip: the queue row is locked first (the order every use case keeps), then the
  // call-back booked on this call, if any (partial index appointments_booked_call_idx).
  const r = await c.query<Omit<BookedAppointmentRow, 'id'> & { id: number | null }>({
    name: 'dialer_lock_booked_appointment',
    text: `SELECT a.id, a.scheduled_at, a.owner_agent_id
             FROM (SELECT 1 FROM campaign_donors WHERE campaign_id = $2 AND donor_id = $3 FOR UPDATE) q
             LEFT JOIN LATERAL (
               SELECT id, scheduled_at, owner_agent_id FROM appointments
                WHERE booked_call_id = $1 AND status = 'scheduled'
                ORDER BY id LIMIT 1 FOR UPDATE) a ON true`,
    values: [v.callId, v.campaignId, v.donorId],
  });
  const row = r.rows[0];
  if (!row || row.id === null) return null;
  return { ...row, id: row.id };
}

export async function cancelAppointment(c: PgClient, appointmentId: number, now: Date): Promise<void> {
  await c.query(
    `UPDATE appointments SET status = 'cancelled', updated_at = $2 WHERE id = $1 AND status = 'scheduled'`,
    [appointmentId, now],
  );
}

export async function markAppointmentKept(
  c: PgClient,
  appointmentId: number,
  callId: number,
  now: Date,
): Promise<void> {
  await c.query(
    `UPDATE appointments SET status = 'done', kept_call_id = $2, updated_at = $3 WHERE id = $1 AND status = 'scheduled'`,
    [appointmentId, callId, now],
  );
}

export async function sweepLapsedOffers(c: PgClient, now: Date): Promise<{ expired: number; idled: number }> {
  const r = await c.query<{ expired: number; idled: number }>(SWEEP_LAPSED_OFFERS, [now]);
  return r.rows[0]!;
}

/** Shifts whose browser has been gone this long and that have no open call are closed. */
export async function closeAbandonedShifts(c: PgClient, now: Date, cutoff: Date): Promise<number> {
  const r = await c.query<{ closed: number }>(CLOSE_ABANDONED_SHIFTS, [now, cutoff]);
  return r.rows[0]!.closed;
}
export async function donorTimeZone(c: PgClient, donorId: number): Promise<string> {
  const r = await c.query<{ time_zone: string }>('SELECT time_zone FROM donors WHERE id = $1', [donorId]);
  return r.rows[0]?.time_zone ?? 'UTC';
}

const dialect = new PgDialect();

/** Puts the donors of a campaign's connected lists (or of every campaign) into its queue. */
export async function syncQueue(c: PgClient, campaignId: number | null, now: Date): Promise<number> {
  const q = dialect.sqlToQuery(queueFromLists(campaignId, now));
  const r = await c.query(q.sql, q.params);
  return r.rowCount ?? 0;
}

export async function pruneQueue(c: PgClient, campaignId: number): Promise<number> {
  const r = await c.query(PRUNE_QUEUE, [campaignId]);
  return r.rowCount ?? 0;
}

export async function refreshDonorsInQueues(c: PgClient, donorIds: number[]): Promise<void> {
  await c.query(REFRESH_DONORS_IN_QUEUES, [donorIds]);
}

export async function campaignsOfList(c: PgClient, listId: number): Promise<number[]> {
  const r = await c.query<{ campaign_id: number }>('SELECT campaign_id FROM campaign_lists WHERE list_id = $1', [
    listId,
  ]);
  return r.rows.map((x) => x.campaign_id);
}

export async function campaignRules(
  c: PgClient,
  campaignId: number,
): Promise<{ name: string; calling_hours_start: string; calling_hours_end: string; max_attempts: number } | null> {
  const r = await c.query<{
    name: string;
    calling_hours_start: string;
    calling_hours_end: string;
    max_attempts: number;
  }>(
    `SELECT name, to_char(calling_hours_start, 'HH24:MI') AS calling_hours_start,
            CASE WHEN calling_hours_end = '24:00' THEN '24:00' ELSE to_char(calling_hours_end, 'HH24:MI') END AS calling_hours_end,
            max_attempts
       FROM campaigns WHERE id = $1`,
    [campaignId],
  );
  return r.rows[0] ?? null;
}

export async function remindDueAppointments(c: PgClient, now: Date): Promise<number> {
  const r = await c.query<{ reminded: number }>(REMIND_DUE_APPOINTMENTS, [now]);
  return r.rows[0]?.reminded ?? 0;
}

export async function markMissedAppointments(c: PgClient, now: Date): Promise<number> {
  const r = await c.query<{ missed: number }>(MARK_MISSED_APPOINTMENTS, [now]);
  return r.rows[0]?.missed ?? 0;
}
