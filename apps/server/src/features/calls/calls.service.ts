import type pg from 'pg';
import type { CallPage, ListCallsQuery, ManagerCall, Role, UpdateCallBody } from '@engage/contracts';
import type { Db } from '../../db/client';
import { auditPg } from '../../lib/audit';
import { AppError } from '../../lib/errors';
import { managedTeamIds } from '../../lib/scope';
import { withTransaction, withClient } from '../../lib/tx';
import * as repo from './calls.repository';
import { page, timeWindow } from './paging';

export interface Manager {
  id: number;
  role: Role;
}

export type CallsService = ReturnType<typeof createCallsService>;

const iso = (d: Date) => d.toISOString();

function toManagerCall(r: repo.ManagerCallRow): ManagerCall {
  return {
    id: r.id,
    direction: r.direction,
    agent: { id: r.agent_id, name: r.agent_name },
    donor: { id: r.donor_id, name: r.donor_name, reference: r.donor_reference },
    campaign: r.campaign_id !== null && r.campaign_name !== null ? { id: r.campaign_id, name: r.campaign_name } : null,
    team: r.team_id !== null && r.team_name !== null ? { id: r.team_id, name: r.team_name } : null,
    phoneDialled: r.phone_dialled,
    offeredAt: r.offered_at ? iso(r.offered_at) : null,
    startedAt: iso(r.started_at),
    endedAt: r.ended_at ? iso(r.ended_at) : null,
    durationSeconds: r.ended_at ? Math.round((r.ended_at.getTime() - r.started_at.getTime()) / 1000) : null,
    endReason:
      r.end_reason_id !== null && r.end_reason_name !== null && r.end_reason_outcome !== null
        ? { id: r.end_reason_id, name: r.end_reason_name, outcome: r.end_reason_outcome }
        : null,
    notes: r.notes,
    appointmentId: r.appointment_id,
    corrected: r.corrected,
  };
}

/** What the audit trail keeps of a call before and after a correction. */
function snapshot(endReasonId: number | null, endReasonName: string | null, notes: string) {
  return { endReasonId, endReasonName, notes };
}

const NOT_FOUND = 'No such call in the teams you lead. Check the call, or ask an administrator.';

/**
 * Calls for managers: every call of the teams they lead (an admin: every call), and corrections of
 * a call's end reason and notes, each kept in the audit trail.
 */
export function createCallsService(deps: { db: Db; pool: pg.Pool; now: () => Date }) {
  const { pool, now } = deps;

  async function list(user: Manager, q: ListCallsQuery): Promise<CallPage> {
    const window = timeWindow(q);
    const before = q.cursor ?? null;
    const teamIds = await managedTeamIds(deps.db, user);
    const rows = await withClient(pool, (c) =>
      repo.listCalls(c, {
        teamIds,
        campaignId: q.campaignId ?? null,
        teamId: q.teamId ?? null,
        agentId: q.agentId ?? null,
        endReasonId: q.endReasonId ?? null,
        direction: q.direction ?? null,
        from: window.from,
        to: window.to,
        before,
        limit: q.limit + 1,
      }),
    );
    const p = page(rows, q.limit, (r) => ({ at: r.started_at, id: r.id }));
    return { calls: p.rows.map(toManagerCall), nextCursor: p.nextCursor };
  }

  /** Whether the call exists and is in the caller's scope (a manager's teams; an admin: every call). */
  async function inScope(user: Manager, callId: number): Promise<boolean> {
    const teamIds = await managedTeamIds(deps.db, user);
    return (await withClient(pool, (c) => repo.findCall(c, callId, teamIds))) !== null;
  }

  /** Throws not_found unless the call exists and is in the caller's scope (the audit trail asks). */
  async function assertInScope(user: Manager, callId: number): Promise<void> {
    if (!(await inScope(user, callId))) throw new AppError('not_found', NOT_FOUND);
  }

  /**
   * A manager's correction of the record: end reason and/or notes. It does not re-run the end
   * reason's outcome in the dialer (no retry, call-back or do-not-call follows from it).
   */
  async function correct(user: Manager, callId: number, body: UpdateCallBody): Promise<ManagerCall> {
    const teamIds = await managedTeamIds(deps.db, user);
    return withTransaction(pool, async (c) => {
      await repo.lockCall(c, callId);
      const call = await repo.findCall(c, callId, teamIds);
      if (!call) throw new AppError('not_found', NOT_FOUND);
      if (call.ended_at === null) {
        throw new AppError(
          'invalid_transition',
          `This call is still in progress with ${call.agent_name}. End the call first; correct it once it has ended.`,
        );
      }

      let reason: { id: number; name: string } | null =
        call.end_reason_id !== null && call.end_reason_name !== null
          ? { id: call.end_reason_id, name: call.end_reason_name }
          : null;
      if (body.endReasonId !== undefined && body.endReasonId !== call.end_reason_id) {
        const found = await repo.findEndReason(c, body.endReasonId);
        if (!found || found.retired_at) {
          throw new AppError('reason_not_available', 'That end reason is not available. Choose one from the list.', {
            issues: [{ path: 'body.endReasonId', message: 'Choose an end reason from the list' }],
          });
        }
        reason = { id: found.id, name: found.name };
      }
      const notes = body.notes ?? call.notes;
      if (reason?.id === call.end_reason_id && notes === call.notes) return toManagerCall(call);

      const t = now();
      await repo.correctCall(c, { id: call.id, endReasonId: reason?.id ?? null, notes, now: t });
      await auditPg(c, {
        actorId: user.id,
        entityType: 'call',
        entityId: call.id,
        action: 'update',
        before: snapshot(call.end_reason_id, call.end_reason_name, call.notes),
        after: snapshot(reason?.id ?? null, reason?.name ?? null, notes),
        at: t,
      });
      const updated = await repo.findCall(c, call.id, teamIds);
      return toManagerCall(updated!);
    });
  }

  return { list, inScope, assertInScope, correct };
}
