import type pg from 'pg';
import type { FloorAgent, Role } from '@engage/contracts';
import type { Db } from '../../db/client';
import { managedTeamIds } from '../../lib/scope';
import { withClient } from '../../lib/tx';
import * as repo from './floor.repository';

export type FloorService = ReturnType<typeof createFloorService>;

export function createFloorService(deps: { db: Db; pool: pg.Pool; now?: () => Date }) {
  const { pool } = deps;
  const now = deps.now ?? (() => new Date());

  async function list(user: { id: number; role: Role }): Promise<{ agents: FloorAgent[]; at: string }> {
    const teams = await managedTeamIds(deps.db, user);
    const t = now();
    const rows = await withClient(pool, (c) => repo.floor(c, teams, t));
    return {
      at: t.toISOString(),
      agents: rows.map((r) => ({
        agentId: r.agent_id,
        agentName: r.agent_name,
        shiftId: r.shift_id,
        jobRole: r.job_role,
        team: r.team_id !== null && r.team_name !== null ? { id: r.team_id, name: r.team_name } : null,
        campaign:
          r.campaign_id !== null && r.campaign_name !== null ? { id: r.campaign_id, name: r.campaign_name } : null,
        state: r.state,
        stateSince: r.state_since.toISOString(),
        breakReason: r.break_reason,
        donorName: r.state === 'previewing' || r.state === 'on_call' ? r.donor_name : null,
        connected: r.connected,
      })),
    };
  }

  /**
   * Which shift events a user may receive: an admin all; a manager those of the teams they lead
   * and of those teams' members; an agent their own.
   */
  async function eventFilter(user: {
    id: number;
    role: Role;
  }): Promise<(e: { agentId: number; teamId: number | null }) => boolean> {
    const teams = await managedTeamIds(deps.db, user);
    if (teams === null) return () => true;
    if (user.role === 'agent') return (e) => e.agentId === user.id;
    const members = new Set(await withClient(pool, (c) => repo.membersOf(c, teams)));
    const teamSet = new Set(teams);
    return (e) => e.agentId === user.id || members.has(e.agentId) || (e.teamId !== null && teamSet.has(e.teamId));
  }

  return { list, eventFilter };
}
