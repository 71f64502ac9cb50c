import type { InboundQueue, LogInboundCallBody, LoggedInboundCall } from '@engage/contracts';
import type { Db } from '../../db/client';
import { AppError } from '../../lib/errors';
import { managedTeamIds } from '../../lib/scope';
import { withTransaction } from '../../lib/tx';
import { lineCountry, matchCaller } from './caller-match';
import * as repo from './inbound-desk.repository';
import type { Actor } from './inbound.service';

export type InboundDeskService = ReturnType<typeof createInboundDeskService>;

/**
 * The agent's desk phone (Log inbound call, when no phone system is connected) and the managers'
 * view of the lines' queues.
 */
export function createInboundDeskService(deps: { db: Db; now: () => Date }) {
  const { db, now } = deps;

  /**
   * An agent on a shift picked up a desk phone: the caller is matched to donors (the same pop as a
   * phone system's call) and the call is recorded on the line, answered by the agent, so it shows
   * in the line's history. The line: the one named (answered by one of the agent's teams), else
   * the agent's teams' only line.
   */
  async function logCall(actor: Actor, body: LogInboundCallBody): Promise<LoggedInboundCall> {
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
      const inboundCallId = await repo.insertManualCall(tx, {
        lineId: line.id,
        fromRaw: body.from,
        fromE164: match.fromE164,
        agentId: actor.id,
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
      };
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

  return { logCall, listQueue };
}
