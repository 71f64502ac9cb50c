import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client';
import { campaignLists, campaigns, donors, listMembers, lists, users } from '../../db/schema';
import { donorColumns } from '../donors/donor-columns';
import { donorReach, type DonorReacher } from '../donors/donor-reach';

function selectLists(db: DbOrTx) {
  return db
    .select({
      id: lists.id,
      name: lists.name,
      description: lists.description,
      createdAt: lists.createdAt,
      createdByName: users.name,
      donorCount: sql<number>`(SELECT count(*)::int FROM ${listMembers} WHERE ${listMembers.listId} = ${lists.id})`,
      campaigns: sql<{ id: number; name: string; priority: number }[]>`COALESCE(
        (SELECT json_agg(json_build_object('id', ${campaigns.id}, 'name', ${campaigns.name}, 'priority', ${campaignLists.priority})
                         ORDER BY ${campaignLists.priority}, ${campaigns.name})
           FROM ${campaignLists} JOIN ${campaigns} ON ${campaigns.id} = ${campaignLists.campaignId}
          WHERE ${campaignLists.listId} = ${lists.id}), '[]'::json)`,
    })
    .from(lists)
    .leftJoin(users, eq(users.id, lists.createdBy));
}

export function listLists(db: DbOrTx) {
  return selectLists(db).orderBy(lists.name);
}

export type ListRow = Awaited<ReturnType<typeof listLists>>[number];

export async function findList(db: DbOrTx, id: number): Promise<ListRow | null> {
  const [row] = await selectLists(db).where(eq(lists.id, id));
  return row ?? null;
}

/**
 * How many of a list's donors have no number to call (as the list's donor count, the whole list).
 * A join the planner may drive from either side: the list's members (primary key) probing donors,
 * or the partial index of donors with no number (donors_uncallable_idx, usually few) probing the list.
 */
export async function countUncallableMembers(db: DbOrTx, listId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(listMembers)
    .innerJoin(donors, eq(donors.id, listMembers.donorId))
    .where(and(eq(listMembers.listId, listId), isNull(donors.callablePhone)));
  return row?.n ?? 0;
}

/** The list row, locked for the rest of the transaction (renames and fills take turns). */
export async function lockList(tx: Tx, id: number) {
  const [row] = await tx
    .select({ id: lists.id, name: lists.name, description: lists.description })
    .from(lists)
    .where(eq(lists.id, id))
    .for('update');
  return row ?? null;
}

export async function listIdByName(db: DbOrTx, name: string): Promise<number | null> {
  const [row] = await db
    .select({ id: lists.id })
    .from(lists)
    .where(sql`lower(${lists.name}) = lower(${name})`);
  return row?.id ?? null;
}

export async function insertList(
  tx: Tx,
  v: { name: string; description: string; createdBy: number; at: Date },
): Promise<number> {
  const [row] = await tx
    .insert(lists)
    .values({ name: v.name, description: v.description, createdBy: v.createdBy, createdAt: v.at })
    .returning({ id: lists.id });
  return row!.id;
}

export async function updateList(tx: Tx, id: number, v: { name: string; description: string }): Promise<void> {
  await tx.update(lists).set({ name: v.name, description: v.description }).where(eq(lists.id, id));
}

function memberPage(db: DbOrTx, actor: DonorReacher, listId: number, limit: number, offset: number) {
  return db
    .select({
      id: donors.id,
      reference: donors.reference,
      firstName: donors.firstName,
      lastName: donors.lastName,
      phone: donors.phone,
      email: donors.email,
      country: donors.country,
      timeZone: donors.timeZone,
      doNotCall: donors.doNotCall,
      deceased: donors.deceased,
      suppressed: donors.suppressed,
      addedAt: listMembers.addedAt,
    })
    .from(listMembers)
    .innerJoin(donors, eq(donors.id, listMembers.donorId))
    .where(and(eq(listMembers.listId, listId), donorReach(actor, listMembers.donorId)))
    .orderBy(desc(listMembers.addedAt), desc(donors.id))
    .limit(limit)
    .offset(offset);
}

export type MemberRow = Awaited<ReturnType<typeof memberPage>>[number];

/** A page of the list's donors that the user's work reaches (donor-reach.ts), most recently added first. */
export async function membersOf(
  db: DbOrTx,
  actor: DonorReacher,
  listId: number,
  limit: number,
  offset: number,
): Promise<{ rows: MemberRow[]; total: number }> {
  const rows = await memberPage(db, actor, listId, limit, offset);
  return { rows, total: await reachableMemberCount(db, actor, listId) };
}

/** How many of the list's donors the user's work reaches: what a page count or an export holds. */
export async function reachableMemberCount(db: DbOrTx, actor: DonorReacher, listId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(listMembers)
    .where(and(eq(listMembers.listId, listId), donorReach(actor, listMembers.donorId)));
  return row?.n ?? 0;
}

/**
 * One page of a list's donors for an export, by donor id after `afterId` (keyset paging): those
 * the user's work reaches (donor-reach.ts).
 */
export function exportPage(db: DbOrTx, actor: DonorReacher, listId: number, afterId: number, limit: number) {
  const { notes: _notes, ...exported } = donorColumns;
  return db
    .select(exported)
    .from(listMembers)
    .innerJoin(donors, eq(donors.id, listMembers.donorId))
    .where(
      and(eq(listMembers.listId, listId), gt(listMembers.donorId, afterId), donorReach(actor, listMembers.donorId)),
    )
    .orderBy(listMembers.donorId)
    .limit(limit);
}

export type ExportRow = Awaited<ReturnType<typeof exportPage>>[number];
