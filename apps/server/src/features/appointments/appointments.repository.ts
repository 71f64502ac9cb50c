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
  campaign_id: number;
  campaign_name: string;
  calling_hours_start: string;
  calling_hours_end: string;
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
         d.time_zone AS donor_time_zone, a.campaign_id, c.name AS campaign_name,
         to_char(c.calling_hours_start, 'HH24:MI') AS calling_hours_start,
         CASE WHEN c.calling_hours_end = '24:00' THEN '24:00' ELSE to_char(c.calling_hours_end, 'HH24:MI') END AS calling_hours_end,
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
