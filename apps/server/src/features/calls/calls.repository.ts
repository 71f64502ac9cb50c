import type { PgClient } from '../../lib/tx';

/**
 * Calls as managers see them. `teamIds` is the caller's scope: null for an admin (every call),
 * else the teams they lead; a call is in scope when it was made for one of those teams or in a
 * campaign one of them works.
 */

export interface ManagerCallRow {
  id: number;
  direction: 'outbound' | 'inbound';
  agent_id: number;
  agent_name: string;
  donor_id: number;
  donor_name: string;
  donor_reference: string;
  campaign_id: number | null;
  campaign_name: string | null;
  team_id: number | null;
  team_name: string | null;
  phone_dialled: string | null;
  offered_at: Date | null;
  started_at: Date;
  ended_at: Date | null;
  end_reason_id: number | null;
  end_reason_name: string | null;
  end_reason_outcome: 'final' | 'retry' | 'appointment' | 'do_not_call' | null;
  notes: string;
  appointment_id: number | null;
  corrected: boolean;
}

const SCOPE = (teams: string) => `(${teams}::int[] IS NULL OR cl.team_id = ANY(${teams}::int[])
    OR cl.campaign_id IN (SELECT ct.campaign_id FROM campaign_teams ct WHERE ct.team_id = ANY(${teams}::int[])))`;

const SELECT = `
  SELECT cl.id, cl.direction, cl.agent_id, u.name AS agent_name,
         cl.donor_id, trim(d.first_name || ' ' || d.last_name) AS donor_name, d.reference AS donor_reference,
         cl.campaign_id, c.name AS campaign_name, cl.team_id, t.name AS team_name, cl.phone_dialled,
         cl.offered_at, cl.started_at, cl.ended_at,
         cl.end_reason_id, er.name AS end_reason_name, er.outcome AS end_reason_outcome,
         cl.notes, cl.appointment_id,
         EXISTS (SELECT 1 FROM audit_log al WHERE al.entity_type = 'call' AND al.entity_id = cl.id) AS corrected
    FROM calls cl
    JOIN users u ON u.id = cl.agent_id
    JOIN donors d ON d.id = cl.donor_id
    LEFT JOIN campaigns c ON c.id = cl.campaign_id
    LEFT JOIN teams t ON t.id = cl.team_id
    LEFT JOIN end_reasons er ON er.id = cl.end_reason_id`;

export interface CallFilter {
  teamIds: number[] | null;
  campaignId: number | null;
  teamId: number | null;
  agentId: number | null;
  endReasonId: number | null;
  direction: 'outbound' | 'inbound' | null;
  from: Date | null;
  to: Date | null;
  /** Keyset: rows strictly older than (startedAt, id). */
  before: { at: Date; id: number } | null;
  limit: number;
}

/** Newest first (started_at, then id), one page of `limit` rows. */
export async function listCalls(c: PgClient, f: CallFilter): Promise<ManagerCallRow[]> {
  const r = await c.query<ManagerCallRow>(
    `${SELECT}
      WHERE ${SCOPE('$1')}
        AND ($2::int IS NULL OR cl.campaign_id = $2)
        AND ($3::int IS NULL OR cl.team_id = $3)
        AND ($4::int IS NULL OR cl.agent_id = $4)
        AND ($5::int IS NULL OR cl.end_reason_id = $5)
        AND ($6::call_direction IS NULL OR cl.direction = $6)
        AND ($7::timestamptz IS NULL OR cl.started_at >= $7)
        AND ($8::timestamptz IS NULL OR cl.started_at < $8)
        AND ($9::timestamptz IS NULL OR (cl.started_at, cl.id) < ($9::timestamptz, $10::int))
      ORDER BY cl.started_at DESC, cl.id DESC
      LIMIT $11`,
    [
      f.teamIds,
      f.campaignId,
      f.teamId,
      f.agentId,
      f.endReasonId,
      f.direction,
      f.from,
      f.to,
      f.before?.at ?? null,
      f.before?.id ?? null,
      f.limit,
    ],
  );
  return r.rows;
}

/** One call in the caller's scope; null when it does not exist or is out of scope. */
export async function findCall(c: PgClient, callId: number, teamIds: number[] | null): Promise<ManagerCallRow | null> {
  const r = await c.query<ManagerCallRow>(`${SELECT} WHERE cl.id = $2 AND ${SCOPE('$1')}`, [teamIds, callId]);
  return r.rows[0] ?? null;
}

/** Locks the call row for a correction (the agent's End Call locks it too). */
export async function lockCall(c: PgClient, callId: number): Promise<void> {
  await c.query('SELECT 1 FROM calls WHERE id = $1 FOR UPDATE', [callId]);
}

export interface EndReasonRow {
  id: number;
  name: string;
  retired_at: Date | null;
  /** One of the system's own reasons ("Ended by the system"): not for choosing. */
  system_key: string | null;
}

export async function findEndReason(c: PgClient, id: number): Promise<EndReasonRow | null> {
  const r = await c.query<EndReasonRow>('SELECT id, name, retired_at, system_key FROM end_reasons WHERE id = $1', [id]);
  return r.rows[0] ?? null;
}

export async function correctCall(
  c: PgClient,
  v: { id: number; endReasonId: number | null; notes: string; now: Date },
): Promise<void> {
  await c.query('UPDATE calls SET end_reason_id = $2, notes = $3, updated_at = $4 WHERE id = $1', [
    v.id,
    v.endReasonId,
    v.notes,
    v.now,
  ]);
}
