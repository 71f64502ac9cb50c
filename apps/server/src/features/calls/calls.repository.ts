import { aliasedTable, and, asc, desc, eq, gte, inArray, lt, or, sql } from 'drizzle-orm';
import { readTimestamp, type DbOrTx } from '../../db/client';
import {
  auditLog,
  calls,
  campaignTeams,
  campaigns,
  donors,
  endReasons,
  inboundCallEvents,
  inboundCalls,
  inboundLineTeams,
  inboundLines,
  teams,
  users,
  callLineColumns,
} from '../../db/schema';

/**
 * Calls as managers see them. `teamIds` is the caller's scope: null for an admin (every call),
 * else the teams they lead; a call is in scope when it was made for one of those teams or in a
 * campaign one of them works.
 */

function inScope(db: DbOrTx, teamIds: number[] | null) {
  if (teamIds === null) return undefined;
  return or(
    inArray(calls.teamId, teamIds),
    inArray(
      calls.campaignId,
      db
        .select({ campaignId: campaignTeams.campaignId })
        .from(campaignTeams)
        .where(inArray(campaignTeams.teamId, teamIds)),
    ),
  );
}

function selectCalls(db: DbOrTx) {
  return (
    db
      .select({
        id: calls.id,
        direction: calls.direction,
        agentId: calls.agentId,
        agentName: users.name,
        // Left join: an inbound caller not (yet) linked to a donor is listed too ("New caller").
        donorId: donors.id,
        donorName: sql<string | null>`trim(${donors.firstName} || ' ' || ${donors.lastName})`,
        donorReference: donors.reference,
        inboundCallId: inboundCalls.id,
        lineId: inboundLines.id,
        lineName: inboundLines.name,
        campaignId: calls.campaignId,
        campaignName: campaigns.name,
        teamId: calls.teamId,
        teamName: teams.name,
        phoneDialled: calls.phoneDialled,
        offeredAt: calls.offeredAt,
        startedAt: calls.startedAt,
        endedAt: calls.endedAt,
        endReasonId: calls.endReasonId,
        endReasonName: endReasons.name,
        endReasonOutcome: endReasons.outcome,
        notes: calls.notes,
        appointmentId: calls.appointmentId,
        // The softphone's signalling (telephony.rules recordedCallLine makes the view of it).
        ...callLineColumns,
        corrected: sql<boolean>`EXISTS (SELECT 1 FROM ${auditLog}
        WHERE ${auditLog.entityType} = 'call' AND ${auditLog.entityId} = ${calls.id})`,
      })
      .from(calls)
      .innerJoin(users, eq(users.id, calls.agentId))
      .leftJoin(donors, eq(donors.id, calls.donorId))
      // An answered inbound call's record (inbound_calls_call_id_key) and the line the caller rang.
      .leftJoin(inboundCalls, eq(inboundCalls.callId, calls.id))
      .leftJoin(inboundLines, eq(inboundLines.id, inboundCalls.lineId))
      .leftJoin(campaigns, eq(campaigns.id, calls.campaignId))
      .leftJoin(teams, eq(teams.id, calls.teamId))
      .leftJoin(endReasons, eq(endReasons.id, calls.endReasonId))
  );
}

export type ManagerCallRow = Awaited<ReturnType<typeof listCalls>>[number];

export interface CallFilter {
  teamIds: number[] | null;
  campaignId: number | null;
  teamId: number | null;
  agentId: number | null;
  endReasonId: number | null;
  direction: 'outbound' | 'inbound' | null;
  inboundLineId: number | null;
  /** How the softphone's line ended (calls.hangup_cause). */
  hangupCause: (typeof calls.$inferSelect)['hangupCause'];
  from: Date | null;
  to: Date | null;
  /** Keyset: rows strictly older than (startedAt, id). */
  before: { at: Date; id: number } | null;
  limit: number;
}

/** Newest first (started_at, then id), one page of `limit` rows. */
export function listCalls(db: DbOrTx, f: CallFilter) {
  return selectCalls(db)
    .where(
      and(
        inScope(db, f.teamIds),
        f.campaignId === null ? undefined : eq(calls.campaignId, f.campaignId),
        f.teamId === null ? undefined : eq(calls.teamId, f.teamId),
        f.agentId === null ? undefined : eq(calls.agentId, f.agentId),
        f.endReasonId === null ? undefined : eq(calls.endReasonId, f.endReasonId),
        f.direction === null ? undefined : eq(calls.direction, f.direction),
        f.inboundLineId === null ? undefined : eq(inboundCalls.lineId, f.inboundLineId),
        f.hangupCause === null ? undefined : eq(calls.hangupCause, f.hangupCause),
        // The bounds go to pg as Dates (sql.param): it writes a year before 1 AD as BC, where the
        // column's toISOString() would send a year PostgreSQL refuses (from=0000-01-01).
        f.from === null ? undefined : gte(calls.startedAt, sql.param(f.from)),
        f.to === null ? undefined : lt(calls.startedAt, sql.param(f.to)),
        f.before === null
          ? undefined
          : sql`(${calls.startedAt}, ${calls.id}) < (${f.before.at}::timestamptz, ${f.before.id}::int)`,
      ),
    )
    .orderBy(desc(calls.startedAt), desc(calls.id))
    .limit(f.limit);
}

/** One call in the caller's scope; null when it does not exist or is out of scope. */
export async function findCall(db: DbOrTx, callId: number, teamIds: number[] | null): Promise<ManagerCallRow | null> {
  const [row] = await selectCalls(db).where(and(eq(calls.id, callId), inScope(db, teamIds)));
  return row ?? null;
}

/** Locks the call row for a correction (the agent's End Call locks it too). */
export async function lockCall(db: DbOrTx, callId: number): Promise<void> {
  await db.select({ id: calls.id }).from(calls).where(eq(calls.id, callId)).for('update');
}

export async function findEndReason(db: DbOrTx, id: number) {
  const [row] = await db
    .select({
      id: endReasons.id,
      name: endReasons.name,
      retiredAt: endReasons.retiredAt,
      direction: endReasons.direction,
      /** One of the system's own reasons ("Ended by the system"): not for choosing. */
      systemKey: endReasons.systemKey,
    })
    .from(endReasons)
    .where(eq(endReasons.id, id));
  return row ?? null;
}

export async function correctCall(
  db: DbOrTx,
  v: { id: number; endReasonId: number | null; notes: string; now: Date },
): Promise<void> {
  await db
    .update(calls)
    .set({ endReasonId: v.endReasonId, notes: v.notes, updatedAt: v.now })
    .where(eq(calls.id, v.id));
}

// ---------------------------------------------------------------- inbound calls

/**
 * One inbound call's history is open to a manager when a team they lead answers its line, or when
 * the call record an agent made of it is in their scope (made for one of their teams: a call on
 * another team's line their agent answered, which their Calls list shows). The Inbound calls list
 * reads their lines only (listInboundCalls, line by line).
 */
function inboundInScope(teamIds: number[] | null) {
  if (teamIds === null) return undefined;
  if (teamIds.length === 0) return sql`false`;
  return or(
    sql`EXISTS (SELECT 1 FROM ${inboundLineTeams} WHERE ${inboundLineTeams.lineId} = ${inboundCalls.lineId}
      AND ${inboundLineTeams.teamId} IN ${teamIds})`,
    // The call record is joined already (selectInboundCalls): no subquery over calls (no team_id index).
    inArray(calls.teamId, teamIds),
  );
}

const answerer = aliasedTable(users, 'answerer');

function selectInboundCalls(db: DbOrTx) {
  return db
    .select({
      id: inboundCalls.id,
      lineId: inboundCalls.lineId,
      lineName: inboundLines.name,
      fromRaw: inboundCalls.fromRaw,
      fromE164: inboundCalls.fromE164,
      status: inboundCalls.status,
      source: inboundCalls.source,
      arrivedAt: inboundCalls.arrivedAt,
      answeredAt: inboundCalls.answeredAt,
      answeredById: inboundCalls.answeredBy,
      answeredByName: answerer.name,
      abandonedAt: inboundCalls.abandonedAt,
      endedAt: inboundCalls.endedAt,
      updatedAt: inboundCalls.updatedAt,
      /** When the line's closed or overflow action took the caller (its history's one such event; an index probe per row, no sort). */
      actionAt: sql<Date | null>`(SELECT min(${inboundCallEvents.at}) FROM ${inboundCallEvents}
        WHERE ${inboundCallEvents.inboundCallId} = ${inboundCalls.id}
          AND ${inboundCallEvents.type} IN ('closed', 'overflow'))`.mapWith(readTimestamp),
      callId: inboundCalls.callId,
      donorId: donors.id,
      donorName: sql<string | null>`trim(${donors.firstName} || ' ' || ${donors.lastName})`,
      donorReference: donors.reference,
      endReasonId: endReasons.id,
      endReasonName: endReasons.name,
      /** The caller was told "callback" (inbound-callback.ts): what the offer or the overflow answered. */
      callbackRequested: sql<boolean>`(${inboundCalls.offerAnswer}->>'then') IS NOT DISTINCT FROM 'callback'`,
      callbackAppointmentId: inboundCalls.callbackAppointmentId,
    })
    .from(inboundCalls)
    .innerJoin(inboundLines, eq(inboundLines.id, inboundCalls.lineId))
    .leftJoin(answerer, eq(answerer.id, inboundCalls.answeredBy))
    .leftJoin(calls, eq(calls.id, inboundCalls.callId))
    .leftJoin(donors, eq(donors.id, calls.donorId))
    .leftJoin(endReasons, eq(endReasons.id, calls.endReasonId));
}

export type ManagerInboundCallRow = Awaited<ReturnType<typeof findInboundCall>> & object;

export interface InboundCallFilter {
  /**
   * The lines read: null, every line (an administrator, no line asked for); else these (the lines
   * a manager reads, inbound.readableLineIds, or the one asked for among them). Never empty.
   */
  lineIds: number[] | null;
  status: (typeof inboundCalls.$inferSelect)['status'] | null;
  from: Date | null;
  to: Date | null;
  /** Keyset: rows strictly older than (arrivedAt, id). */
  before: { at: Date; id: number } | null;
  limit: number;
}

/** The filter's conditions but the lines, on `inbound_calls` or an alias of it. */
function inboundConditions(t: typeof inboundCalls, f: InboundCallFilter) {
  return [
    f.status === null ? undefined : eq(t.status, f.status),
    f.from === null ? undefined : gte(t.arrivedAt, sql.param(f.from)),
    f.to === null ? undefined : lt(t.arrivedAt, sql.param(f.to)),
    f.before === null ? undefined : sql`(${t.arrivedAt}, ${t.id}) < (${f.before.at}::timestamptz, ${f.before.id}::int)`,
  ];
}

const perLine = aliasedTable(inboundCalls, 'per_line');

/**
 * Inbound calls, answered or not, newest arrival first. Every line: inbound_calls_arrived_idx in
 * its order. One line: that line's inbound_calls_line_arrived_idx. Several lines (a manager's):
 * one page read from each line's index (a LATERAL per line, each stopping at `limit` rows), then
 * the newest `limit` of those, so a manager of a small line among big ones reads a page's worth
 * per line, never the other lines' calls (calls-explain.int.test.ts).
 */
export function listInboundCalls(db: DbOrTx, f: InboundCallFilter) {
  const lines = f.lineIds;
  let where;
  if (lines === null) where = and(...inboundConditions(inboundCalls, f));
  else if (lines.length === 1) where = and(eq(inboundCalls.lineId, lines[0]!), ...inboundConditions(inboundCalls, f));
  else {
    where = sql`${inboundCalls.id} IN (
      SELECT page.id FROM unnest(${sql.param(lines)}::int[]) AS line(id)
      CROSS JOIN LATERAL (
        SELECT ${perLine.id} AS id FROM ${inboundCalls} AS ${sql.identifier('per_line')}
         WHERE ${and(sql`${perLine.lineId} = line.id`, ...inboundConditions(perLine, f))}
         ORDER BY ${perLine.arrivedAt} DESC, ${perLine.id} DESC
         LIMIT ${f.limit}) page)`;
  }
  return selectInboundCalls(db)
    .where(where)
    .orderBy(desc(inboundCalls.arrivedAt), desc(inboundCalls.id))
    .limit(f.limit);
}

/** One inbound call in the caller's scope; null when it does not exist or is out of scope. */
export async function findInboundCall(db: DbOrTx, id: number, teamIds: number[] | null) {
  const [row] = await selectInboundCalls(db).where(and(eq(inboundCalls.id, id), inboundInScope(teamIds)));
  return row ?? null;
}

/** An inbound call's history, oldest first (inbound_call_events_call_idx). */
export function inboundCallEventsOf(db: DbOrTx, inboundCallId: number) {
  return db
    .select({
      at: inboundCallEvents.at,
      type: inboundCallEvents.type,
      agentId: inboundCallEvents.agentId,
      agentName: users.name,
    })
    .from(inboundCallEvents)
    .leftJoin(users, eq(users.id, inboundCallEvents.agentId))
    .where(eq(inboundCallEvents.inboundCallId, inboundCallId))
    .orderBy(asc(inboundCallEvents.id));
}
