import type { WeekdayHours } from '@engage/contracts';
import type { PgClient } from '../../lib/tx';

/**
 * Call-backs as managers see them, and the dialer queue rows they put first. `teamIds` is the
 * caller's scope: null for an admin, else the teams they lead; an appointment is in scope when
 * its campaign is worked by one of those teams.
 */

export interface ManagerAppointmentRow {
  id: number;
  donor_id: number;
  donor_name: string;
  donor_reference: string;
  donor_time_zone: string;
  donor_country: string | null;
  campaign_id: number;
  campaign_name: string;
  calling_hours_start: string;
  calling_hours_end: string;
  weekday_hours: WeekdayHours;
  closed_dates: string[];
  campaign_ends_on: string | null;
  scheduled_at: Date;
  owner_agent_id: number | null;
  owner_name: string | null;
  notes: string;
  status: 'scheduled' | 'done' | 'missed' | 'cancelled';
  booked_call_id: number | null;
  kept_call_id: number | null;
  created_at: Date;
}

const SCOPE = (teams: string) => `(${teams}::int[] IS NULL
    OR a.campaign_id IN (SELECT ct.campaign_id FROM campaign_teams ct WHERE ct.team_id = ANY(${teams}::int[])))`;

const SELECT = `
  SELECT a.id, a.donor_id, trim(d.first_name || ' ' || d.last_name) AS donor_name, d.reference AS donor_reference,
         d.time_zone AS donor_time_zone, d.country AS donor_country, a.campaign_id, c.name AS campaign_name,
         to_char(c.calling_hours_start, 'HH24:MI') AS calling_hours_start,
         CASE WHEN c.calling_hours_end = '24:00' THEN '24:00' ELSE to_char(c.calling_hours_end, 'HH24:MI') END AS calling_hours_end,
         c.weekday_hours, c.closed_dates::text[] AS closed_dates,
         c.ends_on::text AS campaign_ends_on,
         a.scheduled_at, a.owner_agent_id, u.name AS owner_name, a.notes, a.status,
         a.booked_call_id, a.kept_call_id, a.created_at
    FROM appointments a
    JOIN donors d ON d.id = a.donor_id
    JOIN campaigns c ON c.id = a.campaign_id
    LEFT JOIN users u ON u.id = a.owner_agent_id`;

export interface AppointmentFilter {
  teamIds: number[] | null;
  campaignId: number | null;
  teamId: number | null;
  /** An agent id, 'anyone' (no owner) or null (no filter). */
  owner: number | 'anyone' | null;
  status: 'scheduled' | 'done' | 'missed' | 'cancelled' | null;
  from: Date | null;
  to: Date | null;
  /** Keyset: rows strictly after (scheduledAt, id). */
  after: { at: Date; id: number } | null;
  limit: number;
}

/** Earliest scheduled first, one page of `limit` rows. */
export async function listAppointments(c: PgClient, f: AppointmentFilter): Promise<ManagerAppointmentRow[]> {
  const r = await c.query<ManagerAppointmentRow>(
    `${SELECT}
      WHERE ${SCOPE('$1')}
        AND ($2::int IS NULL OR a.campaign_id = $2)
        AND ($3::int IS NULL OR a.campaign_id IN (SELECT campaign_id FROM campaign_teams WHERE team_id = $3))
        AND (NOT $4::boolean OR a.owner_agent_id IS NULL)
        AND ($5::int IS NULL OR a.owner_agent_id = $5)
        AND ($6::appointment_status IS NULL OR a.status = $6)
        AND ($7::timestamptz IS NULL OR a.scheduled_at >= $7)
        AND ($8::timestamptz IS NULL OR a.scheduled_at < $8)
        AND ($9::timestamptz IS NULL OR (a.scheduled_at, a.id) > ($9::timestamptz, $10::int))
      ORDER BY a.scheduled_at, a.id
      LIMIT $11`,
    [
      f.teamIds,
      f.campaignId,
      f.teamId,
      f.owner === 'anyone',
      typeof f.owner === 'number' ? f.owner : null,
      f.status,
      f.from,
      f.to,
      f.after?.at ?? null,
      f.after?.id ?? null,
      f.limit,
    ],
  );
  return r.rows;
}

/** One appointment in the caller's scope; null when it does not exist or is out of scope. */
export async function findAppointment(
  c: PgClient,
  id: number,
  teamIds: number[] | null,
): Promise<ManagerAppointmentRow | null> {
  const r = await c.query<ManagerAppointmentRow>(`${SELECT} WHERE a.id = $2 AND ${SCOPE('$1')}`, [teamIds, id]);
  return r.rows[0] ?? null;
}

/** Which donor in which campaign an appointment is for (these never change). */
export async function appointmentKey(
  c: PgClient,
  id: number,
): Promise<{ campaign_id: number; donor_id: number } | null> {
  const r = await c.query<{ campaign_id: number; donor_id: number }>(
    'SELECT campaign_id, donor_id FROM appointments WHERE id = $1',
    [id],
  );
  return r.rows[0] ?? null;
}

export interface QueueRow {
  appointment_id: number | null;
  held_by_shift_id: number | null;
}

/**
 * Locks the donor's queue row in the campaign. Taken before the appointment's row: the dialer's
 * Start Call takes them in that order too (the queue row, then marks the appointment kept).
 */
export async function lockQueueRow(c: PgClient, campaignId: number, donorId: number): Promise<QueueRow | null> {
  const r = await c.query<QueueRow>(
    `SELECT appointment_id, held_by_shift_id FROM campaign_donors
      WHERE campaign_id = $1 AND donor_id = $2 FOR UPDATE`,
    [campaignId, donorId],
  );
  return r.rows[0] ?? null;
}

export async function lockAppointment(c: PgClient, id: number): Promise<void> {
  await c.query('SELECT 1 FROM appointments WHERE id = $1 FOR UPDATE', [id]);
}

export async function updateAppointment(
  c: PgClient,
  v: {
    id: number;
    scheduledAt: Date;
    ownerAgentId: number | null;
    notes: string;
    status: 'scheduled' | 'cancelled';
    /** A new time or owner: the owner is reminded again when it is due (the dialer's sweep). */
    remind: boolean;
    now: Date;
  },
): Promise<void> {
  await c.query(
    `UPDATE appointments SET scheduled_at = $2, owner_agent_id = $3, notes = $4, status = $5, updated_at = $6,
            reminded_at = CASE WHEN $7::boolean THEN NULL ELSE reminded_at END
      WHERE id = $1`,
    [v.id, v.scheduledAt, v.ownerAgentId, v.notes, v.status, v.now, v.remind],
  );
}

/**
 * Moves the call-back in the dialer queue (owner and due time), when the queue row still points
 * at this appointment. The claim reads these columns: see features/dialer/dialer.sql.ts.
 */
export async function moveInQueue(
  c: PgClient,
  v: { campaignId: number; donorId: number; appointmentId: number; ownerId: number | null; at: Date },
): Promise<void> {
  await c.query(
    `UPDATE campaign_donors SET appointment_owner_id = $4, next_attempt_at = $5
      WHERE campaign_id = $1 AND donor_id = $2 AND appointment_id = $3`,
    [v.campaignId, v.donorId, v.appointmentId, v.ownerId, v.at],
  );
}

/** Takes the call-back out of the queue: the donor goes back to the normal queue, due now. */
export async function removeFromQueue(
  c: PgClient,
  v: { campaignId: number; donorId: number; appointmentId: number; now: Date },
): Promise<void> {
  await c.query(
    `UPDATE campaign_donors SET appointment_id = NULL, appointment_owner_id = NULL, next_attempt_at = $4
      WHERE campaign_id = $1 AND donor_id = $2 AND appointment_id = $3`,
    [v.campaignId, v.donorId, v.appointmentId, v.now],
  );
}

export interface CandidateOwner {
  id: number;
  name: string;
}

/** Members of the teams working the campaign who may own its call-backs (enabled accounts). */
export async function campaignAgents(c: PgClient, campaignId: number): Promise<CandidateOwner[]> {
  const r = await c.query<CandidateOwner>(
    `SELECT DISTINCT u.id, u.name
       FROM campaign_teams ct
       JOIN team_members tm ON tm.team_id = ct.team_id
       JOIN users u ON u.id = tm.user_id
      WHERE ct.campaign_id = $1 AND u.disabled_at IS NULL
      ORDER BY u.name, u.id`,
    [campaignId],
  );
  return r.rows;
}

export async function userName(c: PgClient, id: number): Promise<string | null> {
  const r = await c.query<{ name: string }>('SELECT name FROM users WHERE id = $1', [id]);
  return r.rows[0]?.name ?? null;
}

/** What booking a call-back needs to know about the campaign and the caller. */
export interface BookingCampaign {
  id: number;
  name: string;
  calling_hours_start: string;
  calling_hours_end: string;
  ends_on: string | null;
  team_ids: number[];
  /** The caller is a member of a team working the campaign. */
  caller_works: boolean;
}

export async function bookingCampaign(
  c: PgClient,
  campaignId: number,
  userId: number,
): Promise<BookingCampaign | null> {
  const r = await c.query<BookingCampaign>(
    `SELECT c.id, c.name, c.ends_on::text AS ends_on,
            to_char(c.calling_hours_start, 'HH24:MI') AS calling_hours_start,
            CASE WHEN c.calling_hours_end = '24:00' THEN '24:00' ELSE to_char(c.calling_hours_end, 'HH24:MI') END AS calling_hours_end,
            COALESCE((SELECT array_agg(ct.team_id ORDER BY ct.team_id) FROM campaign_teams ct WHERE ct.campaign_id = c.id), '{}') AS team_ids,
            EXISTS (SELECT 1 FROM campaign_teams ct JOIN team_members tm ON tm.team_id = ct.team_id
                     WHERE ct.campaign_id = c.id AND tm.user_id = $2) AS caller_works
       FROM campaigns c WHERE c.id = $1`,
    [campaignId, userId],
  );
  return r.rows[0] ?? null;
}

/**
 * Locks the caller's open shift, if any, before the queue row: the dialer's use cases lock the
 * shift first too, so a booking and an End Call on the same donor take turns.
 */
export async function lockCallerShift(
  c: PgClient,
  userId: number,
): Promise<{ id: number; call_id: number | null } | null> {
  const r = await c.query<{ id: number; call_id: number | null }>(
    'SELECT id, call_id FROM shifts WHERE agent_id = $1 AND closed_at IS NULL FOR UPDATE',
    [userId],
  );
  return r.rows[0] ?? null;
}

export interface BookingQueueRow {
  state: 'queued' | 'finished';
  held_by_shift_id: number | null;
  donor_name: string;
  donor_time_zone: string;
}

/** Locks the donor's queue row in the campaign, with the donor's name and zone. */
export async function lockBookingQueueRow(
  c: PgClient,
  campaignId: number,
  donorId: number,
): Promise<BookingQueueRow | null> {
  const r = await c.query<BookingQueueRow>(
    `SELECT cd.state, cd.held_by_shift_id, trim(d.first_name || ' ' || d.last_name) AS donor_name,
            d.time_zone AS donor_time_zone
       FROM campaign_donors cd JOIN donors d ON d.id = cd.donor_id
      WHERE cd.campaign_id = $1 AND cd.donor_id = $2
        FOR UPDATE OF cd`,
    [campaignId, donorId],
  );
  return r.rows[0] ?? null;
}

/** The open call a shift has with this donor in this campaign, if that is what holds the row. */
export async function openCallWith(
  c: PgClient,
  v: { callId: number; donorId: number; campaignId: number },
): Promise<boolean> {
  const r = await c.query(
    'SELECT 1 FROM calls WHERE id = $1 AND donor_id = $2 AND campaign_id = $3 AND ended_at IS NULL',
    [v.callId, v.donorId, v.campaignId],
  );
  return (r.rowCount ?? 0) > 0;
}

/** The donor's scheduled call-back in the campaign, if there is one. */
export async function scheduledFor(
  c: PgClient,
  campaignId: number,
  donorId: number,
): Promise<{ id: number; scheduled_at: Date } | null> {
  const r = await c.query<{ id: number; scheduled_at: Date }>(
    `SELECT id, scheduled_at FROM appointments
      WHERE campaign_id = $1 AND donor_id = $2 AND status = 'scheduled'
      ORDER BY scheduled_at LIMIT 1`,
    [campaignId, donorId],
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

/** Puts the call-back first in the dialer queue when it is due (the claim's first two legs). */
export async function putInQueue(
  c: PgClient,
  v: { campaignId: number; donorId: number; appointmentId: number; ownerId: number | null; at: Date },
): Promise<void> {
  await c.query(
    `UPDATE campaign_donors SET appointment_id = $3, appointment_owner_id = $4, next_attempt_at = $5
      WHERE campaign_id = $1 AND donor_id = $2 AND held_by_shift_id IS NULL`,
    [v.campaignId, v.donorId, v.appointmentId, v.ownerId, v.at],
  );
}
