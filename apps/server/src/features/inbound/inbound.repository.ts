import { and, asc, count, desc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { OfferInboundCallAnswer } from '@engage/contracts';
import type { DbOrTx } from '../../db/client';
import {
  campaigns,
  inboundCallEvents,
  inboundCalls,
  inboundLineTeams,
  inboundLines,
  phoneSystemTokens,
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
export function listLines(db: DbOrTx, teamScope: number[] | null) {
  return db
    .select(lineColumns)
    .from(inboundLines)
    .innerJoin(campaigns, eq(campaigns.id, inboundLines.campaignId))
    .where(
      teamScope === null
        ? undefined
        : inArray(
            inboundLines.id,
            db
              .select({ id: inboundLineTeams.lineId })
              .from(inboundLineTeams)
              .where(inArray(inboundLineTeams.teamId, teamScope.length ? teamScope : [-1])),
          ),
    )
    .orderBy(asc(inboundLines.name), asc(inboundLines.id));
}
export type LineRow = Awaited<ReturnType<typeof listLines>>[number];

export function findLine(db: DbOrTx, id: number, opts: { lock?: boolean } = {}) {
  const q = db
    .select(lineColumns)
    .from(inboundLines)
    .innerJoin(campaigns, eq(campaigns.id, inboundLines.campaignId))
    .where(eq(inboundLines.id, id));
  return (opts.lock ? q.for('update', { of: inboundLines }) : q).then((r) => r[0]);
}

/** The line callers reach on this E.164 number, locked: offers to one line queue one at a time. */
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
    .for('update')
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
 * and purpose, or made (a draft with no team and no list: the dialer never offers from it).
 * Answers null when another kind of campaign already has the name.
 */
export async function generalEnquiriesCampaign(
  db: DbOrTx,
): Promise<{ id: number; name: string; created: boolean } | null> {
  const made = await db
    .insert(campaigns)
    .values({ name: GENERAL_ENQUIRIES, purpose: 'inbound_line', status: 'draft' })
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
