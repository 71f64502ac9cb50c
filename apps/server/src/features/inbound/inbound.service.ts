import { createHash, randomBytes } from 'node:crypto';
import {
  inboundLineOpenAt,
  MISSES_BEFORE_BREAK,
  type Call,
  type IncomingInboundCall,
  type CreateInboundLineBody,
  type CreatePhoneSystemTokenBody,
  type InboundCallEventAnswer,
  type InboundCallEventBody,
  type InboundLine,
  type OfferInboundCallAnswer,
  type OfferInboundCallBody,
  type PhoneSystemToken,
  type Role,
  type UpdateInboundLineBody,
} from '@engage/contracts';
import type { Db, DbOrTx, Tx } from '../../db/client';
import { audit } from '../../lib/audit';
import { AppError, isUniqueViolation } from '../../lib/errors';
import { managedTeamIds } from '../../lib/scope';
import { withTransaction } from '../../lib/tx';
import type { DialerService } from '../dialer/dialer.service';
import { parsePhone } from '../donors/donor-fields';
import { callerE164, lineCountry, matchCaller } from './caller-match';
import type { InboundCallbacks } from './inbound-callback';
import { nextCallState } from './inbound.rules';
import { SIGNATURE_WINDOW_SECONDS } from './phone-system-auth';
import * as repo from './inbound.repository';

export interface Actor {
  id: number;
  role: Role;
}

/** The phone system a request was authenticated as (phone-system-auth.ts). */
export interface PhoneSystem {
  tokenId: number;
  name: string;
}

export type InboundService = ReturnType<typeof createInboundService>;

/** Tokens are stored as their SHA-256 (a random 32-byte token needs no slow hash). */
export function hashPhoneSystemToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const uniqueIds = (ids: readonly number[]) => [...new Set(ids)];

/**
 * When a call arrived: the phone system's time when it is believable (not in the future, not
 * older than the signature's window), else Engage's clock.
 */
export function believedArrival(sent: string | undefined, at: Date): Date {
  if (sent === undefined) return at;
  const t = Date.parse(sent);
  return t <= at.getTime() && at.getTime() - t <= SIGNATURE_WINDOW_SECONDS * 1000 ? new Date(t) : at;
}

export function createInboundService(deps: {
  db: Db;
  now: () => Date;
  /** The campaigns feature's read check: may the actor see this campaign? */
  campaigns: { assertInScope(actor: Actor, id: number): Promise<void> };
  /** The dialer's writes of an agent's shift, in this service's transactions. */
  dialer: Pick<DialerService, 'releaseOfferNow' | 'announceShift' | 'breakNow' | 'startInboundCall' | 'callView'>;
  /** The `callback` action's request (inbound-callback.ts), in the transaction that answers it. */
  callbacks: InboundCallbacks;
  /** The agent's softphone address with a SIP server (features/telephony), else null. */
  sipUriOf?: (agentId: number) => string | null;
}) {
  const { db, now, campaigns, dialer, callbacks } = deps;

  /** The instruction to ring an agent: who, for how long, and how to reach them. */
  function ringInstruction(
    inboundCallId: number,
    agentId: number,
    agentName: string,
    ringSeconds: number,
  ): OfferInboundCallAnswer {
    const sipUri = deps.sipUriOf?.(agentId) ?? null;
    return { inboundCallId, action: 'ring', agentId, agentName, ringSeconds, sipUri };
  }

  /**
   * What the phone system does with a caller waiting on an open line (the offer, a miss, the
   * sweep): ring the longest-idle free agent (repo.ringNextAgent, one statement that chooses and
   * marks them), or queue, answering the caller's place. A blended agent's outbound offer goes
   * back to the pool at once (the dialer's release), so the donor is never held twice.
   * `exceptAgentId`: the agent whose ring of this call just ended unanswered (not rung for it again
   * in the same step; see ringNextAgent).
   *
   * A caller who has waited longer than the line's longest wait (counted from their arrival,
   * ringing included) takes the line's overflow action here instead: routing runs when a ring ends
   * unanswered (a miss, the agent leaving) or a queued call meets a free agent, so a caller passed
   * from agent to agent overflows once the ring in progress ends, never pulled from an agent
   * mid-ring (repo.overflowLongWaits).
   */
  async function route(
    tx: Tx,
    call: { id: number; lineId: number; arrivedAt: Date },
    at: Date,
    exceptAgentId?: number,
  ): Promise<OfferInboundCallAnswer> {
    // A caller who has just arrived (the offer) has not waited: no statement on the offer's hot path.
    const overflowed = at > call.arrivedAt ? await repo.overflowLongWaits(tx, at, call.id) : { count: 0 };
    if (overflowed.count > 0) {
      const { overflowAction } = await repo.lineRouting(tx, call.lineId);
      const then = overflowAction === 'callback' ? await callbacks.request(tx, call.id, at) : overflowAction;
      return { inboundCallId: call.id, action: 'overflow', then };
    }
    const picked = await repo.ringNextAgent(tx, { callId: call.id, lineId: call.lineId, now: at, exceptAgentId });
    if (!picked) return { inboundCallId: call.id, action: 'queue', position: await repo.queuePosition(tx, call) };
    const line = await repo.lineRouting(tx, call.lineId);
    await repo.updateCall(tx, call.id, {
      status: 'ringing',
      ringingAgentId: picked.agentId,
      ringDeadline: new Date(at.getTime() + line.ringSeconds * 1000),
      updatedAt: at,
    });
    await repo.insertEvent(tx, { inboundCallId: call.id, type: 'ringing', agentId: picked.agentId, at });
    if (picked.state === 'previewing' && picked.offerId !== null) await dialer.releaseOfferNow(tx, picked.shiftId);
    else await dialer.announceShift(tx, picked.shiftId);
    return ringInstruction(call.id, picked.agentId, picked.agentName, line.ringSeconds);
  }

  /**
   * The rung agent is no longer rung for the call. A miss (rang out, declined) counts; the
   * second in a row puts them on a "Missed calls" break, which their shift shows. Answers whether
   * Engage was ringing them for the call and they are still free to take another.
   */
  async function stopRinging(tx: Tx, callId: number, agentId: number, outcome: 'missed' | 'gone'): Promise<boolean> {
    const shift = await repo.clearRinging(tx, { callId, agentId, outcome });
    if (!shift) return false;
    if (outcome === 'missed' && shift.missesInRow >= MISSES_BEFORE_BREAK) {
      const reasonId = await repo.missedCallsBreakReason(tx);
      if (await dialer.breakNow(tx, agentId, reasonId)) {
        await repo.resetMisses(tx, shift.id);
        return false;
      }
    }
    await dialer.announceShift(tx, shift.id);
    return true;
  }

  /**
   * An agent Engage was ringing is free again (a decline, a miss, the caller hung up): the
   * longest-waiting queued call of their lines is routed now, in this transaction, not at the next
   * sweep. `exceptCallId`: the call they were rung for (not offered to them again in this step).
   */
  async function routeQueuedFor(tx: Tx, agentId: number, exceptCallId: number, at: Date): Promise<void> {
    const call = await repo.lockOldestQueuedFor(tx, agentId, exceptCallId);
    if (call) await route(tx, call, at);
  }

  /**
   * The ringing call was let ring out or declined: recorded, and rung to the next agent (or
   * queued). `agentId` is the agent charged with the miss (counted towards their "Missed calls"
   * break), then offered the oldest other queued call of their lines; null: nobody is charged.
   */
  async function missed(
    tx: Tx,
    call: { id: number; lineId: number; arrivedAt: Date },
    agentId: number | null,
    type: 'no_answer' | 'declined',
    at: Date,
  ): Promise<OfferInboundCallAnswer> {
    await repo.updateCall(tx, call.id, { status: 'queued', ringingAgentId: null, ringDeadline: null, updatedAt: at });
    await repo.insertEvent(tx, { inboundCallId: call.id, type, agentId, at });
    const free = agentId !== null && (await stopRinging(tx, call.id, agentId, 'missed'));
    const next = await route(tx, call, at, agentId ?? undefined);
    if (free) await routeQueuedFor(tx, agentId, call.id, at);
    return next;
  }

  /**
   * The agent takes a break or signs out while Engage rings them (the dialer's takeBreak and
   * closeShift call this first in their transaction; so do a manager's sign-out, disabling the
   * account, the sweep when their screen is gone, and an other call they take). The call is
   * recorded `left` for them (not a decline, not a miss: it does not count towards the "Missed
   * calls" break, and they may be rung for it again once free) and rung to the next free agent
   * at once (or queued).
   *
   * The shift's ringing mark is read under the shift's row lock, in the transaction that then
   * changes the shift's state: read without it, a ring marked between that read and the dialer's
   * lock was left ringing an agent on break. Locks: the call the mark named at a first unlocked
   * read, then the shift (call, then shift: the order every routing step locks in); only when a
   * ring was marked in between is the new call locked after the shift (a deadlock there is
   * retried as a whole by withTransaction). A mark that names a call no longer ringing this agent
   * (stale) is cleared, never left: a stale mark makes the agent look rung to routing forever.
   */
  async function agentLeaving(tx: Tx, agentId: number): Promise<void> {
    const seen = await repo.callRingingShiftOf(tx, agentId);
    if (seen !== null) await repo.lockCallById(tx, seen);
    const callId = await repo.lockRingingMarkOf(tx, agentId);
    if (callId === null) return;
    const call = await repo.lockCallById(tx, callId);
    if (!call || call.status !== 'ringing' || call.ringingAgentId !== agentId) {
      await repo.clearRinging(tx, { callId, agentId, outcome: 'gone' });
      return;
    }
    const at = now();
    await repo.updateCall(tx, call.id, { status: 'queued', ringingAgentId: null, ringDeadline: null, updatedAt: at });
    await repo.insertEvent(tx, { inboundCallId: call.id, type: 'left', agentId, at });
    await repo.clearRinging(tx, { callId: call.id, agentId, outcome: 'gone' });
    // Their shift still reads free until the caller's transaction changes it: not rung again here.
    await route(tx, call, at, agentId);
  }

  /**
   * The agent takes the call: recorded under the line's campaign and a team the agent shares
   * with the line (the line's team managers see it in Calls), their shift on it. Refused (an
   * AppError, nothing written) when they have no open shift, are on a call or on a break.
   */
  async function startCallFor(
    tx: Tx,
    call: { lineId: number; fromRaw: string },
    fromE164: string | null,
    agentId: number,
  ): Promise<Call> {
    const line = await repo.lineRouting(tx, call.lineId);
    // One donor with the caller's number is linked to the call; several or none: the agent links one.
    const match = await matchCaller(tx, fromE164 ?? call.fromRaw);
    return dialer.startInboundCall(tx, agentId, {
      campaignId: line.campaignId,
      donorId: match.donors.length === 1 && !match.more ? match.donors[0]!.id : null,
      phone: fromE164 ?? (call.fromRaw.trim() || null),
      teamId: await repo.teamForInboundCall(tx, agentId, call.lineId),
    });
  }

  /** The rung agent answers: the call recorded under the line's campaign, their shift on it. */
  async function answerRinging(
    tx: Tx,
    call: { id: number; lineId: number; fromRaw: string },
    fromE164: string | null,
    agentId: number,
    at: Date,
  ): Promise<Call> {
    await repo.clearRinging(tx, { callId: call.id, agentId, outcome: 'answered' });
    const started = await startCallFor(tx, call, fromE164, agentId);
    await repo.updateCall(tx, call.id, {
      status: 'answered',
      ringingAgentId: null,
      ringDeadline: null,
      answeredBy: agentId,
      answeredAt: at,
      callId: started.id,
      updatedAt: at,
    });
    // Read again now that the inbound call points at it: the call names its line.
    return dialer.callView(tx, started.id);
  }

  /**
   * The phone system gave the call to an agent Engage did not ring: when they are free (signed
   * in, not on a call or a break) their inbound call starts as Answer starts it, and answers its
   * id; else nothing is started and the answer says why (the caller is with them all the same).
   * A call Engage was ringing them for meanwhile passes to the next agent.
   */
  async function startAnsweredElsewhere(
    tx: Tx,
    call: { id: number; lineId: number; fromRaw: string },
    agentId: number,
  ): Promise<{ callId: number } | { refused: string }> {
    const other = await repo.callRingingShiftOf(tx, agentId);
    if (other !== null && other !== call.id) await agentLeaving(tx, agentId);
    try {
      const fromE164 = (await repo.lockCallById(tx, call.id))?.fromE164 ?? null;
      return { callId: (await startCallFor(tx, call, fromE164, agentId)).id };
    } catch (err) {
      // The dialer refuses before it writes anything: the transaction goes on.
      if (!(err instanceof AppError)) throw err;
      switch (err.code) {
        case 'no_open_shift':
          return { refused: 'they are not signed into a shift' };
        case 'call_open':
          return { refused: 'they are on another call' };
        case 'on_break':
          return { refused: 'they are on a break' };
        default:
          throw err;
      }
    }
  }

  /** Why the agent cannot answer or decline the call: it is not (or no longer) ringing them. */
  function notRingingForYou(call: repo.CallRow | undefined, agentId: number): AppError {
    const why =
      call?.status === 'answered' || call?.status === 'ended'
        ? call.answeredBy === agentId
          ? 'you answered it on your phone'
          : 'another agent answered it'
        : call?.status === 'abandoned'
          ? 'the caller hung up'
          : call?.status === 'ringing' || call?.status === 'queued'
            ? 'your ring time ran out and it passed to another agent'
            : 'it is not ringing any agent';
    return new AppError('conflict', `This call is not ringing for you (${why}). Carry on with your work.`);
  }

  /**
   * A no_answer or declined the call has already passed (the sweep's ring time-out got there
   * first and rang the next agent): the phone system is told what to do now.
   */
  async function current(
    tx: Tx,
    call: repo.CallRow,
    body: InboundCallEventBody,
  ): Promise<OfferInboundCallAnswer | null> {
    if (body.type !== 'no_answer' && body.type !== 'declined') return null;
    if (call.status === 'queued') {
      return { inboundCallId: call.id, action: 'queue', position: await repo.queuePosition(tx, call) };
    }
    if (call.status !== 'ringing' || call.ringingAgentId === null) return null;
    const agent = await repo.findAgent(tx, call.ringingAgentId);
    const line = await repo.lineRouting(tx, call.lineId);
    return ringInstruction(call.id, call.ringingAgentId, agent?.name ?? '', line.ringSeconds);
  }

  /** The agent answers the inbound call ringing them (answerInboundCall). */
  async function answerCall(agent: { id: number }, inboundCallId: number): Promise<{ call: Call }> {
    return withTransaction(db, async (tx) => {
      const call = await repo.lockCallById(tx, inboundCallId);
      // Answer sent again (its reply was lost) by the agent who answered: the same call, nothing recorded.
      if (
        call &&
        (call.status === 'answered' || call.status === 'ended') &&
        call.answeredBy === agent.id &&
        call.callId
      ) {
        return { call: await dialer.callView(tx, call.callId) };
      }
      if (!call || call.status !== 'ringing' || call.ringingAgentId !== agent.id)
        throw notRingingForYou(call, agent.id);
      const at = now();
      const started = await answerRinging(tx, call, call.fromE164, agent.id, at);
      await repo.insertEvent(tx, { inboundCallId: call.id, type: 'answered', agentId: agent.id, at });
      return { call: started };
    });
  }

  /** The agent declines the inbound call ringing them: a miss, and the next agent is rung. */
  async function declineCall(agent: { id: number }, inboundCallId: number): Promise<void> {
    await withTransaction(db, async (tx) => {
      const call = await repo.lockCallById(tx, inboundCallId);
      if (!call || call.status !== 'ringing' || call.ringingAgentId !== agent.id)
        throw notRingingForYou(call, agent.id);
      await missed(tx, call, agent.id, 'declined', now());
    });
  }

  /**
   * The agent just became free (Ready, a call ended, back from break): the longest-waiting
   * queued call of their lines is routed now rather than at the next sweep (routing still
   * rings whoever of the line's free agents has been idle longest).
   */
  async function ringQueuedFor(agentId: number): Promise<void> {
    // Most of the time nobody waits: one read, not a transaction, on every End Call and Ready.
    if (!(await repo.anyQueuedFor(db, agentId))) return;
    await withTransaction(db, async (tx) => {
      const call = await repo.lockOldestQueuedFor(tx, agentId);
      if (call) await route(tx, call, now());
    });
  }

  /** The inbound call ringing the agent now, for getShift; null when none. */
  async function incomingFor(agentId: number): Promise<IncomingInboundCall | null> {
    const row = await repo.incomingFor(db, agentId);
    if (!row) return null;
    return {
      inboundCallId: row.id,
      lineName: row.lineName,
      from: row.fromE164 ?? row.fromRaw,
      donors: (await matchCaller(db, row.fromE164 ?? row.fromRaw)).donors.map(({ id, name, reference }) => ({
        id,
        name,
        reference,
      })),
      waitedSeconds: Math.max(0, Math.round((now().getTime() - row.arrivedAt.getTime()) / 1000)),
      ringUntil: (row.ringDeadline ?? now()).toISOString(),
    };
  }

  /**
   * The inbound part of the periodic sweep (every instance runs it; each step is idempotent):
   * a call whose agent's ring time ran out passes to the next agent (a miss for the one who did
   * not answer); a queued call that waited longer than its line's longest wait takes the
   * overflow action; agents who became free (a call ended, back from break, Ready) get the
   * longest-waiting calls of their lines.
   */
  async function sweep(): Promise<{ screenGone: number; timedOut: number; overflowed: number; rung: number }> {
    const t = now();
    // A rung agent whose screen stopped answering: the call passes on now, as when they sign out.
    const gone = await repo.agentsRungWithoutScreen(db, t, 200);
    for (const agentId of gone) await withTransaction(db, (tx) => agentLeaving(tx, agentId));
    let timedOut = 0;
    for (const id of await repo.ringTimedOut(db, t, 200)) {
      timedOut += await withTransaction(db, async (tx) => {
        const call = await repo.lockCallById(tx, id);
        if (!call || call.status !== 'ringing' || call.ringingAgentId === null) return 0;
        if (call.ringDeadline === null || call.ringDeadline > t) return 0;
        await missed(tx, call, call.ringingAgentId, 'no_answer', t);
        return 1;
      });
    }
    const overflowed = await withTransaction(db, async (tx) => {
      const o = await repo.overflowLongWaits(tx, t);
      for (const id of o.callbackIds) await callbacks.request(tx, id, t);
      return o.count;
    });
    let rung = 0;
    const nobodyFree = new Set<number>();
    for (const q of await repo.oldestQueued(db, 500)) {
      if (nobodyFree.has(q.lineId)) continue;
      const action = await withTransaction(db, async (tx) => {
        const call = await repo.lockCallById(tx, q.id);
        if (!call || call.status !== 'queued') return null;
        return (await route(tx, call, t)).action;
      });
      if (action === 'ring') rung++;
      if (action === 'queue') nobodyFree.add(q.lineId);
    }
    return { screenGone: gone.length, timedOut, overflowed, rung };
  }

  function lineNotFound(id: number, scope: number[] | null): AppError {
    return new AppError(
      'not_found',
      scope === null
        ? `There is no inbound line ${id}. Reload the Inbound lines page.`
        : `There is no inbound line ${id} answered only by teams you lead. Ask an administrator to change it.`,
    );
  }

  /** The lines as the API answers them; `scope`: the teams the reader leads (null: an admin, who edits any). */
  async function build(tx: DbOrTx, rows: repo.LineRow[], scope: number[] | null = null): Promise<InboundLine[]> {
    const teams = await repo.teamsOfLines(
      tx,
      rows.map((r) => r.id),
    );
    return rows.map((r) => {
      const lineTeams = teams.filter((t) => t.lineId === r.id).map((t) => ({ id: t.id, name: t.name }));
      return {
        id: r.id,
        number: r.number,
        name: r.name,
        teams: lineTeams,
        // updateLine's rule (checkTeams): a manager changes a line only when they lead every team answering it.
        editable: scope === null || lineTeams.every((t) => scope.includes(t.id)),
        campaign: { id: r.campaignId, name: r.campaignName },
        timeZone: r.timeZone,
        weekdayHours: r.weekdayHours,
        closedDates: r.closedDates,
        ringSeconds: r.ringSeconds,
        maxWaitSeconds: r.maxWaitSeconds,
        closedAction: r.closedAction,
        overflowAction: r.overflowAction,
        createdAt: r.createdAt.toISOString(),
        updatedAt: r.updatedAt.toISOString(),
      };
    });
  }

  async function buildOne(tx: DbOrTx, id: number): Promise<InboundLine> {
    const row = await repo.findLine(tx, id);
    if (!row) throw lineNotFound(id, null);
    return (await build(tx, [row]))[0]!;
  }

  /** The number as E.164, or a validation error that says how to write it. */
  function lineNumber(raw: string, country: string | undefined): string {
    const parsed = parsePhone(raw, country ?? '');
    if (!parsed.ok) {
      const hint = country ? '' : ' Or send `country` (e.g. GB) for a number typed without its +country code.';
      throw new AppError('validation_failed', `The line's number: ${parsed.message}${hint}`, {
        issues: [{ path: 'body.number', message: `${parsed.issue}${hint}` }],
      });
    }
    return parsed.value.e164;
  }

  /**
   * The teams a line is answered by: they exist, and a manager names only teams they lead, at
   * least one (the line is managed through its teams).
   */
  async function checkTeams(tx: Tx, scope: number[] | null, wanted: number[]): Promise<void> {
    const found = await repo.existingTeams(tx, wanted);
    const missing = wanted.filter((id) => !found.some((t) => t.id === id));
    if (missing.length) {
      throw new AppError('not_found', `There is no team with id ${missing.join(', ')}. Choose teams from the list.`, {
        issues: [{ path: 'body.teamIds', message: 'Unknown team' }],
      });
    }
    if (scope === null) return;
    const notLed = found.filter((t) => !scope.includes(t.id));
    if (notLed.length) {
      throw new AppError(
        'forbidden',
        `A line you manage is answered only by teams you lead; ${notLed.map((t) => t.name).join(', ')} ${notLed.length === 1 ? 'is' : 'are'} not one of them. Ask an administrator.`,
        { issues: [{ path: 'body.teamIds', message: 'Only teams you lead' }] },
      );
    }
    if (wanted.length === 0) {
      throw new AppError('validation_failed', 'Choose at least one of the teams you lead to answer the line.', {
        issues: [{ path: 'body.teamIds', message: 'Choose at least one of your teams' }],
      });
    }
  }

  /** The campaign a line records its calls under: the one chosen (if the actor may see it), else General enquiries. */
  async function campaignFor(tx: Tx, actor: Actor, campaignId: number | undefined): Promise<number> {
    if (campaignId !== undefined) {
      if (!(await repo.findCampaignName(tx, campaignId))) {
        throw new AppError('not_found', `There is no campaign ${campaignId}. Choose one from the Campaigns page.`, {
          issues: [{ path: 'body.campaignId', message: 'Unknown campaign' }],
        });
      }
      if (actor.role !== 'admin') await campaigns.assertInScope(actor, campaignId);
      return campaignId;
    }
    const general = await repo.generalEnquiriesCampaign(tx);
    if (!general) {
      throw new AppError(
        'conflict',
        `A campaign named "${repo.GENERAL_ENQUIRIES}" exists but is not an inbound-line campaign. Choose the line's campaign (campaignId), or rename that campaign.`,
        { issues: [{ path: 'body.campaignId', message: 'Choose a campaign' }] },
      );
    }
    if (general.created) {
      await audit(tx, {
        actorId: actor.id,
        entityType: 'campaign',
        entityId: general.id,
        action: 'create',
        after: { name: general.name, purpose: 'inbound_line', status: 'active' },
      });
    }
    return general.id;
  }

  function duplicate(err: unknown, v: { number: string; name: string }): never {
    if (isUniqueViolation(err)) {
      throw new AppError(
        'conflict',
        `Another inbound line already has the number ${v.number} or the name "${v.name}". Choose another.`,
      );
    }
    throw err;
  }

  /** The line exists and the actor reads it (a manager: answered by a team they lead); else not_found. For its audit trail. */
  async function assertInScope(actor: Actor, id: number): Promise<void> {
    const scope = await managedTeamIds(db, actor);
    if (!(await repo.lineReadable(db, id, scope))) {
      throw new AppError(
        'not_found',
        scope === null
          ? `There is no inbound line ${id}. Reload the Inbound lines page.`
          : `There is no inbound line ${id} answered by a team you lead. Check the Inbound lines page, or ask an administrator.`,
      );
    }
  }

  /**
   * The lines whose calls a manager reads (linesOfTeams: answered by a team they lead), for the
   * Inbound calls list, which reads line by line; null for an administrator (every line).
   */
  async function readableLineIds(actor: Actor): Promise<number[] | null> {
    const scope = await managedTeamIds(db, actor);
    return scope === null ? null : repo.lineIdsOfTeams(db, scope);
  }

  async function listLines(actor: Actor): Promise<InboundLine[]> {
    const scope = await managedTeamIds(db, actor);
    return build(db, await repo.listLines(db, scope), scope);
  }

  async function createLine(actor: Actor, body: CreateInboundLineBody): Promise<InboundLine> {
    const number = lineNumber(body.number, body.country);
    const teamIds = uniqueIds(body.teamIds);
    try {
      return await withTransaction(db, async (tx) => {
        const scope = await managedTeamIds(tx, actor);
        await checkTeams(tx, scope, teamIds);
        const taken = await repo.findLineIdByNumberOrName(tx, { number, name: body.name });
        if (taken) duplicate({ code: '23505' }, { number, name: body.name });
        const at = now();
        const id = await repo.insertLine(
          tx,
          {
            number,
            name: body.name,
            campaignId: await campaignFor(tx, actor, body.campaignId),
            timeZone: body.timeZone,
            weekdayHours: body.weekdayHours,
            closedDates: [...new Set(body.closedDates)].sort(),
            ringSeconds: body.ringSeconds,
            maxWaitSeconds: body.maxWaitSeconds,
            closedAction: body.closedAction,
            overflowAction: body.overflowAction,
          },
          at,
        );
        await repo.setLineTeams(tx, id, teamIds);
        const line = await buildOne(tx, id);
        await audit(tx, {
          actorId: actor.id,
          entityType: 'inbound_line',
          entityId: id,
          action: 'create',
          after: line,
          at,
        });
        return line;
      });
    } catch (err) {
      duplicate(err, { number, name: body.name });
    }
  }

  async function updateLine(actor: Actor, id: number, body: UpdateInboundLineBody): Promise<InboundLine> {
    const number = body.number === undefined ? undefined : lineNumber(body.number, body.country);
    try {
      return await withTransaction(db, async (tx) => {
        const scope = await managedTeamIds(tx, actor);
        const row = await repo.findLine(tx, id, { lock: true });
        if (!row) throw lineNotFound(id, scope);
        const before = (await build(tx, [row]))[0]!;
        // A manager changes a line only when every team answering it is one they lead.
        if (scope !== null && (before.teams.length === 0 || before.teams.some((t) => !scope.includes(t.id)))) {
          throw lineNotFound(id, scope);
        }
        const teamIds = body.teamIds === undefined ? undefined : uniqueIds(body.teamIds);
        if (teamIds !== undefined) await checkTeams(tx, scope, teamIds);
        const next = { number: number ?? row.number, name: body.name ?? row.name };
        if (await repo.findLineIdByNumberOrName(tx, next, id)) duplicate({ code: '23505' }, next);
        const at = now();
        await repo.updateLine(
          tx,
          id,
          {
            number,
            name: body.name,
            campaignId: body.campaignId === undefined ? undefined : await campaignFor(tx, actor, body.campaignId),
            timeZone: body.timeZone,
            weekdayHours: body.weekdayHours,
            closedDates: body.closedDates === undefined ? undefined : [...new Set(body.closedDates)].sort(),
            ringSeconds: body.ringSeconds,
            maxWaitSeconds: body.maxWaitSeconds,
            closedAction: body.closedAction,
            overflowAction: body.overflowAction,
          },
          at,
        );
        if (teamIds !== undefined) await repo.setLineTeams(tx, id, teamIds);
        const after = await buildOne(tx, id);
        await audit(tx, {
          actorId: actor.id,
          entityType: 'inbound_line',
          entityId: id,
          action: 'update',
          before,
          after,
          at,
        });
        return after;
      });
    } catch (err) {
      duplicate(err, { number: number ?? '(unchanged)', name: body.name ?? '(unchanged)' });
    }
  }

  async function createToken(actor: Actor, body: CreatePhoneSystemTokenBody) {
    const token = `eps_${randomBytes(32).toString('base64url')}`;
    return withTransaction(db, async (tx) => {
      const at = now();
      const row = await repo.insertToken(
        tx,
        { name: body.name, tokenHash: hashPhoneSystemToken(token), createdBy: actor.id },
        at,
      );
      await audit(tx, {
        actorId: actor.id,
        entityType: 'phone_system_token',
        entityId: row.id,
        action: 'create',
        after: { name: row.name },
        at,
      });
      return { id: row.id, name: row.name, token };
    });
  }

  /** The phone systems' tokens, revoked ones too: never the token itself (only its hash is kept). */
  async function listTokens(): Promise<PhoneSystemToken[]> {
    return (await repo.listTokens(db)).map((r) => ({
      id: r.id,
      name: r.name,
      createdAt: r.createdAt.toISOString(),
      revokedAt: r.revokedAt?.toISOString() ?? null,
    }));
  }

  async function revokeToken(actor: Actor, id: number) {
    return withTransaction(db, async (tx) => {
      const row = await repo.lockToken(tx, id);
      if (!row) throw new AppError('not_found', `There is no phone-system token ${id}. Reload the page.`);
      let revokedAt = row.revokedAt;
      if (revokedAt === null) {
        revokedAt = now();
        await repo.revokeToken(tx, id, revokedAt);
        await audit(tx, {
          actorId: actor.id,
          entityType: 'phone_system_token',
          entityId: id,
          action: 'revoke',
          before: { name: row.name, revokedAt: null },
          after: { name: row.name, revokedAt: revokedAt.toISOString() },
          at: revokedAt,
        });
      }
      return {
        id: row.id,
        name: row.name,
        createdAt: row.createdAt.toISOString(),
        revokedAt: revokedAt.toISOString(),
      };
    });
  }

  /** The token's phone system, or why it authenticates nothing (phone-system-auth.ts). */
  async function findPhoneSystem(
    token: string,
  ): Promise<{ ok: true; phoneSystem: PhoneSystem } | { ok: false; revokedAt: Date | null }> {
    const row = await repo.findTokenByHash(db, hashPhoneSystemToken(token));
    if (!row) return { ok: false, revokedAt: null };
    if (row.revokedAt) return { ok: false, revokedAt: row.revokedAt };
    return { ok: true, phoneSystem: { tokenId: row.id, name: row.name } };
  }

  /**
   * A call arrives: it is recorded once per call id (the same offer again writes nothing and
   * answers the call's current instruction: currentOffer), matched to its line by the dialled number, and answered closed
   * (the line's closed action) outside the line's opening hours, else what routing decides.
   */
  async function offerCall(ps: PhoneSystem, body: OfferInboundCallBody): Promise<OfferInboundCallAnswer> {
    const to = parsePhone(body.to, '');
    const unknownLine = () =>
      new AppError(
        'not_found',
        `No inbound line has the number "${body.to}". Add it under Inbound lines, or send the dialled number with its +country code as \`to\`.`,
      );
    if (!to.ok) throw unknownLine();
    return withTransaction(db, async (tx) => {
      const line = await repo.lockLineByNumber(tx, to.value.e164);
      if (!line) throw unknownLine();
      const existing = await repo.lockCall(tx, ps.tokenId, body.callId);
      if (existing) return currentOffer(tx, existing, line.id, body);
      const at = now();
      const arrivedAt = believedArrival(body.arrivedAt, at);
      const open = inboundLineOpenAt(at, line);
      const { fromE164 } = callerE164(body.from, lineCountry(line.number));
      const call = await repo.insertCall(
        tx,
        {
          phoneSystemTokenId: ps.tokenId,
          externalId: body.callId,
          lineId: line.id,
          fromRaw: body.from,
          fromE164,
          status: open ? 'queued' : 'closed',
          arrivedAt,
        },
        { inboundCallId: 0, action: 'queue', position: 0 },
      );
      if (!call) {
        // The same call id offered at the same moment: the first committed; answer as it did.
        const twin = await repo.lockCall(tx, ps.tokenId, body.callId);
        return currentOffer(tx, twin!, line.id, body);
      }
      await repo.insertEvent(tx, { inboundCallId: call.id, type: open ? 'queued' : 'closed', at: arrivedAt });
      const answer: OfferInboundCallAnswer = open
        ? await route(tx, call, at)
        : {
            inboundCallId: call.id,
            action: 'closed',
            then: line.closedAction === 'callback' ? await callbacks.request(tx, call.id, at) : line.closedAction,
          };
      await repo.updateCall(tx, call.id, { offerAnswer: answer, updatedAt: at });
      return answer;
    });
  }

  /**
   * The same call id offered again: the phone system polls while its caller waits (the sweep or
   * a freed agent may ring them since), so it is answered the call's CURRENT instruction, and
   * nothing is written. Ringing: the agent rung; queued: the place now; closed or overflow: the
   * action stored then; answered: the agent who has the caller. An ended or abandoned call has no
   * instruction left (409 saying so).
   */
  async function currentOffer(
    tx: Tx,
    existing: repo.CallRow,
    lineId: number,
    body: OfferInboundCallBody,
  ): Promise<OfferInboundCallAnswer> {
    if (existing.lineId !== lineId || existing.fromRaw !== body.from) {
      throw new AppError(
        'idempotency_key_reused',
        `Call id "${body.callId}" was already offered with another caller or dialled number. Send each call with its own id.`,
      );
    }
    switch (existing.status) {
      case 'queued':
        return { inboundCallId: existing.id, action: 'queue', position: await repo.queuePosition(tx, existing) };
      case 'ringing':
      case 'answered': {
        const agentId = existing.status === 'ringing' ? existing.ringingAgentId : existing.answeredBy;
        if (agentId === null) return existing.offerAnswer;
        const agent = await repo.findAgent(tx, agentId);
        const line = await repo.lineRouting(tx, existing.lineId);
        return ringInstruction(existing.id, agentId, agent?.name ?? '', line.ringSeconds);
      }
      case 'closed':
      case 'overflow':
        // offer_answer is the answer the call was given when it closed (the offer) or overflowed
        // (the sweep writes it): a later change of the line's actions does not rewrite it.
        return existing.offerAnswer;
      case 'abandoned':
      case 'ended':
        throw new AppError(
          'conflict',
          `Call id "${body.callId}" has ${existing.status === 'ended' ? 'ended' : 'been abandoned (the caller hung up)'}: there is nothing more to do for it. Offer a new call with its own id.`,
        );
    }
  }

  /**
   * Something happened to a call: recorded in its history and its status moved, once. The same
   * event again (or one the call's state has already passed) records nothing.
   */
  async function callEvent(ps: PhoneSystem, body: InboundCallEventBody): Promise<InboundCallEventAnswer> {
    /** Why an agent the phone system gave the call to has no call started (answered, committed, then 409). */
    const started: { refused: string | null } = { refused: null };
    let answer: InboundCallEventAnswer;
    try {
      answer = await withTransaction(db, async (tx) => {
        started.refused = null;
        const call = await repo.lockCall(tx, ps.tokenId, body.callId);
        if (!call) {
          throw new AppError(
            'not_found',
            `No call "${body.callId}" was offered by this phone system. Send offerInboundCall first, with the same callId.`,
          );
        }
        if (body.agentId !== undefined && !(await repo.findAgent(tx, body.agentId))) {
          throw new AppError(
            'not_found',
            `There is no enabled user ${body.agentId}. Send the agentId Engage answered.`,
            {
              issues: [{ path: 'body.agentId', message: 'Unknown agent' }],
            },
          );
        }
        const passedOver =
          body.type === 'ringing' && body.agentId !== undefined ? await repo.agentsPassedOver(tx, call.id) : [];
        const step = nextCallState(call, body, passedOver);
        switch (step.kind) {
          case 'refuse':
            throw new AppError(step.code, step.message);
          case 'same':
            return {
              inboundCallId: call.id,
              status: call.status,
              recorded: false,
              next: await current(tx, call, body),
            };
          case 'apply': {
            const at = now();
            const rung = call.status === 'ringing' ? call.ringingAgentId : null;
            if (body.type === 'no_answer' || body.type === 'declined') {
              // The agent named missed it (counted), or, with no agentId, the agent Engage is ringing
              // for the call; when Engage rings nobody for it (the phone system rang an agent itself),
              // it is recorded with no agent and nobody is charged. The next agent is rung (or the caller queued).
              const charged = body.agentId ?? (await repo.agentRingingFor(tx, call.id));
              const next = await missed(tx, call, charged, body.type, at);
              return {
                inboundCallId: call.id,
                // A caller past the line's longest wait overflows when this ring ends (route).
                status: next.action === 'ring' ? 'ringing' : next.action === 'queue' ? 'queued' : 'overflow',
                recorded: true,
                next,
              };
            }
            if (
              body.type === 'answered' &&
              rung !== null &&
              rung === step.agentId &&
              (await repo.incomingFor(tx, rung))?.id === call.id
            ) {
              // Answered on the phone by the agent Engage rang (their shift rings for it): as if they pressed Answer.
              const fromE164 = (await repo.lockCallById(tx, call.id))?.fromE164 ?? null;
              await answerRinging(tx, call, fromE164, rung, at);
              await repo.insertEvent(tx, { inboundCallId: call.id, type: body.type, agentId: step.agentId, at });
              return { inboundCallId: call.id, status: 'answered', recorded: true, next: null };
            }
            if (body.type === 'ringing' && step.agentId !== null) {
              // One call rings an agent at a time (inbound_calls_ringing_agent_key): said, never a 500.
              const other = await repo.otherCallRinging(tx, step.agentId, call.id);
              if (other) {
                throw new AppError(
                  'conflict',
                  `Agent ${step.agentId} is already ringing for call "${other.externalId ?? other.id}". Ring another agent for "${body.callId}", or send no_answer or declined for "${other.externalId ?? other.id}" first.`,
                );
              }
            }
            // The phone system gave the call to an agent Engage did not ring: their call starts now
            // when they are free; else the answer is recorded all the same and the 409 says why.
            let startedCallId: number | undefined;
            if (body.type === 'answered' && step.agentId !== null) {
              const r = await startAnsweredElsewhere(tx, call, step.agentId);
              if ('refused' in r) started.refused = r.refused;
              else startedCallId = r.callId;
            }
            // An agent the phone system rings itself has the line's ring time too: the sweep passes the
            // call on if no answer comes (else a lost event would leave the call and the agent ringing).
            const ringDeadline =
              step.changes.status === 'ringing'
                ? new Date(at.getTime() + (await repo.lineRouting(tx, call.lineId)).ringSeconds * 1000)
                : null;
            await repo.updateCall(tx, call.id, {
              ...step.changes,
              ...(step.changes.ringingAgentId === null || ringDeadline !== null ? { ringDeadline } : {}),
              ...(step.changes.answeredBy !== undefined ? { answeredAt: at } : {}),
              ...(startedCallId !== undefined ? { callId: startedCallId } : {}),
              ...(step.stamp === 'abandoned' ? { abandonedAt: at } : {}),
              ...(step.stamp === 'ended' ? { endedAt: at } : {}),
              updatedAt: at,
            });
            await repo.insertEvent(tx, { inboundCallId: call.id, type: body.type, agentId: step.agentId, at });
            // Whoever Engage rang is rung no longer when the caller hangs up, someone else answers, or
            // the phone system rings another agent itself.
            if (rung !== null && step.changes.ringingAgentId !== undefined && step.changes.ringingAgentId !== rung) {
              // Freed by the caller hanging up: the oldest queued call of their lines rings them now.
              const free = await stopRinging(tx, call.id, rung, 'gone');
              if (free && body.type === 'abandoned') await routeQueuedFor(tx, rung, call.id, at);
            }
            const status = step.changes.status ?? call.status;
            return { inboundCallId: call.id, status, recorded: true, next: null };
          }
        }
      });
    } catch (err) {
      // Two ringing events for one agent at the same moment: the second meets the unique index.
      if (body.type === 'ringing' && isUniqueViolation(err)) {
        throw new AppError(
          'conflict',
          `Agent ${body.agentId ?? ''} is already ringing for another call. Ring another agent for "${body.callId}", or send no_answer or declined for the other call first.`,
        );
      }
      throw err;
    }
    if (started.refused !== null) {
      // Committed: the call is answered by them in its history; only the call record is missing.
      throw new AppError(
        'conflict',
        `Recorded that agent ${body.agentId ?? ''} answered call "${body.callId}", but Engage started no call for them: ${started.refused}. Its history keeps the answer (do not log it again with Log inbound call: that would count it twice). Put calls through only to the agent Engage answers, or to agents signed in and free.`,
      );
    }
    return answer;
  }

  return {
    assertInScope,
    readableLineIds,
    listLines,
    createLine,
    updateLine,
    listTokens,
    createToken,
    revokeToken,
    findPhoneSystem,
    offerCall,
    callEvent,
    answerCall,
    declineCall,
    incomingFor,
    ringQueuedFor,
    agentLeaving,
    sweep,
  };
}
