import type {
  Call,
  CallDonorCreated,
  CallerDonors,
  CreateCallDonorBody,
  InboundQueue,
  LogInboundCallBody,
  LoggedInboundCallStarted,
  MyInboundLines,
} from '@engage/contracts';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Db, Tx } from '../../db/client';
import { audit } from '../../lib/audit';
import { AppError, isUniqueViolation } from '../../lib/errors';
import { managedTeamIds } from '../../lib/scope';
import { withTransaction } from '../../lib/tx';
import type { DialerService } from '../dialer/dialer.service';
import { createDonorFromCall, donorSummaryById, searchDonorsAnywhere } from '../donors/donors.service';
import { lineCountry, matchCaller } from './caller-match';
import * as repo from './inbound-desk.repository';
import * as inboundRepo from './inbound.repository';
import type { Actor } from './inbound.service';

export type InboundDeskService = ReturnType<typeof createInboundDeskService>;

/**
 * The agent's desk phone (Log inbound call, when no phone system is connected) and the managers'
 * view of the lines' queues.
 */
export function createInboundDeskService(deps: {
  db: Db;
  now: () => Date;
  /** The dialer's writes of the agent's shift and calls, in this service's transactions. */
  dialer: Pick<
    DialerService,
    'startInboundCall' | 'passOnRingingOfAgent' | 'lockOwnInboundCall' | 'linkInboundCallDonor' | 'callView'
  >;
}) {
  const { db, now, dialer } = deps;

  /**
   * An agent on a shift picked up a desk phone: the caller is matched to donors (the same pop as a
   * phone system's call) and the call is recorded on the line, answered by the agent, so it shows
   * in the line's history, and the agent's shift goes on the call (the same workspace as an
   * answered call: linked to the donor when exactly one has the number). The line: the one named
   * (answered by one of the agent's teams), else the agent's teams' only line.
   */
  async function logCall(actor: Actor, body: LogInboundCallBody): Promise<LoggedInboundCallStarted> {
    return withTransaction(db, async (tx) => {
      if (!(await repo.openShiftOf(tx, actor.id))) {
        throw new AppError(
          'no_open_shift',
          'You are not signed into a shift. Choose a job role and Sign In first, then log the inbound call.',
        );
      }
      const lines = await repo.linesOfAgent(tx, actor.id);
      let line: repo.AgentLine | undefined;
      if (body.lineId !== undefined) {
        line = lines.find((l) => l.id === body.lineId);
        if (!line) {
          throw new AppError(
            'not_found',
            `No inbound line ${body.lineId} is answered by your teams. Choose one of your lines, or ask your manager to add your team to it.`,
            { issues: [{ path: 'body.lineId', message: 'Not one of your lines' }] },
          );
        }
      } else if (lines.length === 1) {
        line = lines[0]!;
      } else {
        throw new AppError(
          'validation_failed',
          lines.length === 0
            ? 'No inbound line is answered by your teams. Ask your manager to add your team to a line under Inbound lines.'
            : `Your teams answer ${lines.length} inbound lines: choose the one the caller rang (lineId).`,
          { issues: [{ path: 'body.lineId', message: 'Choose the line' }] },
        );
      }
      const match = await matchCaller(tx, body.from, { country: lineCountry(line.number) });
      // A call ringing the agent passes on (they took this one on the desk phone), in routing's
      // lock order: the call, then the shift startInboundCall locks.
      await dialer.passOnRingingOfAgent(tx, actor.id);
      // Refused (and nothing written) while the agent is on a call or on a break.
      const call = await dialer.startInboundCall(tx, actor.id, {
        campaignId: line.campaignId,
        donorId: match.donors.length === 1 && !match.more ? match.donors[0]!.id : null,
        phone: match.fromE164 ?? (body.from.trim() || null),
        teamId: await inboundRepo.teamForInboundCall(tx, actor.id, line.id),
      });
      const inboundCallId = await repo.insertManualCall(tx, {
        lineId: line.id,
        fromRaw: body.from,
        fromE164: match.fromE164,
        agentId: actor.id,
        callId: call.id,
        at: now(),
      });
      return {
        inboundCallId,
        lineId: line.id,
        lineName: line.name,
        from: match.from,
        fromE164: match.fromE164,
        withheld: match.withheld,
        donors: match.donors,
        more: match.more,
        // Read again now that the inbound call points at it: the call names its line.
        call: await dialer.callView(tx, call.id),
      };
    });
  }

  /** How many donors the caller panel lists. */
  const CALLER_DONORS_LISTED = 20;

  /**
   * The donors the caller of the agent's open inbound call may be: with no text, those whose
   * phone is the caller's number; with text, a search of every donor (an inbound caller can be
   * anyone) by name, reference, phone or email. Only the agent on the call, while it is open.
   */
  async function callerDonors(actor: Actor, callId: number, q: string | undefined): Promise<CallerDonors> {
    return withTransaction(db, async (tx) => {
      const call = await dialer.lockOwnInboundCall(tx, actor.id, callId);
      const text = (q ?? '').trim();
      if (text === '') {
        const match = await matchCaller(tx, call.phoneDialled ?? '', { limit: CALLER_DONORS_LISTED });
        return { donors: match.donors, more: match.more };
      }
      const found = await searchDonorsAnywhere(tx, text, CALLER_DONORS_LISTED + 1);
      return { donors: found.slice(0, CALLER_DONORS_LISTED), more: found.length > CALLER_DONORS_LISTED };
    });
  }

  async function link(tx: Tx, actor: Actor, callId: number, donorId: number, was: number | null): Promise<Call> {
    const linked = await dialer.linkInboundCallDonor(tx, actor.id, callId, donorId);
    await audit(tx, {
      actorId: actor.id,
      entityType: 'call',
      entityId: callId,
      action: 'link_donor',
      before: { donor_id: was },
      after: { donor_id: donorId },
      at: now(),
    });
    return linked;
  }

  /** The agent says who the caller of their open inbound call is (one of several matches, or found by search). */
  async function linkDonor(actor: Actor, callId: number, donorId: number): Promise<{ call: Call }> {
    return withTransaction(db, async (tx) => {
      const call = await dialer.lockOwnInboundCall(tx, actor.id, callId);
      if (!(await donorSummaryById(tx, donorId))) {
        throw new AppError(
          'not_found',
          `There is no donor ${donorId}. Search for the caller again and choose them from the list.`,
          {
            issues: [{ path: 'body.donorId', message: 'No such donor' }],
          },
        );
      }
      return { call: await link(tx, actor, call.id, donorId, call.donorId) };
    });
  }

  /**
   * A new caller: the agent makes the donor from the call (the donor fields' rules; a number
   * without +country code is read in the caller's number's country) and the call is linked to
   * them. Its reference is the call's: IN-<call id>. Refused when the call has a donor already.
   */
  async function createDonor(actor: Actor, callId: number, body: CreateCallDonorBody): Promise<CallDonorCreated> {
    return withTransaction(db, async (tx) => {
      const call = await dialer.lockOwnInboundCall(tx, actor.id, callId);
      if (call.donorId !== null) {
        throw new AppError(
          'conflict',
          'This call is already linked to a donor. Work with that donor, or link another one found by search.',
        );
      }
      const country = call.phoneDialled ? (parsePhoneNumberFromString(call.phoneDialled)?.country ?? null) : null;
      let donor;
      try {
        donor = await createDonorFromCall(tx, {
          firstName: body.firstName,
          lastName: body.lastName,
          phone: body.phone ?? null,
          email: body.email ?? null,
          country,
          reference: `IN-${call.id}`,
        });
      } catch (e) {
        if (isUniqueViolation(e)) {
          throw new AppError(
            'conflict',
            `A donor with the reference IN-${call.id} exists already. Search for them and link them instead.`,
          );
        }
        throw e;
      }
      await audit(tx, {
        actorId: actor.id,
        entityType: 'donor',
        entityId: donor.id,
        action: 'create',
        after: donor,
        at: now(),
      });
      return { call: await link(tx, actor, call.id, donor.id, null), donor };
    });
  }

  /** Each line's queue: managers the lines their teams answer, admins every line. */
  async function listQueue(actor: Actor): Promise<InboundQueue> {
    const scope = await managedTeamIds(db, actor);
    const t = now();
    const rows = await repo.queueByLine(db, scope, t);
    const at = t.getTime();
    const waited = (arrivedAt: string) => Math.max(0, Math.floor((at - new Date(arrivedAt).getTime()) / 1000));
    return {
      lines: rows.map((r) => ({
        lineId: r.lineId,
        lineName: r.lineName,
        number: r.number,
        waiting: r.waiting,
        longestWaitSeconds: r.calls[0] ? waited(r.calls[0].arrivedAt) : 0,
        agentsFree: r.agentsFree,
        calls: r.calls.map((c, i) => ({
          inboundCallId: c.id,
          from: c.from,
          waitedSeconds: waited(c.arrivedAt),
          position: i + 1,
        })),
      })),
    };
  }

  /** The lines answered by the agent's teams (Log inbound call's choice of line). */
  async function myLines(actor: Actor): Promise<MyInboundLines> {
    const lines = await repo.linesOfAgent(db, actor.id);
    return { lines: lines.map(({ id, name, number }) => ({ id, name, number })) };
  }

  return { logCall, listQueue, callerDonors, linkDonor, createDonor, myLines };
}
