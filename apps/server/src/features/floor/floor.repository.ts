import { sql } from 'drizzle-orm';
import type { ShiftState } from '@engage/contracts';
import type { DbOrTx } from '../../db/client';
import type { PgClient } from '../../lib/tx';

export interface FloorRow {
  agent_id: number;
  agent_name: string;
  shift_id: number;
  job_role: string;
  team_id: number | null;
  team_name: string | null;
  campaign_id: number | null;
  campaign_name: string | null;
  state: 'signed_in' | 'ready' | 'previewing' | 'on_call' | 'on_break' | 'out_of_data';
  state_since: Date;
  break_reason: string | null;
  donor_name: string | null;
  connected: boolean;
  lease_expires_at: Date;
}

/**
 * Agents signed in now, with what they are doing. `teamIds` null: every agent (admin); else the
 * agents working for, or members of, those teams.
 */
export async function floor(c: PgClient, teamIds: number[] | null, now: Date): Promise<FloorRow[]> {
  const r = await c.query<FloorRow>(
    `SELECT s.agent_id, u.name AS agent_name, s.id AS shift_id, jr.name AS job_role,
            s.team_id, t.name AS team_name, s.campaign_id, c.name AS campaign_name,
            s.state, s.state_since, br.name AS break_reason,
            trim(d.first_name || ' ' || d.last_name) AS donor_name,
            s.lease_expires_at > $2 AS connected, s.lease_expires_at
       FROM shifts s
       JOIN users u ON u.id = s.agent_id
       JOIN job_roles jr ON jr.id = s.job_role_id
       LEFT JOIN teams t ON t.id = s.team_id
       LEFT JOIN campaigns c ON c.id = s.campaign_id
       LEFT JOIN break_reasons br ON br.id = s.break_reason_id
       LEFT JOIN offers o ON o.id = s.offer_id
       LEFT JOIN calls cl ON cl.id = s.call_id
       LEFT JOIN donors d ON d.id = COALESCE(cl.donor_id, o.donor_id)
      WHERE s.closed_at IS NULL
        AND ($1::int[] IS NULL OR s.team_id = ANY($1)
             OR s.agent_id IN (SELECT user_id FROM team_members WHERE team_id = ANY($1)))
      ORDER BY u.name`,
    [teamIds, now],
  );
  return r.rows;
}

/** Agents a manager may watch: members of the teams they lead. */
export async function membersOf(c: PgClient, teamIds: number[]): Promise<number[]> {
  const r = await c.query<{ user_id: number }>('SELECT DISTINCT user_id FROM team_members WHERE team_id = ANY($1)', [
    teamIds,
  ]);
  return r.rows.map((x) => x.user_id);
}

export type LockedShiftRow = {
  id: number;
  agent_id: number;
  agent_name: string;
  team_id: number | null;
  state: ShiftState;
  call_id: number | null;
  offer_id: number | null;
  /** whether the agent is a member of one of `teamIds` */
  member: boolean;
};

/** An open shift, locked for a manager's action on it (the shift first: the dialer's lock order). */
export async function lockOpenShift(tx: DbOrTx, shiftId: number, teamIds: number[]): Promise<LockedShiftRow | null> {
  const r = await tx.execute<LockedShiftRow>(sql`
    SELECT s.id, s.agent_id, u.name AS agent_name, s.team_id, s.state, s.call_id, s.offer_id,
           EXISTS (SELECT 1 FROM team_members tm WHERE tm.user_id = s.agent_id AND tm.team_id = ANY(${sql.param(teamIds)}::int[])) AS member
      FROM shifts s JOIN users u ON u.id = s.agent_id
     WHERE s.id = ${shiftId} AND s.closed_at IS NULL
       FOR UPDATE OF s`);
  return r.rows[0] ?? null;
}
