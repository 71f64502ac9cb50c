import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { CampaignPurpose, CampaignStatus, WeekdayHours } from '@engage/contracts';
import type { DbOrTx } from '../../db/client';
import {
  campaignDonors,
  campaignLists,
  campaignTeams,
  campaigns,
  listMembers,
  lists,
  shifts,
  teams,
} from '../../db/schema';

export type CampaignRow = typeof campaigns.$inferSelect;

export interface CampaignValues {
  name: string;
  purpose: CampaignPurpose;
  status: CampaignStatus;
  startsOn: string | null;
  endsOn: string | null;
  callingHoursStart: string;
  callingHoursEnd: string;
  weekdayHours: WeekdayHours;
  closedDates: string[];
  maxAttempts: number;
  holdSeconds: number;
  appointmentGraceMinutes: number;
  script: string;
}

/** Campaigns worked by at least one of `teamIds` (null: every campaign), newest changes first. */
export function listCampaigns(db: DbOrTx, teamIds: number[] | null, status: CampaignStatus | undefined) {
  return db
    .select({
      id: campaigns.id,
      name: campaigns.name,
      purpose: campaigns.purpose,
      status: campaigns.status,
      startsOn: campaigns.startsOn,
      endsOn: campaigns.endsOn,
      updatedAt: campaigns.updatedAt,
      listCount:
        sql<number>`(select count(*) from ${campaignLists} where ${campaignLists.campaignId} = ${campaigns.id})`.mapWith(
          Number,
        ),
      donorCount:
        sql<number>`(select count(*) from ${campaignDonors} where ${campaignDonors.campaignId} = ${campaigns.id})`.mapWith(
          Number,
        ),
    })
    .from(campaigns)
    .where(
      and(
        status === undefined ? undefined : eq(campaigns.status, status),
        teamIds === null
          ? undefined
          : sql`exists (select 1 from ${campaignTeams} where ${campaignTeams.campaignId} = ${campaigns.id}
                          and ${inArray(campaignTeams.teamId, teamIds.length ? teamIds : [-1])})`,
      ),
    )
    .orderBy(asc(campaigns.name), asc(campaigns.id));
}

export function findCampaign(db: DbOrTx, id: number): Promise<CampaignRow | undefined> {
  return db
    .select()
    .from(campaigns)
    .where(eq(campaigns.id, id))
    .then((r) => r[0]);
}

/** The campaign's row, locked until the transaction ends: changes to one campaign take turns. */
/**
 * How many agents work the campaign now: open shifts on it that are ready, previewing, on a call or
 * on a break (out of data and not-yet-ready shifts are not calling). Read through the open-shift index.
 */
export async function countAgentsCalling(db: DbOrTx, campaignId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(shifts)
    .where(
      and(
        sql`${shifts.closedAt} is null`,
        eq(shifts.campaignId, campaignId),
        inArray(shifts.state, ['ready', 'previewing', 'on_call', 'on_break']),
      ),
    );
  return row?.n ?? 0;
}

export function lockCampaign(db: DbOrTx, id: number): Promise<CampaignRow | undefined> {
  return db
    .select()
    .from(campaigns)
    .where(eq(campaigns.id, id))
    .for('update')
    .then((r) => r[0]);
}

export function findCampaignIdByName(db: DbOrTx, name: string, exceptId?: number): Promise<number | undefined> {
  return db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(
      exceptId === undefined
        ? sql`lower(${campaigns.name}) = lower(${name})`
        : sql`lower(${campaigns.name}) = lower(${name}) and ${campaigns.id} <> ${exceptId}`,
    )
    .then((r) => r[0]?.id);
}

export function insertCampaign(db: DbOrTx, values: CampaignValues, now: Date): Promise<number> {
  return db
    .insert(campaigns)
    .values({ ...values, createdAt: now, updatedAt: now })
    .returning({ id: campaigns.id })
    .then((r) => r[0]!.id);
}

export async function updateCampaign(db: DbOrTx, id: number, values: Partial<CampaignValues>, now: Date) {
  await db
    .update(campaigns)
    .set({ ...values, updatedAt: now })
    .where(eq(campaigns.id, id));
}

/** The teams working the campaigns, by name. */
export function teamsOfCampaigns(db: DbOrTx, campaignIds: number[]) {
  if (campaignIds.length === 0) return Promise.resolve([]);
  return db
    .select({ campaignId: campaignTeams.campaignId, id: teams.id, name: teams.name })
    .from(campaignTeams)
    .innerJoin(teams, eq(teams.id, campaignTeams.teamId))
    .where(inArray(campaignTeams.campaignId, campaignIds))
    .orderBy(asc(teams.name), asc(teams.id));
}

export function existingTeams(db: DbOrTx, ids: number[]): Promise<{ id: number; name: string }[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.select({ id: teams.id, name: teams.name }).from(teams).where(inArray(teams.id, ids));
}

/** Makes exactly `teamIds` work the campaign. */
export async function setCampaignTeams(db: DbOrTx, campaignId: number, teamIds: number[]): Promise<void> {
  await db
    .delete(campaignTeams)
    .where(
      teamIds.length
        ? and(eq(campaignTeams.campaignId, campaignId), notInArray(campaignTeams.teamId, teamIds))
        : eq(campaignTeams.campaignId, campaignId),
    );
  if (teamIds.length) {
    await db
      .insert(campaignTeams)
      .values(teamIds.map((teamId) => ({ campaignId, teamId })))
      .onConflictDoNothing();
  }
}

/** The lists connected to a campaign, by priority, with how many donors each holds. */
export function listsOfCampaign(db: DbOrTx, campaignId: number) {
  return db
    .select({
      listId: campaignLists.listId,
      name: lists.name,
      priority: campaignLists.priority,
      donorCount:
        sql<number>`(select count(*) from ${listMembers} where ${listMembers.listId} = ${campaignLists.listId})`.mapWith(
          Number,
        ),
    })
    .from(campaignLists)
    .innerJoin(lists, eq(lists.id, campaignLists.listId))
    .where(eq(campaignLists.campaignId, campaignId))
    .orderBy(asc(campaignLists.priority), asc(lists.name));
}

export function findList(db: DbOrTx, listId: number): Promise<{ id: number; name: string } | undefined> {
  return db
    .select({ id: lists.id, name: lists.name })
    .from(lists)
    .where(eq(lists.id, listId))
    .then((r) => r[0]);
}

export function findCampaignList(db: DbOrTx, campaignId: number, listId: number) {
  return db
    .select({ priority: campaignLists.priority, name: lists.name })
    .from(campaignLists)
    .innerJoin(lists, eq(lists.id, campaignLists.listId))
    .where(and(eq(campaignLists.campaignId, campaignId), eq(campaignLists.listId, listId)))
    .then((r) => r[0]);
}

/** Connects a list; false when it already was. */
export async function insertCampaignList(
  db: DbOrTx,
  row: { campaignId: number; listId: number; priority: number },
): Promise<boolean> {
  const r = await db
    .insert(campaignLists)
    .values(row)
    .onConflictDoNothing()
    .returning({ listId: campaignLists.listId });
  return r.length > 0;
}

export async function setCampaignListPriority(db: DbOrTx, campaignId: number, listId: number, priority: number) {
  await db
    .update(campaignLists)
    .set({ priority })
    .where(and(eq(campaignLists.campaignId, campaignId), eq(campaignLists.listId, listId)));
}

export async function deleteCampaignList(db: DbOrTx, campaignId: number, listId: number): Promise<void> {
  await db.delete(campaignLists).where(and(eq(campaignLists.campaignId, campaignId), eq(campaignLists.listId, listId)));
}

export function countCampaignLists(db: DbOrTx, campaignId: number): Promise<number> {
  return db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(campaignLists)
    .where(eq(campaignLists.campaignId, campaignId))
    .then((r) => r[0]?.n ?? 0);
}
