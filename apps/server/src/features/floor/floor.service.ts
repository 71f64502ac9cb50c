import {
  BUSY_ELSEWHERE,
  type EngageEvent,
  type FloorAgent,
  type FloorLine,
  type InboundQueue,
  type Role,
} from '@engage/contracts';
import type { Db } from '../../db/client';
import { audit } from '../../lib/audit';
import { AppError } from '../../lib/errors';
import { managedTeamIds } from '../../lib/scope';
import { withTransaction } from '../../lib/tx';
import type { DialerService } from '../dialer/dialer.service';
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

/**
 * Whether the viewer may act on a shift from the floor: the shifts they see in full (an admin
 * every one; a manager those working for a team they lead, and those of their teams' members that
 * work for no team yet, as `busyElsewhere` shows them).
 */
function mayManage(viewer: Viewer, teams: ReadonlySet<number> | null, shift: repo.LockedShiftRow): boolean {
  if (teams === null || shift.agentId === viewer.id) return true;
  return shift.teamId !== null ? teams.has(shift.teamId) : shift.member;
}

/** A shift the viewer may not act on answers as one that does not exist. */
const noSuchShift = () =>
  new AppError(
    'not_found',
    'No agent on your floor has that shift: they may have signed out already. Reload the floor.',
  );

export type FloorAction = 'end_shift' | 'end_call' | 'release_donor';

export function createFloorService(deps: {
  db: Db;
  /** The dialer's own statements do the work of a manager's action on a shift. */
  dialer: Pick<DialerService, 'endShiftNow' | 'passOnRinging' | 'endCallNow' | 'releaseOfferNow'>;
  /** The inbound lines' queues, as listInboundQueue reads them for the same viewer (features/inbound). */
  inboundQueue: { listQueue(viewer: Viewer): Promise<InboundQueue> };
  now?: () => Date;
}) {
  const { db, dialer, inboundQueue } = deps;
  const now = deps.now ?? (() => new Date());

  async function list(viewer: Viewer): Promise<{ agents: FloorAgent[]; lines: FloorLine[]; at: string }> {
    const t = now();
    const [teams, queue] = await Promise.all([managedTeamIds(db, viewer), inboundQueue.listQueue(viewer)]);
    const led = teams === null ? null : new Set(teams);
    const rows = await repo.floor(db, teams, t);
    return {
      at: t.toISOString(),
      // The callers' numbers stay on the queue's own page: the floor counts them.
      lines: queue.lines.map(({ calls: _calls, ...line }) => line),
      agents: rows.map((r): FloorAgent => {
        const shown = {
          agentId: r.agentId,
          agentName: r.agentName,
          shiftId: r.shiftId,
          jobRole: r.jobRole,
          connected: r.connected,
          disconnectedSince: r.connected ? null : r.leaseExpiresAt.toISOString(),
        };
        if (busyElsewhere(viewer, led, r.agentId, r.teamId)) {
          return {
            ...shown,
            team: null,
            campaign: null,
            state: BUSY_ELSEWHERE,
            stateSince: null,
            breakReason: null,
            donorName: null,
            ringing: null,
            call: null,
          };
        }
        return {
          ...shown,
          team: r.teamId !== null && r.teamName !== null ? { id: r.teamId, name: r.teamName } : null,
          campaign:
            r.campaignId !== null && r.campaignName !== null ? { id: r.campaignId, name: r.campaignName } : null,
          state: r.state,
          stateSince: r.stateSince.toISOString(),
          breakReason: r.breakReason,
          donorName: r.state === 'previewing' || r.state === 'on_call' ? r.donorName : null,
          ringing:
            r.ringingCallId !== null && r.ringingLineId !== null && r.ringingLineName !== null
              ? {
                  inboundCallId: r.ringingCallId,
                  line: { id: r.ringingLineId, name: r.ringingLineName },
                  since: (r.ringingSince ?? t).toISOString(),
                }
              : null,
          call:
            r.state === 'on_call' && r.callDirection !== null
              ? {
                  direction: r.callDirection,
                  line:
                    r.callLineId !== null && r.callLineName !== null
                      ? { id: r.callLineId, name: r.callLineName }
                      : null,
                }
              : null,
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
    const teams = await managedTeamIds(db, viewer);
    if (teams === null) return (e) => e;
    // Agents: only their own shift and reminders (imports are managers' work).
    if (viewer.role === 'agent') {
      return (e) => (e.type !== 'import.changed' && e.type !== 'inbound.changed' && e.agentId === viewer.id ? e : null);
    }
    const members = new Set(await repo.membersOf(db, teams));
    const led = new Set(teams);
    /** Shifts last announced to this stream as busy elsewhere: their next change there is not news. */
    const announcedElsewhere = new Set<number>();
    return (e) => {
      switch (e.type) {
        case 'appointment.due':
          return e.agentId === viewer.id ? e : null;
        case 'import.changed':
          return e; // every manager sees every list's imports (listImports)
        case 'inbound.changed':
          // The queue of a line answered by a team the viewer leads (listInboundQueue's scope).
          return e.teamIds.some((id) => led.has(id)) ? e : null;
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

  /**
   * A manager's action on an agent's shift from the floor: Sign out (the open call ended and kept
   * on record, a held donor released), End call, or Release donor. Only on shifts the manager sees
   * in full; any other answers as a shift that does not exist. Audited in the same transaction.
   */
  async function act(viewer: Viewer, shiftId: number, action: FloorAction): Promise<void> {
    await withTransaction(db, async (tx) => {
      const teams = await managedTeamIds(tx, viewer);
      // Sign out passes on a call ringing the agent first, in routing's lock order (call, then
      // shift); a shift the manager may not touch rolls it back with the rest.
      if (action === 'end_shift') await dialer.passOnRinging(tx, shiftId);
      const shift = await repo.lockOpenShift(tx, shiftId, teams ?? []);
      if (!shift || !mayManage(viewer, teams === null ? null : new Set(teams), shift)) throw noSuchShift();
      const name = shift.agentName;
      let after;
      switch (action) {
        case 'end_shift':
          after = await dialer.endShiftNow(tx, shift.id, 'manager');
          break;
        case 'end_call':
          if (shift.state !== 'on_call' || shift.callId === null) {
            throw new AppError(
              'call_not_found',
              `${name} has no call in progress now. Reload the floor to see what they are doing.`,
            );
          }
          after = await dialer.endCallNow(tx, shift.id, 'manager');
          break;
        case 'release_donor':
          if (shift.state === 'on_call') {
            throw new AppError(
              'call_open',
              `${name} is on a call with the donor: use End call to end it and release the donor.`,
            );
          }
          if (shift.state !== 'previewing' || shift.offerId === null) {
            throw new AppError(
              'offer_not_found',
              `${name} holds no donor now. Reload the floor to see what they are doing.`,
            );
          }
          after = await dialer.releaseOfferNow(tx, shift.id);
          break;
      }
      await audit(tx, {
        actorId: viewer.id,
        entityType: 'shift',
        entityId: shift.id,
        action,
        before: { agentId: shift.agentId, state: shift.state, callId: shift.callId, offerId: shift.offerId },
        after: after
          ? { state: after.closed ? 'signed_out' : after.state, callId: after.call_id, offerId: after.offer_id }
          : null,
        at: now(),
      });
    });
  }

  return { list, eventView, act };
}
