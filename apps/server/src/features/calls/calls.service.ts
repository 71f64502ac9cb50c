import type {
  CallCorrectionOutcome,
  CallPage,
  CorrectedCall,
  InboundCallHistory,
  InboundCallPage,
  ListCallsQuery,
  ListInboundCallsQuery,
  ManagerInboundCall,
  ManagerCall,
  Role,
  UpdateCallBody,
} from '@engage/contracts';
import { endReasonFits, endReasonWrongDirectionMessage } from '@engage/contracts';
import type { Db, DbOrTx } from '../../db/client';
import { audit } from '../../lib/audit';
import { AppError } from '../../lib/errors';
import { managedTeamIds } from '../../lib/scope';
import { withTransaction } from '../../lib/tx';
import type { CorrectedOutcome, DialerService } from '../dialer/dialer.service';
import type { InboundService } from '../inbound/inbound.service';
import { recordedCallLine } from '../telephony/telephony.rules';
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
    agent: { id: r.agentId, name: r.agentName },
    donor:
      r.donorId !== null && r.donorReference !== null
        ? { id: r.donorId, name: r.donorName ?? '', reference: r.donorReference }
        : null,
    line: r.lineId !== null && r.lineName !== null ? { id: r.lineId, name: r.lineName } : null,
    inboundCallId: r.inboundCallId,
    campaign: r.campaignId !== null && r.campaignName !== null ? { id: r.campaignId, name: r.campaignName } : null,
    team: r.teamId !== null && r.teamName !== null ? { id: r.teamId, name: r.teamName } : null,
    phoneDialled: r.phoneDialled,
    offeredAt: r.offeredAt ? iso(r.offeredAt) : null,
    startedAt: iso(r.startedAt),
    endedAt: r.endedAt ? iso(r.endedAt) : null,
    durationSeconds: r.endedAt ? Math.round((r.endedAt.getTime() - r.startedAt.getTime()) / 1000) : null,
    endReason:
      r.endReasonId !== null && r.endReasonName !== null && r.endReasonOutcome !== null
        ? { id: r.endReasonId, name: r.endReasonName, outcome: r.endReasonOutcome }
        : null,
    notes: r.notes,
    appointmentId: r.appointmentId,
    corrected: r.corrected,
    signalling: recordedCallLine(r, r.endedAt),
  };
}

const seconds = (from: Date, to: Date) => Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));

function toManagerInboundCall(r: repo.ManagerInboundCallRow): ManagerInboundCall {
  // How long the caller waited: until an agent answered, they hung up, or the line's action took them.
  // (not updatedAt: the phone system's later 'ended' moves it to the end of the voicemail).
  const waitEnd = r.answeredAt ?? r.abandonedAt ?? r.actionAt;
  return {
    id: r.id,
    line: { id: r.lineId, name: r.lineName },
    from: r.fromRaw,
    fromE164: r.fromE164,
    status: r.status,
    source: r.source,
    arrivedAt: iso(r.arrivedAt),
    answeredAt: r.answeredAt ? iso(r.answeredAt) : null,
    answeredBy:
      r.answeredById !== null && r.answeredByName !== null ? { id: r.answeredById, name: r.answeredByName } : null,
    abandonedAt: r.abandonedAt ? iso(r.abandonedAt) : null,
    endedAt: r.endedAt ? iso(r.endedAt) : null,
    waitedSeconds: waitEnd ? seconds(r.arrivedAt, waitEnd) : null,
    callId: r.callId,
    donor:
      r.donorId !== null && r.donorReference !== null
        ? { id: r.donorId, name: r.donorName ?? '', reference: r.donorReference }
        : null,
    endReason: r.endReasonId !== null && r.endReasonName !== null ? { id: r.endReasonId, name: r.endReasonName } : null,
    callback: r.callbackRequested ? { appointmentId: r.callbackAppointmentId } : null,
  };
}

/** What the audit trail keeps of a call before and after a correction. */
function snapshot(endReasonId: number | null, endReasonName: string | null, notes: string) {
  return { endReasonId, endReasonName, notes };
}

const minute = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** What a correction did to the donor, in the words the manager reads (and the audit trail keeps). */
export function outcomeMessage(
  call: Pick<repo.ManagerCallRow, 'donorName' | 'campaignName'>,
  o: CorrectedOutcome | null,
): string {
  const who = call.donorName || 'The donor';
  const where = call.campaignName ? `"${call.campaignName}"` : 'the campaign';
  if (!o) return "Record only: the new end reason's outcome was not applied; the dialer carries on as before.";
  const parts: string[] = [];
  if (o.donorMarkedDoNotCall) parts.push(`${who} is now marked do not call: no campaign will offer them.`);
  if (o.cancelledCallbackId !== null) parts.push('The call-back booked on this call was cancelled.');
  switch (o.queue) {
    case 'finished':
      if (!o.donorMarkedDoNotCall) parts.push(`${who} will not be called again in ${where}.`);
      break;
    case 'requeued':
      parts.push(`${who} is queued again in ${where} from ${o.nextAttemptAt ? minute(o.nextAttemptAt) : 'now'}.`);
      break;
    case 'callback':
      parts.push(
        `${who} stays queued in ${where} for the call-back booked on this call${o.nextAttemptAt ? ` (${minute(o.nextAttemptAt)})` : ''}.`,
      );
      break;
    case 'unchanged':
      switch (o.kept) {
        case 'held':
          parts.push(`${who} is with an agent right now, so ${where} was left as it is: that agent's call decides.`);
          break;
        case 'later_call':
          parts.push(`${who} has been called in ${where} since this call: the later call's outcome stands.`);
          break;
        case 'callback_pending':
          parts.push(`${who} has a call-back pending in ${where}: it stands.`);
          break;
        case 'removed':
          parts.push(`${who} was taken out of ${where} by a skip since: that stands.`);
          break;
        case 'not_in_queue':
          parts.push(`${who} is no longer in the queue of ${where}: nothing to change there.`);
          break;
        case 'no_campaign':
          parts.push('The call had no campaign: there is no queue to change.');
          break;
        case null:
          parts.push(
            `No call-back is booked on this call, so ${who}'s place in ${where} stays as it is. Book one from Appointments if needed.`,
          );
          break;
      }
      break;
  }
  if ((o.queue === 'requeued' || o.queue === 'callback') && o.donorBlocked) {
    parts.push(
      `${who} is still marked do not call, deceased or suppressed (or has no phone), so no campaign offers them until that is changed on the donor page.`,
    );
  }
  if (parts.length === 0) parts.push(`${who} was already marked do not call.`);
  return `Outcome applied. ${parts.join(' ')}`;
}

const NOT_FOUND = 'No such call in the teams you lead. Check the call, or ask an administrator.';

/**
 * Calls for managers: every call of the teams they lead (an admin: every call), and corrections of
 * a call's end reason and notes, each kept in the audit trail.
 */
export function createCallsService(deps: {
  db: Db;
  now: () => Date;
  /** Applies a corrected end reason's outcome to the donor, with End Call's rule. */
  dialer: Pick<DialerService, 'applyCorrectedOutcome'>;
  /** The lines whose inbound calls a manager reads (the Inbound lines page's rule). */
  lines: Pick<InboundService, 'readableLineIds'>;
}) {
  const { db, now, lines } = deps;

  async function list(user: Manager, q: ListCallsQuery): Promise<CallPage> {
    const window = timeWindow(q);
    const before = q.cursor ?? null;
    const teamIds = await managedTeamIds(db, user);
    const rows = await repo.listCalls(db, {
      teamIds,
      campaignId: q.campaignId ?? null,
      teamId: q.teamId ?? null,
      agentId: q.agentId ?? null,
      endReasonId: q.endReasonId ?? null,
      direction: q.direction ?? null,
      inboundLineId: q.inboundLineId ?? null,
      hangupCause: q.hangupCause ?? null,
      from: window.from,
      to: window.to,
      before,
      limit: q.limit + 1,
    });
    const p = page(rows, q.limit, (r) => ({ at: r.startedAt, id: r.id }));
    return { calls: p.rows.map(toManagerCall), nextCursor: p.nextCursor };
  }

  /** Whether the call exists and is in the caller's scope (a manager's teams; an admin: every call). */
  /** Whether the call is in the manager's scope; `on` is the caller's transaction when it has one. */
  async function inScope(user: Manager, callId: number, on: DbOrTx = db): Promise<boolean> {
    const teamIds = await managedTeamIds(on, user);
    return (await repo.findCall(on, callId, teamIds)) !== null;
  }

  /** Throws not_found unless the call exists and is in the caller's scope (the audit trail asks). */
  async function assertInScope(user: Manager, callId: number): Promise<void> {
    if (!(await inScope(user, callId))) throw new AppError('not_found', NOT_FOUND);
  }

  /**
   * A manager's correction of a call: end reason and/or notes. A new end reason's outcome follows
   * as at End Call (do not call marks the donor everywhere, final stops retries in the call's
   * campaign, retry queues again, a call-back reason keeps a call-back booked on the call), unless
   * the manager asks for the record only (`applyOutcome: false`) or something since decides for
   * the donor's queue (dialer_correct_outcome). Audited with what the outcome did; a donor marked
   * do not call and a call-back cancelled by it are audited on the donor and the appointment too.
   */
  async function correct(user: Manager, callId: number, body: UpdateCallBody): Promise<CorrectedCall> {
    const teamIds = await managedTeamIds(db, user);
    return withTransaction(db, async (tx) => {
      await repo.lockCall(tx, callId);
      const call = await repo.findCall(tx, callId, teamIds);
      if (!call) throw new AppError('not_found', NOT_FOUND);
      if (call.endedAt === null) {
        throw new AppError(
          'invalid_transition',
          `This call is still in progress with ${call.agentName}. End the call first; correct it once it has ended.`,
        );
      }

      let reason: { id: number; name: string } | null =
        call.endReasonId !== null && call.endReasonName !== null
          ? { id: call.endReasonId, name: call.endReasonName }
          : null;
      if (body.endReasonId !== undefined && body.endReasonId !== call.endReasonId) {
        const found = await repo.findEndReason(tx, body.endReasonId);
        // Retired reasons and the system's own (as at End Call) are not to be chosen.
        if (!found || found.retiredAt || found.systemKey !== null) {
          throw new AppError('reason_not_available', 'That end reason is not available. Choose one from the list.', {
            issues: [{ path: 'body.endReasonId', message: 'Choose an end reason from the list' }],
          });
        }
        // A reason of the other direction, as End Call refuses it (one rule: endReasonFits).
        if (!endReasonFits(found.direction, call.direction)) {
          throw new AppError('reason_not_available', endReasonWrongDirectionMessage(found.name, call.direction), {
            issues: [{ path: 'body.endReasonId', message: `Choose an end reason for ${call.direction} calls` }],
          });
        }
        reason = { id: found.id, name: found.name };
      }
      const notes = body.notes ?? call.notes;
      const reasonChanged = reason?.id !== call.endReasonId;
      if (!reasonChanged && notes === call.notes) return { ...toManagerCall(call), outcome: null };

      const t = now();
      await repo.correctCall(tx, { id: call.id, endReasonId: reason?.id ?? null, notes, now: t });
      let outcome: CallCorrectionOutcome | null = null;
      if (reasonChanged) {
        const applied = body.applyOutcome !== false ? await deps.dialer.applyCorrectedOutcome(tx, call.id, t) : null;
        outcome = {
          applied: applied !== null,
          donorMarkedDoNotCall: applied?.donorMarkedDoNotCall ?? false,
          queue: applied?.queue ?? 'unchanged',
          nextAttemptAt: applied?.nextAttemptAt?.toISOString() ?? null,
          message: outcomeMessage(call, applied),
        };
        if (applied?.donorMarkedDoNotCall && call.donorId !== null) {
          await audit(tx, {
            actorId: user.id,
            entityType: 'donor',
            entityId: call.donorId,
            action: 'update',
            before: { do_not_call: false },
            after: { do_not_call: true, why: `Call #${call.id} corrected to "${reason?.name ?? ''}"` },
            at: t,
          });
        }
        if (applied && applied.cancelledCallbackId !== null) {
          await audit(tx, {
            actorId: user.id,
            entityType: 'appointment',
            entityId: applied.cancelledCallbackId,
            action: 'cancel',
            before: { status: 'scheduled' },
            after: { status: 'cancelled', why: `Call #${call.id} corrected to "${reason?.name ?? ''}"` },
            at: t,
          });
        }
      }
      await audit(tx, {
        actorId: user.id,
        entityType: 'call',
        entityId: call.id,
        action: 'update',
        before: snapshot(call.endReasonId, call.endReasonName, call.notes),
        after: {
          ...snapshot(reason?.id ?? null, reason?.name ?? null, notes),
          ...(outcome ? { outcomeApplied: outcome.applied, outcome: outcome.message } : {}),
        },
        at: t,
      });
      const updated = await repo.findCall(tx, call.id, teamIds);
      return { ...toManagerCall(updated!), outcome };
    });
  }

  /** Inbound calls, answered or not (abandoned, closed, overflow too), of the lines a manager's teams answer. */
  async function listInbound(user: Manager, q: ListInboundCallsQuery): Promise<InboundCallPage> {
    const window = timeWindow(q);
    // The lines first (those a team the manager leads answers), then the calls line by line.
    const readable = await lines.readableLineIds(user);
    const lineIds =
      q.lineId === undefined ? readable : readable === null || readable.includes(q.lineId) ? [q.lineId] : [];
    if (lineIds !== null && lineIds.length === 0) return { inboundCalls: [], nextCursor: null };
    const rows = await repo.listInboundCalls(db, {
      lineIds,
      status: q.status ?? null,
      from: window.from,
      to: window.to,
      before: q.cursor ?? null,
      limit: q.limit + 1,
    });
    const p = page(rows, q.limit, (r) => ({ at: r.arrivedAt, id: r.id }));
    return { inboundCalls: p.rows.map(toManagerInboundCall), nextCursor: p.nextCursor };
  }

  /** One inbound call and its whole history: queued, each agent rung and what they did, answered, abandoned, ended. */
  async function inboundHistory(user: Manager, inboundCallId: number): Promise<InboundCallHistory> {
    const teamIds = await managedTeamIds(db, user);
    const call = await repo.findInboundCall(db, inboundCallId, teamIds);
    if (!call) {
      throw new AppError(
        'not_found',
        'No such inbound call on the lines your teams answer. Check the call, or ask an administrator.',
      );
    }
    const rows = await repo.inboundCallEventsOf(db, inboundCallId);
    const events = rows.map((e) => ({
      at: iso(e.at),
      type: e.type,
      agent: e.agentId !== null && e.agentName !== null ? { id: e.agentId, name: e.agentName } : null,
    }));
    return { call: toManagerInboundCall(call), events };
  }

  return { list, inScope, assertInScope, correct, listInbound, inboundHistory };
}
