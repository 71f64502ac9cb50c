import type pg from 'pg';
import { BUSY_ELSEWHERE, type EngageEvent, type FloorAgent, type Role } from '@engage/contracts';
import type { Db } from '../../db/client';
import { managedTeamIds } from '../../lib/scope';
import { withClient } from '../../lib/tx';
import * as repo from './floor.repository';

export type FloorService = ReturnType<typeof createFloorService>;

interface Viewer {
  id: number;
  role: Role;
}

/**
 * Whether a shift works for a team the viewer does not lead (`teams` null: an admin, who leads
 * every team). The viewer then sees only that the agent is busy elsewhere: no team, campaign,
 * donor, state or time in it. A shift with no team yet, and the viewer's own, are shown as they are.
 */
function busyElsewhere(viewer: Viewer, teams: ReadonlySet<number> | null, agentId: number, teamId: number | null) {
  return teams !== null && agentId !== viewer.id && teamId !== null && !teams.has(teamId);
}

export function createFloorService(deps: { db: Db; pool: pg.Pool; now?: () => Date }) {
  const { pool } = deps;
  const now = deps.now ?? (() => new Date());

  async function list(viewer: Viewer): Promise<{ agents: FloorAgent[]; at: string }> {
    const teams = await managedTeamIds(deps.db, viewer);
    const led = teams === null ? null : new Set(teams);
    const t = now();
    const rows = await withClient(pool, (c) => repo.floor(c, teams, t));
    return {
      at: t.toISOString(),
      agents: rows.map((r): FloorAgent => {
        const shown = {
          agentId: r.agent_id,
          agentName: r.agent_name,
          shiftId: r.shift_id,
          jobRole: r.job_role,
          connected: r.connected,
        };
        if (busyElsewhere(viewer, led, r.agent_id, r.team_id)) {
          return {
            ...shown,
            team: null,
            campaign: null,
            state: BUSY_ELSEWHERE,
            stateSince: null,
            breakReason: null,
            donorName: null,
          };
        }
        return {
          ...shown,
          team: r.team_id !== null && r.team_name !== null ? { id: r.team_id, name: r.team_name } : null,
          campaign:
            r.campaign_id !== null && r.campaign_name !== null ? { id: r.campaign_id, name: r.campaign_name } : null,
          state: r.state,
          stateSince: r.state_since.toISOString(),
          breakReason: r.break_reason,
          donorName: r.state === 'previewing' || r.state === 'on_call' ? r.donor_name : null,
        };
      }),
    };
  }

  /**
   * What one event stream may see of each event, as the floor shows it: an admin everything; a
   * manager the shifts of the teams they lead and of those teams' members, where a shift working
   * for another team says only "elsewhere", once, until it comes back or signs out; an agent their
   * own. A call-back reminder (it names the donor) goes to its owner only (and admins).
   * Returns null for an event the stream does not get. Make a new one when the viewer's teams change.
   */
  async function eventView(viewer: Viewer): Promise<(e: EngageEvent) => EngageEvent | null> {
    const teams = await managedTeamIds(deps.db, viewer);
    if (teams === null) return (e) => e;
    if (viewer.role === 'agent') return (e) => (e.agentId === viewer.id ? e : null);
    const members = new Set(await withClient(pool, (c) => repo.membersOf(c, teams)));
    const led = new Set(teams);
    /** Shifts last announced to this stream as busy elsewhere: their next change there is not news. */
    const announcedElsewhere = new Set<number>();
    return (e) => {
      switch (e.type) {
        case 'appointment.due':
          return e.agentId === viewer.id ? e : null;
        case 'shift.changed': {
          const ledTeam = e.teamId !== null && led.has(e.teamId);
          if (e.agentId !== viewer.id && !ledTeam && !members.has(e.agentId)) return null;
          if (!busyElsewhere(viewer, led, e.agentId, e.teamId)) {
            announcedElsewhere.delete(e.shiftId);
            return e;
          }
          // A member of the viewer's teams, working for another team.
          if (e.state === 'signed_out') {
            announcedElsewhere.delete(e.shiftId);
            return { ...e, teamId: null, campaignId: null };
          }
          if (announcedElsewhere.has(e.shiftId)) return null;
          announcedElsewhere.add(e.shiftId);
          return { ...e, teamId: null, campaignId: null, state: BUSY_ELSEWHERE };
        }
      }
    };
  }

  return { list, eventView };
}
