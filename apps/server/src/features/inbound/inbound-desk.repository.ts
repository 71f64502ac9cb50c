import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { inboundCallEvents, inboundCalls, inboundLineTeams, inboundLines, shifts, teamMembers } from '../../db/schema';
import { freeToAnswerLine, linesOfTeams } from './inbound.repository';

/** How many waiting calls the queue view lists per line (the count covers them all). */
export const QUEUE_CALLS_LISTED = 50;

/** The agent's open shift (shifts_one_open_per_agent), if any. */
export function openShiftOf(db: DbOrTx, agentId: number) {
  return db
    .select({ id: shifts.id, state: shifts.state })
    .from(shifts)
    .where(and(eq(shifts.agentId, agentId), isNull(shifts.closedAt)))
    .then((r) => r[0]);
}

/** The lines answered by a team the agent is in, by name. */
export function linesOfAgent(db: DbOrTx, agentId: number) {
  return db
    .selectDistinct({
      id: inboundLines.id,
      name: inboundLines.name,
      number: inboundLines.number,
      campaignId: inboundLines.campaignId,
    })
    .from(inboundLines)
    .innerJoin(inboundLineTeams, eq(inboundLineTeams.lineId, inboundLines.id))
    .innerJoin(teamMembers, eq(teamMembers.teamId, inboundLineTeams.teamId))
    .where(eq(teamMembers.userId, agentId))
    .orderBy(asc(inboundLines.name), asc(inboundLines.id));
}
export type AgentLine = Awaited<ReturnType<typeof linesOfAgent>>[number];

/**
 * A call an agent picked up on a desk phone (no phone system): recorded answered by them, so it
 * shows in the line's history, with its queued and answered events.
 */
export async function insertManualCall(
  db: DbOrTx,
  v: { lineId: number; fromRaw: string; fromE164: string | null; agentId: number; callId: number; at: Date },
): Promise<number> {
  const [row] = await db
    .insert(inboundCalls)
    .values({
      source: 'manual',
      lineId: v.lineId,
      fromRaw: v.fromRaw,
      fromE164: v.fromE164,
      status: 'answered',
      answeredBy: v.agentId,
      answeredAt: v.at,
      callId: v.callId,
      arrivedAt: v.at,
      updatedAt: v.at,
      // Nothing is ever answered again to a manual call; the column keeps its shape.
      offerAnswer: { inboundCallId: 0, action: 'ring', agentId: v.agentId, agentName: '', ringSeconds: 0 },
    })
    .returning({ id: inboundCalls.id });
  await db.insert(inboundCallEvents).values({ inboundCallId: row!.id, type: 'answered', agentId: v.agentId, at: v.at });
  return row!.id;
}

/**
 * Each line's queue in one statement: callers waiting, the oldest arrival, the first waiting
 * calls (inbound_calls_line_queue_idx, oldest first) and the agents free to answer by the rule
 * routing rings by (inbound.repository's freeToAnswerLine). `teamScope` null: every line, else
 * the lines answered by one of these teams.
 */
export function queueByLine(db: DbOrTx, teamScope: number[] | null, now: Date) {
  // Written out qualified: a select from one table renders its columns unqualified, which the
  // correlated subqueries below would read as their own.
  const lineId = sql.raw('"inbound_lines"."id"');
  const waiting = sql<number>`(
    SELECT count(*)::int FROM ${inboundCalls} c
    WHERE c.line_id = ${lineId} AND c.status = 'queued'
  )`;
  const calls = sql<{ id: number; from: string; arrivedAt: string }[]>`(
    SELECT coalesce(json_agg(json_build_object('id', q.id, 'from', q.from_raw, 'arrivedAt', q.arrived_at)
                             ORDER BY q.arrived_at, q.id), '[]')
    FROM (
      SELECT c.id, c.from_raw, c.arrived_at FROM ${inboundCalls} c
      WHERE c.line_id = ${lineId} AND c.status = 'queued'
      ORDER BY c.arrived_at, c.id
      LIMIT ${sql.raw(String(QUEUE_CALLS_LISTED))}
    ) q
  )`;
  // inbound.repository's freeToAnswerLine: the rule routing rings by. One open shift per agent, so each counts once.
  const agentsFree = sql<number>`(
    SELECT count(*)::int FROM ${shifts} s WHERE ${freeToAnswerLine('s', lineId, now)}
  )`;
  return db
    .select({
      lineId: inboundLines.id,
      lineName: inboundLines.name,
      number: inboundLines.number,
      waiting,
      calls,
      agentsFree,
    })
    .from(inboundLines)
    .where(linesOfTeams(db, teamScope))
    .orderBy(asc(inboundLines.name), asc(inboundLines.id));
}
