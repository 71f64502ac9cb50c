import { and, asc, count, desc, eq, inArray, isNull, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { MISSED_CALLS_BREAK, MISSED_CALLS_BREAK_KEY, type OfferInboundCallAnswer } from '@engage/contracts';
import type { DbOrTx } from '../../db/client';
import {
  breakReasons,
  campaigns,
  inboundCallEvents,
  inboundCalls,
  inboundLineTeams,
  inboundLines,
  jobRoles,
  phoneSystemTokens,
  shifts,
  teamMembers,
  teams,
  users,
} from '../../db/schema';

// Lines

const lineColumns = {
  id: inboundLines.id,
  number: inboundLines.number,
  name: inboundLines.name,
  campaignId: inboundLines.campaignId,
  campaignName: campaigns.name,
  timeZone: inboundLines.timeZone,
  weekdayHours: inboundLines.weekdayHours,
  closedDates: inboundLines.closedDates,
  ringSeconds: inboundLines.ringSeconds,
  maxWaitSeconds: inboundLines.maxWaitSeconds,
  closedAction: inboundLines.closedAction,
  overflowAction: inboundLines.overflowAction,
  createdAt: inboundLines.createdAt,
  updatedAt: inboundLines.updatedAt,
};

/** Lines by name; `teamScope` null: all of them, else those answered by one of these teams. */
/**
 * The lines a manager reads: those answered by one of the teams they lead (`teamScope`; null: an
 * administrator, every line). One rule for the Inbound lines page, the queue view and a line's
 * history (audit); changing a line asks more (every team answering it theirs: updateLine).
 */
export function linesOfTeams(db: DbOrTx, teamScope: number[] | null): SQL | undefined {
  return teamScope === null
    ? undefined
    : inArray(
        inboundLines.id,
        db
          .select({ id: inboundLineTeams.lineId })
          .from(inboundLineTeams)
          .where(inArray(inboundLineTeams.teamId, teamScope.length ? teamScope : [-1])),
      );
}

export function listLines(db: DbOrTx, teamScope: number[] | null) {
  return db
    .select(lineColumns)
    .from(inboundLines)
    .innerJoin(campaigns, eq(campaigns.id, inboundLines.campaignId))
    .where(linesOfTeams(db, teamScope))
    .orderBy(asc(inboundLines.name), asc(inboundLines.id));
}

/** Whether the line exists and is one the manager reads (linesOfTeams). */
export function lineReadable(db: DbOrTx, id: number, teamScope: number[] | null): Promise<boolean> {
  return db
    .select({ id: inboundLines.id })
    .from(inboundLines)
    .where(and(eq(inboundLines.id, id), linesOfTeams(db, teamScope)))
    .then((r) => r.length > 0);
}
export type LineRow = Awaited<ReturnType<typeof listLines>>[number];

/** The ids of the lines a manager reads (linesOfTeams), for reads that go line by line. */
export function lineIdsOfTeams(db: DbOrTx, teamScope: number[]): Promise<number[]> {
  return db
    .select({ id: inboundLines.id })
    .from(inboundLines)
    .where(linesOfTeams(db, teamScope))
    .orderBy(asc(inboundLines.id))
    .then((r) => r.map((x) => x.id));
}

export function findLine(db: DbOrTx, id: number, opts: { lock?: boolean } = {}) {
  const q = db
    .select(lineColumns)
    .from(inboundLines)
    .innerJoin(campaigns, eq(campaigns.id, inboundLines.campaignId))
    .where(eq(inboundLines.id, id));
  return (opts.lock ? q.for('update', { of: inboundLines }) : q).then((r) => r[0]);
}

/**
 * The line callers reach on this E.164 number, share-locked: its settings (hours, ring time) do
 * not change under an offer, and offers to one line run side by side (FOR UPDATE here made every
 * offer to a line wait for the one before it to commit: bench:inbound's lock waits). Two callers
 * arriving at the same moment may hear the same queue position; each is still routed and queued
 * by its own arrival.
 */
export function lockLineByNumber(db: DbOrTx, e164: string) {
  return db
    .select({
      id: inboundLines.id,
      number: inboundLines.number,
      timeZone: inboundLines.timeZone,
      weekdayHours: inboundLines.weekdayHours,
      closedDates: inboundLines.closedDates,
      closedAction: inboundLines.closedAction,
      overflowAction: inboundLines.overflowAction,
      ringSeconds: inboundLines.ringSeconds,
    })
    .from(inboundLines)
    .where(eq(inboundLines.number, e164))
    .for('share')
    .then((r) => r[0]);
}
export type OfferLine = NonNullable<Awaited<ReturnType<typeof lockLineByNumber>>>;

export function teamsOfLines(db: DbOrTx, lineIds: number[]) {
  return db
    .select({ lineId: inboundLineTeams.lineId, id: teams.id, name: teams.name })
    .from(inboundLineTeams)
    .innerJoin(teams, eq(teams.id, inboundLineTeams.teamId))
    .where(inArray(inboundLineTeams.lineId, lineIds.length ? lineIds : [-1]))
    .orderBy(asc(teams.name));
}

export function existingTeams(db: DbOrTx, ids: number[]) {
  return db
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(inArray(teams.id, ids.length ? ids : [-1]));
}

export function findLineIdByNumberOrName(db: DbOrTx, v: { number: string; name: string }, exceptId?: number) {
  return db
    .select({ id: inboundLines.id, number: inboundLines.number, name: inboundLines.name })
    .from(inboundLines)
    .where(
      and(
        or(eq(inboundLines.number, v.number), sql`lower(${inboundLines.name}) = lower(${v.name})`),
        exceptId === undefined ? undefined : sql`${inboundLines.id} <> ${exceptId}`,
      ),
    )
    .then((r) => r[0]);
}

export type LineValues = Omit<typeof inboundLines.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;

export function insertLine(db: DbOrTx, v: LineValues, at: Date): Promise<number> {
  return db
    .insert(inboundLines)
    .values({ ...v, createdAt: at, updatedAt: at })
    .returning({ id: inboundLines.id })
    .then((r) => r[0]!.id);
}

export async function updateLine(db: DbOrTx, id: number, v: Partial<LineValues>, at: Date): Promise<void> {
  await db
    .update(inboundLines)
    .set({ ...v, updatedAt: at })
    .where(eq(inboundLines.id, id));
}

export async function setLineTeams(db: DbOrTx, lineId: number, teamIds: number[]): Promise<void> {
  await db.delete(inboundLineTeams).where(eq(inboundLineTeams.lineId, lineId));
  if (teamIds.length) await db.insert(inboundLineTeams).values(teamIds.map((teamId) => ({ lineId, teamId })));
}

export function findCampaignName(db: DbOrTx, id: number) {
  return db
    .select({ id: campaigns.id, name: campaigns.name })
    .from(campaigns)
    .where(eq(campaigns.id, id))
    .then((r) => r[0]);
}

export const GENERAL_ENQUIRIES = 'General enquiries';

/**
 * The "General enquiries" campaign lines record their calls under by default: found by its name
 * and purpose, or made, active with no team and no list (an inbound line's campaign is worked
 * without lists: its donors are the call-backs its lines book, whose teams are added then:
 * inbound-callback.repository.ts).
 * Answers null when another kind of campaign already has the name.
 */
export async function generalEnquiriesCampaign(
  db: DbOrTx,
): Promise<{ id: number; name: string; created: boolean } | null> {
  const made = await db
    .insert(campaigns)
    .values({ name: GENERAL_ENQUIRIES, purpose: 'inbound_line', status: 'active' })
    .onConflictDoNothing({ target: campaigns.name })
    .returning({ id: campaigns.id, name: campaigns.name });
  if (made[0]) return { ...made[0], created: true };
  const found = await db
    .select({ id: campaigns.id, name: campaigns.name })
    .from(campaigns)
    .where(and(eq(campaigns.name, GENERAL_ENQUIRIES), eq(campaigns.purpose, 'inbound_line')))
    .then((r) => r[0]);
  return found ? { ...found, created: false } : null;
}

// Phone systems' tokens

export function insertToken(db: DbOrTx, v: { name: string; tokenHash: string; createdBy: number }, at: Date) {
  return db
    .insert(phoneSystemTokens)
    .values({ ...v, createdAt: at })
    .returning({ id: phoneSystemTokens.id, name: phoneSystemTokens.name })
    .then((r) => r[0]!);
}

/** Every token, newest first (an organisation has a handful). */
export function listTokens(db: DbOrTx) {
  return db
    .select({
      id: phoneSystemTokens.id,
      name: phoneSystemTokens.name,
      createdAt: phoneSystemTokens.createdAt,
      revokedAt: phoneSystemTokens.revokedAt,
    })
    .from(phoneSystemTokens)
    .orderBy(desc(phoneSystemTokens.createdAt), desc(phoneSystemTokens.id));
}

export function lockToken(db: DbOrTx, id: number) {
  return db
    .select({
      id: phoneSystemTokens.id,
      name: phoneSystemTokens.name,
      createdAt: phoneSystemTokens.createdAt,
      revokedAt: phoneSystemTokens.revokedAt,
    })
    .from(phoneSystemTokens)
    .where(eq(phoneSystemTokens.id, id))
    .for('update')
    .then((r) => r[0]);
}

export async function revokeToken(db: DbOrTx, id: number, at: Date): Promise<void> {
  await db.update(phoneSystemTokens).set({ revokedAt: at }).where(eq(phoneSystemTokens.id, id));
}

export function findTokenByHash(db: DbOrTx, tokenHash: string) {
  return db
    .select({ id: phoneSystemTokens.id, name: phoneSystemTokens.name, revokedAt: phoneSystemTokens.revokedAt })
    .from(phoneSystemTokens)
    .where(eq(phoneSystemTokens.tokenHash, tokenHash))
    .then((r) => r[0]);
}

// Calls

const callColumns = {
  id: inboundCalls.id,
  lineId: inboundCalls.lineId,
  fromRaw: inboundCalls.fromRaw,
  status: inboundCalls.status,
  ringingAgentId: inboundCalls.ringingAgentId,
  answeredBy: inboundCalls.answeredBy,
  offerAnswer: inboundCalls.offerAnswer,
  arrivedAt: inboundCalls.arrivedAt,
  endedAt: inboundCalls.endedAt,
  callId: inboundCalls.callId,
};

/** The phone system's call, locked: its messages apply one at a time. */
export function lockCall(db: DbOrTx, tokenId: number, externalId: string) {
  return db
    .select(callColumns)
    .from(inboundCalls)
    .where(and(eq(inboundCalls.phoneSystemTokenId, tokenId), eq(inboundCalls.externalId, externalId)))
    .for('update')
    .then((r) => r[0]);
}
export type CallRow = NonNullable<Awaited<ReturnType<typeof lockCall>>>;

/**
 * Records a new call; answers undefined when the phone system already offered this call id (a
 * concurrent twin waits here for the first to commit, then finds its row).
 */
export function insertCall(
  db: DbOrTx,
  v: Omit<typeof inboundCalls.$inferInsert, 'id' | 'updatedAt' | 'offerAnswer'>,
  pending: OfferInboundCallAnswer,
) {
  return db
    .insert(inboundCalls)
    .values({ ...v, offerAnswer: pending, updatedAt: v.arrivedAt })
    .onConflictDoNothing({ target: [inboundCalls.phoneSystemTokenId, inboundCalls.externalId] })
    .returning(callColumns)
    .then((r) => r[0]);
}

export async function updateCall(
  db: DbOrTx,
  id: number,
  v: Partial<Omit<typeof inboundCalls.$inferInsert, 'id'>> & { updatedAt: Date },
): Promise<void> {
  await db.update(inboundCalls).set(v).where(eq(inboundCalls.id, id));
}

export async function insertEvent(db: DbOrTx, v: typeof inboundCallEvents.$inferInsert): Promise<void> {
  await db.insert(inboundCallEvents).values(v);
}

/** The call's place in its line's queue, 1 first: queued calls that arrived before it, and itself. */
export function queuePosition(db: DbOrTx, call: { id: number; lineId: number; arrivedAt: Date }): Promise<number> {
  return db
    .select({ n: count() })
    .from(inboundCalls)
    .where(
      and(
        eq(inboundCalls.lineId, call.lineId),
        eq(inboundCalls.status, 'queued'),
        or(
          lt(inboundCalls.arrivedAt, call.arrivedAt),
          and(eq(inboundCalls.arrivedAt, call.arrivedAt), lte(inboundCalls.id, call.id)),
        ),
      ),
    )
    .then((r) => r[0]!.n);
}

/** An enabled agent's id (the agent a phone-system event names). */
export function findAgent(db: DbOrTx, id: number) {
  return db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.id, id), isNull(users.disabledAt)))
    .then((r) => r[0]);
}

// Routing (issue 11, item 4): which agent a waiting call rings, decided in PostgreSQL.

/**
 * Rings the longest-idle eligible agent for the call, in one statement: chooses the agent's open
 * shift and marks it ringing for this call (shifts.ringing_inbound_call_id), so that two calls
 * never ring one agent. Eligible: an agent free to answer the line (freeToAnswerLine, the rule the
 * queue's count uses too), other than the one whose ring of this call just ended (`exceptAgentId`:
 * the agent who missed it is offered another waiting call first, and may be rung for this one
 * again from the next routing step on). Order: agents who have not missed this call yet, longest
 * idle first; then those who missed it (let it ring out or declined it), the one whose last miss
 * of it is oldest first: rounds, as an ACD's. A one-agent line's Decline so rings its agent again
 * at the next sweep rather than leaving the caller waiting out the longest wait while the agent
 * sits Ready; two misses in a row put the agent on the "Missed calls" break (stopRinging), which
 * ends the loop. Idle since (shifts.idle_since): the end of the shift's
 * last call, else the shift's sign-in (time on break counts as idle; an agent on break is not
 * eligible). The column spares reading each candidate's calls (max(calls.ended_at) per shift):
 * the search reads the open shifts of the line's team members by shifts_one_open_per_agent and
 * sorts those few (inbound-routing-explain.int.test.ts). shifts has no index on a column the
 * dialer writes (HOT updates), so idle_since is not indexed.
 * A shift another transaction has locked is skipped, not waited for. Who locks a free agent's
 * shift: the agent's own use cases (Ready, next donor, a break) and routing itself; not the
 * heartbeat beyond its one-row UPDATE (autocommit, well under a millisecond) and not getShift (it
 * reads without a lock). A free agent skipped so is rung by the next routing step: the next
 * offer, their own becameFree (ringQueuedFor) or the sweep within SWEEP_SECONDS.
 * FOR UPDATE SKIP LOCKED: a concurrent routing skips a shift another has locked, and one that
 * waited for a lock re-checks the marked row (READ COMMITTED re-reads it), so it moves on.
 * Answers the chosen shift, or nothing when no agent is free.
 */
/**
 * The one rule for "an agent free to answer a line", as a condition on an open shift's row (`s`:
 * its name or alias in the caller's statement; `lineId`: the line, a value or a column). Routing's
 * candidate search (freeAgentFor) and the queue's "agents free" count (inbound-desk.repository's
 * queueByLine) both use it: an open shift whose screen still answers (lease), Ready (or out of data)
 * or previewing an outbound donor (blended), not ringing for a call (neither marked by Engage nor
 * rung by the phone system itself, inbound_calls_ringing_agent_key), under a job role that takes
 * inbound, of an agent in a team that answers the line (team_members' primary key,
 * inbound_line_teams).
 */
export function freeToAnswerLine(s: string, lineId: SQL | number, now: Date): SQL {
  const col = (name: string) => sql.raw(`${s}.${name}`);
  return sql`(${col('closed_at')} IS NULL
    AND ${col('ringing_inbound_call_id')} IS NULL
    AND ${col('state')} IN ('ready', 'out_of_data', 'previewing')
    AND ${col('lease_expires_at')} > ${now}
    AND EXISTS (SELECT 1 FROM ${jobRoles} jr WHERE jr.id = ${col('job_role_id')} AND jr.inbound)
    AND NOT EXISTS (SELECT 1 FROM ${inboundCalls} ic WHERE ic.ringing_agent_id = ${col('agent_id')} AND ic.status = 'ringing')
    AND EXISTS (SELECT 1 FROM ${teamMembers} tm JOIN ${inboundLineTeams} lt ON lt.team_id = tm.team_id
                 WHERE tm.user_id = ${col('agent_id')} AND lt.line_id = ${lineId}))`;
}

/** Events that count as an agent having missed a call: it rang out, or they declined it (not `left`). */
const MISSED_EVENTS = ['no_answer', 'declined'] as const;

/** The candidate search of ringNextAgent: the free agent to ring for the call, its shift locked (exported for its EXPLAIN test). */
export function freeAgentFor(tx: DbOrTx, v: { callId: number; lineId: number; now: Date; exceptAgentId?: number }) {
  // When this agent last missed this call (null: never); a few of the call's events by inbound_call_events_call_idx.
  const lastMissed = tx
    .select({ at: sql`max(${inboundCallEvents.at})` })
    .from(inboundCallEvents)
    .where(
      and(
        eq(inboundCallEvents.inboundCallId, v.callId),
        eq(inboundCallEvents.agentId, shifts.agentId),
        inArray(inboundCallEvents.type, [...MISSED_EVENTS]),
      ),
    );
  return tx
    .select({ id: shifts.id, agentId: shifts.agentId })
    .from(shifts)
    .where(
      and(
        freeToAnswerLine('"shifts"', v.lineId, v.now),
        v.exceptAgentId === undefined ? undefined : ne(shifts.agentId, v.exceptAgentId),
      ),
    )
    .orderBy(sql`(${lastMissed}) ASC NULLS FIRST`, asc(shifts.idleSince), asc(shifts.id))
    .limit(1)
    .for('update', { of: shifts, skipLocked: true });
}

export async function ringNextAgent(
  tx: DbOrTx,
  v: { callId: number; lineId: number; now: Date; exceptAgentId?: number },
) {
  const pick = tx.$with('pick').as(freeAgentFor(tx, v));
  const [row] = await tx
    .with(pick)
    .update(shifts)
    .set({ ringingInboundCallId: v.callId })
    .from(pick)
    .innerJoin(users, eq(users.id, pick.agentId))
    .where(eq(shifts.id, pick.id))
    .returning({
      shiftId: shifts.id,
      agentId: shifts.agentId,
      agentName: users.name,
      state: shifts.state,
      offerId: shifts.offerId,
    });
  return row ?? null;
}

/**
 * The agent is no longer rung for the call (answered, missed, declined, the caller gone): their
 * shift's mark is cleared; a miss counts one more in a row, an answer starts the count again.
 * Answers the shift and its misses in a row, or undefined when it was not ringing for the call.
 */
export function clearRinging(
  tx: DbOrTx,
  v: { callId: number; agentId: number; outcome: 'missed' | 'answered' | 'gone' },
) {
  return tx
    .update(shifts)
    .set({
      ringingInboundCallId: null,
      ...(v.outcome === 'missed'
        ? { inboundMissesInRow: sql`${shifts.inboundMissesInRow} + 1` }
        : v.outcome === 'answered'
          ? { inboundMissesInRow: 0 }
          : {}),
    })
    .where(and(eq(shifts.agentId, v.agentId), isNull(shifts.closedAt), eq(shifts.ringingInboundCallId, v.callId)))
    .returning({ id: shifts.id, missesInRow: shifts.inboundMissesInRow })
    .then((r) => r[0]);
}

export async function resetMisses(tx: DbOrTx, shiftId: number): Promise<void> {
  await tx.update(shifts).set({ inboundMissesInRow: 0 }).where(eq(shifts.id, shiftId));
}

/**
 * The "Missed calls" break reason, found by its system key whatever its name (a retired one is
 * used as it is); made on first need, labelled "Missed calls" (migration 0031 gave the key to one made before).
 */
export async function missedCallsBreakReason(tx: DbOrTx): Promise<number> {
  const byKey = () =>
    tx
      .select({ id: breakReasons.id })
      .from(breakReasons)
      .where(eq(breakReasons.systemKey, MISSED_CALLS_BREAK_KEY))
      .then((r) => r[0]?.id);
  const found = await byKey();
  if (found !== undefined) return found;
  await tx
    .insert(breakReasons)
    .values({ name: MISSED_CALLS_BREAK, position: 1000, systemKey: MISSED_CALLS_BREAK_KEY })
    .onConflictDoUpdate({ target: breakReasons.name, set: { systemKey: MISSED_CALLS_BREAK_KEY } });
  return (await byKey())!;
}

/** The agent whose open shift Engage marked ringing for the call, or null (nobody, or the phone system rang one itself). */
export function agentRingingFor(db: DbOrTx, callId: number): Promise<number | null> {
  return db
    .select({ agentId: shifts.agentId })
    .from(shifts)
    .where(and(eq(shifts.ringingInboundCallId, callId), isNull(shifts.closedAt)))
    .limit(1)
    .then((r) => r[0]?.agentId ?? null);
}

/** The call the agent's open shift is marked ringing for, read without a lock, or null. */
export function callRingingShiftOf(db: DbOrTx, agentId: number): Promise<number | null> {
  return db
    .select({ callId: shifts.ringingInboundCallId })
    .from(shifts)
    .where(and(eq(shifts.agentId, agentId), isNull(shifts.closedAt)))
    .then((r) => r[0]?.callId ?? null);
}

/**
 * The same, read under the open shift's row lock: until the transaction ends nobody marks or
 * clears it (routing marks a shift it holds locked, ringNextAgent; a ring's end clears it under
 * the same lock, clearRinging).
 */
export function lockRingingMarkOf(db: DbOrTx, agentId: number): Promise<number | null> {
  return db
    .select({ callId: shifts.ringingInboundCallId })
    .from(shifts)
    .where(and(eq(shifts.agentId, agentId), isNull(shifts.closedAt)))
    .for('update')
    .then((r) => r[0]?.callId ?? null);
}

/** A call by Engage's id, locked. */
export function lockCallById(db: DbOrTx, id: number) {
  return db
    .select({ ...callColumns, fromE164: inboundCalls.fromE164, ringDeadline: inboundCalls.ringDeadline })
    .from(inboundCalls)
    .where(eq(inboundCalls.id, id))
    .for('update')
    .then((r) => r[0]);
}

/** Ringing calls whose agent's time ran out (the sweep passes each to the next agent). */
export function ringTimedOut(db: DbOrTx, now: Date, limit: number) {
  return db
    .select({ id: inboundCalls.id })
    .from(inboundCalls)
    .where(and(eq(inboundCalls.status, 'ringing'), lte(inboundCalls.ringDeadline, now)))
    .orderBy(asc(inboundCalls.ringDeadline))
    .limit(limit)
    .then((r) => r.map((x) => x.id));
}

/**
 * Agents Engage is ringing whose screen stopped answering (their lease ran out: a closed or dead
 * browser): the sweep passes each call on at once (agentLeaving), not at the end of its ring time.
 * Read from the few ringing calls, each agent's open shift by shifts_one_open_per_agent.
 */
export function agentsRungWithoutScreen(db: DbOrTx, now: Date, limit: number) {
  return db
    .select({ agentId: shifts.agentId })
    .from(inboundCalls)
    .innerJoin(
      shifts,
      and(
        eq(shifts.agentId, inboundCalls.ringingAgentId),
        isNull(shifts.closedAt),
        eq(shifts.ringingInboundCallId, inboundCalls.id),
      ),
    )
    .where(and(eq(inboundCalls.status, 'ringing'), lte(shifts.leaseExpiresAt, now)))
    .limit(limit)
    .then((r) => r.map((x) => x.agentId));
}

/**
 * Queued calls that waited longer than their line's longest wait take its overflow action, in one
 * statement (history included). The wait counts from the caller's arrival, however they waited:
 * queued, or passed from agent to agent (ringing, no_answer, ringing another...). A call ringing
 * an agent is not taken here (a ring in progress is never pulled from the agent): routing runs
 * this for the one call when its ring ends unanswered (`onlyCallId`, inbound.service's route),
 * so a ringing call past its wait overflows then instead of ringing the next agent. Answers how
 * many, and which of them took `callback` (the caller's request is made next, in the same
 * transaction: inbound-callback.ts).
 */
export async function overflowLongWaits(
  tx: DbOrTx,
  now: Date,
  onlyCallId?: number,
): Promise<{ count: number; callbackIds: number[] }> {
  const r = await tx.execute<{ n: number; callback_ids: number[] }>(sql`
    WITH due AS (
      UPDATE inbound_calls c
         SET status = 'overflow', updated_at = ${now},
             offer_answer = jsonb_build_object('inboundCallId', c.id, 'action', 'overflow', 'then', l.overflow_action)
        FROM inbound_lines l
       WHERE l.id = c.line_id AND c.status = 'queued'
         AND c.arrived_at + make_interval(secs => l.max_wait_seconds) <= ${now}
         ${onlyCallId === undefined ? sql`` : sql`AND c.id = ${onlyCallId}`}
      RETURNING c.id, l.overflow_action AS action
    ), ev AS (
      INSERT INTO inbound_call_events (inbound_call_id, type, at) SELECT id, 'overflow', ${now} FROM due
    )
    SELECT count(*)::int AS n,
           COALESCE(array_agg(id ORDER BY id) FILTER (WHERE action = 'callback'), '{}') AS callback_ids
      FROM due`);
  return { count: r.rows[0]?.n ?? 0, callbackIds: r.rows[0]?.callback_ids ?? [] };
}

/** The oldest queued calls, one line's oldest first, across lines (the sweep offers each to a free agent). */
export function oldestQueued(db: DbOrTx, limit: number) {
  return db
    .select({ id: inboundCalls.id, lineId: inboundCalls.lineId })
    .from(inboundCalls)
    .where(eq(inboundCalls.status, 'queued'))
    .orderBy(asc(inboundCalls.arrivedAt), asc(inboundCalls.id))
    .limit(limit);
}

/** A line's ring time and campaign. */
export function lineRouting(db: DbOrTx, lineId: number) {
  return db
    .select({
      ringSeconds: inboundLines.ringSeconds,
      campaignId: inboundLines.campaignId,
      overflowAction: inboundLines.overflowAction,
      maxWaitSeconds: inboundLines.maxWaitSeconds,
    })
    .from(inboundLines)
    .where(eq(inboundLines.id, lineId))
    .then((r) => r[0]!);
}

/** The call ringing the agent now, as their screen pops it. */
export function incomingFor(db: DbOrTx, agentId: number) {
  return db
    .select({
      id: inboundCalls.id,
      lineName: inboundLines.name,
      fromRaw: inboundCalls.fromRaw,
      fromE164: inboundCalls.fromE164,
      arrivedAt: inboundCalls.arrivedAt,
      ringDeadline: inboundCalls.ringDeadline,
    })
    .from(shifts)
    .innerJoin(inboundCalls, eq(inboundCalls.id, shifts.ringingInboundCallId))
    .innerJoin(inboundLines, eq(inboundLines.id, inboundCalls.lineId))
    .where(
      and(
        eq(shifts.agentId, agentId),
        isNull(shifts.closedAt),
        eq(inboundCalls.status, 'ringing'),
        eq(inboundCalls.ringingAgentId, agentId),
      ),
    )
    .then((r) => r[0]);
}

/** Queued calls of the lines the agent's teams answer. */
function queuedFor(db: DbOrTx, agentId: number) {
  return and(
    eq(inboundCalls.status, 'queued'),
    inArray(
      inboundCalls.lineId,
      db
        .select({ id: inboundLineTeams.lineId })
        .from(inboundLineTeams)
        .innerJoin(teamMembers, eq(teamMembers.teamId, inboundLineTeams.teamId))
        .where(eq(teamMembers.userId, agentId)),
    ),
  );
}

/** Whether a caller waits on a line the agent's teams answer (one read, no lock, no transaction). */
export async function anyQueuedFor(db: DbOrTx, agentId: number): Promise<boolean> {
  const [row] = await db.select({ id: inboundCalls.id }).from(inboundCalls).where(queuedFor(db, agentId)).limit(1);
  return row !== undefined;
}

/**
 * The longest-waiting queued call of the lines the agent's teams answer, locked (a call another
 * transaction is routing is skipped).
 */
export function lockOldestQueuedFor(db: DbOrTx, agentId: number, exceptCallId?: number) {
  return db
    .select({ id: inboundCalls.id, lineId: inboundCalls.lineId, arrivedAt: inboundCalls.arrivedAt })
    .from(inboundCalls)
    .where(and(queuedFor(db, agentId), exceptCallId === undefined ? undefined : ne(inboundCalls.id, exceptCallId)))
    .orderBy(asc(inboundCalls.arrivedAt), asc(inboundCalls.id))
    .limit(1)
    .for('update', { skipLocked: true })
    .then((r) => r[0]);
}

/** The agents this call already has a no_answer, declined or left for (a later `ringing` for them is stale). */
export function agentsPassedOver(db: DbOrTx, callId: number): Promise<number[]> {
  return db
    .selectDistinct({ agentId: inboundCallEvents.agentId })
    .from(inboundCallEvents)
    .where(
      and(
        eq(inboundCallEvents.inboundCallId, callId),
        inArray(inboundCallEvents.type, [...MISSED_EVENTS, 'left']),
        sql`${inboundCallEvents.agentId} IS NOT NULL`,
      ),
    )
    .then((r) => r.map((x) => x.agentId!));
}

/** Another call ringing the agent now (only one may: inbound_calls_ringing_agent_key), or undefined. */
export function otherCallRinging(db: DbOrTx, agentId: number, exceptCallId: number) {
  return db
    .select({ id: inboundCalls.id, externalId: inboundCalls.externalId })
    .from(inboundCalls)
    .where(
      and(
        eq(inboundCalls.status, 'ringing'),
        eq(inboundCalls.ringingAgentId, agentId),
        ne(inboundCalls.id, exceptCallId),
      ),
    )
    .then((r) => r[0]);
}

/**
 * The team an inbound call of the line is recorded under for the agent (so the line's team
 * managers see it in Calls): the team of the agent's open shift when it answers the line, else the
 * agent's first team (by id) that answers it; null when none does.
 */
export function teamForInboundCall(db: DbOrTx, agentId: number, lineId: number): Promise<number | null> {
  return db
    .select({ teamId: teamMembers.teamId })
    .from(teamMembers)
    .innerJoin(
      inboundLineTeams,
      and(eq(inboundLineTeams.teamId, teamMembers.teamId), eq(inboundLineTeams.lineId, lineId)),
    )
    .leftJoin(shifts, and(eq(shifts.agentId, agentId), isNull(shifts.closedAt), eq(shifts.teamId, teamMembers.teamId)))
    .where(eq(teamMembers.userId, agentId))
    .orderBy(sql`${shifts.id} IS NULL`, asc(teamMembers.teamId))
    .limit(1)
    .then((r) => r[0]?.teamId ?? null);
}
