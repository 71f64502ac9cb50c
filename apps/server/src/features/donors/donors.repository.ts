import type { DonorDetails } from '@engage/contracts';
import { and, desc, eq, exists, isNull, or, sql, type SQL } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import { readTimestamp, type DbOrTx } from '../../db/client';
import {
  appointments,
  calls,
  campaignDonors,
  campaigns,
  campaignTeams,
  donations,
  donorNotes,
  donors,
  endReasons,
  listMembers,
  lists,
  payments,
  sponsorships,
  teamMembers,
  users,
} from '../../db/schema';
import { donorColumns } from './donor-columns';
import { donorReach, type DonorReacher } from './donor-reach';
import type { DonorSearchCriteria } from './donors.search';

export async function findDonor(tx: DbOrTx, id: number, opts: { forUpdate?: boolean } = {}) {
  const q = tx.select(donorColumns).from(donors).where(eq(donors.id, id));
  const rows = opts.forUpdate ? await q.for('update') : await q;
  return rows[0] ?? null;
}

export type DonorRow = NonNullable<Awaited<ReturnType<typeof findDonor>>>;

/** The editable columns of a donor. */
export type DonorChanges = Partial<Omit<DonorRow, 'id' | 'reference'>>;

export async function updateDonor(tx: DbOrTx, id: number, changes: DonorChanges, now: Date): Promise<void> {
  if (Object.values(changes).every((v) => v === undefined)) return;
  await tx
    .update(donors)
    .set({ ...changes, updatedAt: now })
    .where(eq(donors.id, id));
}

export async function listsOfDonor(tx: DbOrTx, donorId: number) {
  return tx
    .select({ id: lists.id, name: lists.name })
    .from(listMembers)
    .innerJoin(lists, eq(lists.id, listMembers.listId))
    .where(eq(listMembers.donorId, donorId))
    .orderBy(lists.name);
}

/**
 * The condition of a donor search over `donors`. The name legs use the trigram index on
 * f_unaccent(lower(first_name || ' ' || last_name)) (migration 0004); reference, phone and email
 * use their own indexes.
 */
export function searchWhere(c: DonorSearchCriteria): SQL {
  if (c.all) return sql`true`;
  const legs: SQL[] = [];
  const name = sql`f_unaccent(lower(${donors.firstName} || ' ' || ${donors.lastName}))`;
  // ILIKE and ~*, not LIKE and ~: under the C locale lower() leaves capitals like "Á" as they are
  // (f_unaccent then makes them "A"), so the comparison must also ignore ASCII case. Both are
  // answered by the trigram index.
  if (c.nameLike !== null) legs.push(sql`${name} ILIKE f_unaccent(lower(${c.nameLike}::text))`);
  if (c.nameRegex !== null) legs.push(sql`${name} ~* f_unaccent(lower(${c.nameRegex}::text))`);
  if (c.reference !== null) legs.push(sql`lower(${donors.reference}) = lower(${c.reference}::text)`);
  if (c.phone !== null) {
    legs.push(eq(donors.phone, c.phone), eq(donors.altPhone, c.phone));
  }
  if (c.email !== null) legs.push(sql`lower(${donors.email}) = lower(${c.email}::text)`);
  return sql`(${sql.join(legs, sql` OR `)})`;
}

const summaryColumns = {
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
};

/** The reach condition of a search over `donors`: an empty search asks it of every donor. */
function reach(actor: DonorReacher, criteria: DonorSearchCriteria): SQL {
  return donorReach(actor, donors.id, { form: criteria.all ? 'set' : 'probe' });
}

/** The filters beside the search box; null: any. */
export interface DonorSearchFilters {
  country: string | null;
  doNotCall: boolean | null;
  deceased: boolean | null;
  listId: number | null;
  /** The donor's last gift in [lastGiftFrom, lastGiftTo). */
  lastGiftFrom: Date | null;
  lastGiftTo: Date | null;
}

/** The filters as a condition over `donors`. */
export function filterWhere(f: DonorSearchFilters): SQL {
  const terms: SQL[] = [];
  if (f.country !== null) terms.push(eq(donors.country, f.country));
  if (f.doNotCall !== null) terms.push(eq(donors.doNotCall, f.doNotCall));
  if (f.deceased !== null) terms.push(eq(donors.deceased, f.deceased));
  if (f.listId !== null) {
    terms.push(
      sql`EXISTS (SELECT 1 FROM ${listMembers} WHERE ${listMembers.listId} = ${f.listId}::int AND ${listMembers.donorId} = ${donors.id})`,
    );
  }
  if (f.lastGiftFrom !== null || f.lastGiftTo !== null) {
    // The newest gift, read backwards from donations_donor_id_idx (donor_id, donated_at).
    const lastGift = sql`(SELECT max(${donations.donatedAt}) FROM ${donations} WHERE ${donations.donorId} = ${donors.id})`;
    if (f.lastGiftFrom !== null) terms.push(sql`${lastGift} >= ${f.lastGiftFrom}::timestamptz`);
    if (f.lastGiftTo !== null) terms.push(sql`${lastGift} < ${f.lastGiftTo}::timestamptz`);
  }
  return terms.length === 0 ? sql`true` : sql.join(terms, sql` AND `);
}

/**
 * The order of a search's results: by family name then given name in the donor_name collation
 * (ICU, punctuation and spaces ignored: "'t Hart" files under T, "van Dijk" under V, "Ångström"
 * beside "Angstrom", "de la Cruz" and "De La Cruz" together; migration 0014), then id. The index
 * donors_name_order_idx has these same keys, so every donor in order is read from it a page at a time.
 */
export const NAME_ORDER = sql`${donors.lastName} COLLATE donor_name, ${donors.firstName} COLLATE donor_name, ${donors.id}`;

/**
 * One page of a donor search among the donors the user's work reaches (donor-reach.ts): exact
 * reference matches first, then by name (NAME_ORDER).
 */
export async function searchDonors(
  tx: DbOrTx,
  actor: DonorReacher,
  criteria: DonorSearchCriteria,
  filters: DonorSearchFilters,
  limit: number,
  offset: number,
) {
  const where = sql`${searchWhere(criteria)} AND ${filterWhere(filters)} AND ${reach(actor, criteria)}`;
  // An empty search has no reference to put first: the order is the index's own.
  const order =
    criteria.reference === null
      ? [NAME_ORDER]
      : [sql`(lower(${donors.reference}) = lower(${criteria.reference}::text)) DESC`, NAME_ORDER];
  const rows = await tx
    .select(summaryColumns)
    .from(donors)
    .where(where)
    .orderBy(...order)
    .limit(limit)
    .offset(offset);
  const count = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(donors)
    .where(where);
  return { rows, total: count[0]?.n ?? 0 };
}

export type DonorSummaryRow = Awaited<ReturnType<typeof searchDonors>>['rows'][number];

/**
 * Donors whose main or other phone is this E.164 number, by name, at most `limit` (the caller
 * matching of inbound calls). Answered by donors_phone_idx and donors_alt_phone_idx (a BitmapOr),
 * never a scan of the donors.
 */
export function donorsByPhone(db: DbOrTx, e164: string, limit: number) {
  return db
    .select(summaryColumns)
    .from(donors)
    .where(or(eq(donors.phone, e164), eq(donors.altPhone, e164)))
    .orderBy(NAME_ORDER)
    .limit(limit);
}

/**
 * Adds every donor a search finds among those the user's work reaches to a list, in one
 * statement; answers how many were added.
 */
export async function addSearchMatchesToList(
  tx: DbOrTx,
  actor: DonorReacher,
  criteria: DonorSearchCriteria,
  listId: number,
  now: Date,
): Promise<number> {
  const r = await tx
    .insert(listMembers)
    .select(
      tx
        .select({
          listId: sql<number>`${listId}::int`.as('list_id'),
          donorId: donors.id,
          addedAt: sql<Date>`${now}::timestamptz`.as('added_at'),
        })
        .from(donors)
        .where(and(searchWhere(criteria), reach(actor, criteria))),
    )
    .onConflictDoNothing();
  return r.rowCount ?? 0;
}

/** Whether the user's work reaches this donor (donor-reach.ts: managers and administrators). */
export async function reachesDonor(tx: DbOrTx, actor: DonorReacher, donorId: number): Promise<boolean> {
  const r = await tx
    .select({ id: donors.id })
    .from(donors)
    .where(and(eq(donors.id, donorId), donorReach(actor, donors.id)));
  return r.length > 0;
}

/**
 * Whether an agent's work reaches this donor: a campaign of one of their teams holds the donor,
 * or they are on a call with the donor (an inbound call can come from anyone).
 */
export async function agentReachesDonor(tx: DbOrTx, agentId: number, donorId: number): Promise<boolean> {
  const donor = sql.placeholder('donorId');
  const agent = sql.placeholder('agentId');
  const onCall = tx
    .select({ one: sql`1` })
    .from(calls)
    .where(and(eq(calls.donorId, donor), eq(calls.agentId, agent), isNull(calls.endedAt)));
  const inTeamCampaign = tx
    .select({ one: sql`1` })
    .from(campaignDonors)
    .innerJoin(campaignTeams, eq(campaignTeams.campaignId, campaignDonors.campaignId))
    .innerJoin(teamMembers, eq(teamMembers.teamId, campaignTeams.teamId))
    .where(and(eq(campaignDonors.donorId, donor), eq(teamMembers.userId, agent)));
  const r = await tx
    .select({ id: donors.id })
    .from(donors)
    .where(and(eq(donors.id, donor), or(exists(onCall), exists(inTeamCampaign))))
    .prepare('donors_agent_reaches')
    .execute({ agentId, donorId });
  return r.length > 0;
}

const callColumns = { id: calls.id, donorId: calls.donorId, agentId: calls.agentId, endedAt: calls.endedAt };

/** A call a donation may be recorded on: whose it is, with whom, and whether it has ended. */
export async function findCall(tx: DbOrTx, callId: number) {
  const r = await tx.select(callColumns).from(calls).where(eq(calls.id, callId));
  return r[0] ?? null;
}

export type DonationCallRow = NonNullable<Awaited<ReturnType<typeof findCall>>>;

/** The agent's latest call with the donor (the open one, if any: an agent has one at a time). */
export async function latestCallOf(tx: DbOrTx, agentId: number, donorId: number): Promise<DonationCallRow | null> {
  const r = await tx
    .select(callColumns)
    .from(calls)
    .where(and(eq(calls.donorId, donorId), eq(calls.agentId, agentId)))
    .orderBy(desc(calls.startedAt), desc(calls.id))
    .limit(1);
  return r[0] ?? null;
}

const donationColumns = {
  id: donations.id,
  amountMinor: donations.amountMinor,
  currency: donations.currency,
  purpose: donations.purpose,
  method: donations.method,
  frequency: donations.frequency,
  paymentReference: donations.paymentReference,
  callId: donations.callId,
  donatedAt: donations.donatedAt,
};

export async function donationsOf(tx: DbOrTx, donorId: number, limit: number) {
  return tx
    .select(donationColumns)
    .from(donations)
    .where(eq(donations.donorId, donorId))
    .orderBy(desc(donations.donatedAt), desc(donations.id))
    .limit(limit);
}

export type DonationRow = Awaited<ReturnType<typeof donationsOf>>[number];

export async function insertDonation(tx: DbOrTx, v: typeof donations.$inferInsert): Promise<DonationRow> {
  const r = await tx.insert(donations).values(v).returning(donationColumns);
  return r[0]!;
}

export async function sponsorshipsOf(tx: DbOrTx, donorId: number) {
  return tx
    .select({
      id: sponsorships.id,
      subject: sponsorships.subject,
      amountMinor: sponsorships.amountMinor,
      currency: sponsorships.currency,
      frequency: sponsorships.frequency,
      status: sponsorships.status,
      startedOn: sponsorships.startedOn,
    })
    .from(sponsorships)
    .where(eq(sponsorships.donorId, donorId))
    .orderBy(sql`(${sponsorships.status} = 'active') DESC`, desc(sponsorships.startedOn));
}

export async function paymentsOf(tx: DbOrTx, donorId: number, limit: number) {
  return tx
    .select({
      id: payments.id,
      amountMinor: payments.amountMinor,
      currency: payments.currency,
      method: payments.method,
      status: payments.status,
      failureReason: payments.failureReason,
      dueOn: payments.dueOn,
      resolution: payments.resolution,
    })
    .from(payments)
    .where(eq(payments.donorId, donorId))
    .orderBy(desc(payments.dueOn), desc(payments.id))
    .limit(limit);
}

type TimelineKind = DonorDetails['timeline'][number]['kind'];

/** Calls, call-backs, notes and gifts of a donor, newest first. */
export async function timelineOf(tx: DbOrTx, donorId: number, limit: number) {
  const callsOf = tx
    .select({
      kind: sql<TimelineKind>`'call'`.as('kind'),
      at: sql<Date>`${calls.startedAt}`.mapWith(readTimestamp).as('at'),
      title: sql<string>`'Call by ' || ${users.name} || COALESCE(' – ' || ${endReasons.name}, ' – in progress')`.as(
        'title',
      ),
      detail:
        sql<string>`COALESCE(${campaigns.name}, 'No campaign') || CASE WHEN ${calls.notes} <> '' THEN ': ' || ${calls.notes} ELSE '' END`.as(
          'detail',
        ),
    })
    .from(calls)
    .innerJoin(users, eq(users.id, calls.agentId))
    .leftJoin(endReasons, eq(endReasons.id, calls.endReasonId))
    .leftJoin(campaigns, eq(campaigns.id, calls.campaignId))
    .where(eq(calls.donorId, donorId))
    .orderBy(desc(calls.startedAt))
    .limit(limit);
  const callBacks = tx
    .select({
      kind: sql<TimelineKind>`'appointment'`,
      at: sql<Date>`${appointments.scheduledAt}`,
      title: sql<string>`'Call-back ' || ${appointments.status}::text`,
      detail: sql<string>`${campaigns.name} || CASE WHEN ${appointments.notes} <> '' THEN ': ' || ${appointments.notes} ELSE '' END`,
    })
    .from(appointments)
    .innerJoin(campaigns, eq(campaigns.id, appointments.campaignId))
    .where(eq(appointments.donorId, donorId))
    .orderBy(desc(appointments.scheduledAt))
    .limit(limit);
  const notes = tx
    .select({
      kind: sql<TimelineKind>`'note'`,
      at: sql<Date>`${donorNotes.createdAt}`,
      title: sql<string>`'Note' || COALESCE(' by ' || ${users.name}, '')`,
      detail: donorNotes.body,
    })
    .from(donorNotes)
    .leftJoin(users, eq(users.id, donorNotes.authorId))
    .where(eq(donorNotes.donorId, donorId))
    .orderBy(desc(donorNotes.createdAt))
    .limit(limit);
  return unionAll(callsOf, callBacks, notes)
    .orderBy(sql`at DESC`)
    .limit(limit);
}

export type TimelineRow = Awaited<ReturnType<typeof timelineOf>>[number];

/** One donor as a summary (the inbound caller panel's link), or null. */
export async function donorSummaryById(db: DbOrTx, id: number) {
  const r = await db.select(summaryColumns).from(donors).where(eq(donors.id, id));
  return r[0] ?? null;
}

/**
 * Donors a search finds among every donor, reference matches first, then by name (an inbound
 * caller can be any donor of the organisation); at most `limit`.
 */
export function findDonorsAnywhere(db: DbOrTx, criteria: DonorSearchCriteria, limit: number) {
  return db
    .select(summaryColumns)
    .from(donors)
    .where(searchWhere(criteria))
    .orderBy(
      ...(criteria.reference === null
        ? [NAME_ORDER]
        : [sql`(lower(${donors.reference}) = lower(${criteria.reference}::text)) DESC`, NAME_ORDER]),
    )
    .limit(limit);
}

/** A new donor (made from an inbound call by the agent taking it). */
export async function insertDonor(db: DbOrTx, v: typeof donors.$inferInsert) {
  const [row] = await db.insert(donors).values(v).returning(summaryColumns);
  return row!;
}
