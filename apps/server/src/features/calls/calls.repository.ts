import { and, desc, eq, gte, inArray, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { auditLog, calls, campaignTeams, campaigns, donors, endReasons, teams, users } from '../../db/schema';

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
  return db
    .select({
      id: calls.id,
      direction: calls.direction,
      agentId: calls.agentId,
      agentName: users.name,
      donorId: donors.id, // inner join: an inbound call with no donor yet is not listed here
      donorName: sql<string>`trim(${donors.firstName} || ' ' || ${donors.lastName})`,
      donorReference: donors.reference,
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
      corrected: sql<boolean>`EXISTS (SELECT 1 FROM ${auditLog}
        WHERE ${auditLog.entityType} = 'call' AND ${auditLog.entityId} = ${calls.id})`,
    })
    .from(calls)
    .innerJoin(users, eq(users.id, calls.agentId))
    .innerJoin(donors, eq(donors.id, calls.donorId))
    .leftJoin(campaigns, eq(campaigns.id, calls.campaignId))
    .leftJoin(teams, eq(teams.id, calls.teamId))
    .leftJoin(endReasons, eq(endReasons.id, calls.endReasonId));
}

export type ManagerCallRow = Awaited<ReturnType<typeof listCalls>>[number];

export interface CallFilter {
  teamIds: number[] | null;
  campaignId: number | null;
  teamId: number | null;
  agentId: number | null;
  endReasonId: number | null;
  direction: 'outbound' | 'inbound' | null;
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
