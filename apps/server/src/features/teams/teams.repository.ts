import { and, asc, desc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { campaignTeams, campaigns, teamMembers, teams, users } from '../../db/schema';

export type TeamRow = Pick<typeof teams.$inferSelect, 'id' | 'name' | 'createdAt'>;

/** Teams by name; `ids` null means all of them. */
export function listTeams(db: DbOrTx, ids: number[] | null): Promise<TeamRow[]> {
  return db
    .select({ id: teams.id, name: teams.name, createdAt: teams.createdAt })
    .from(teams)
    .where(ids === null ? undefined : inArray(teams.id, ids.length ? ids : [-1]))
    .orderBy(asc(teams.name), asc(teams.id));
}

/** The team's row, locked until the transaction ends. */
export function lockTeam(db: DbOrTx, id: number): Promise<TeamRow | undefined> {
  return db
    .select({ id: teams.id, name: teams.name, createdAt: teams.createdAt })
    .from(teams)
    .where(eq(teams.id, id))
    .for('update')
    .then((r) => r[0]);
}

export function findTeamIdByName(db: DbOrTx, name: string, exceptId?: number): Promise<number | undefined> {
  return db
    .select({ id: teams.id })
    .from(teams)
    .where(
      exceptId === undefined
        ? sql`lower(${teams.name}) = lower(${name})`
        : sql`lower(${teams.name}) = lower(${name}) and ${teams.id} <> ${exceptId}`,
    )
    .then((r) => r[0]?.id);
}

export function insertTeam(db: DbOrTx, name: string): Promise<TeamRow> {
  return db
    .insert(teams)
    .values({ name })
    .returning({ id: teams.id, name: teams.name, createdAt: teams.createdAt })
    .then((r) => r[0]!);
}

export async function renameTeam(db: DbOrTx, id: number, name: string): Promise<void> {
  await db.update(teams).set({ name }).where(eq(teams.id, id));
}

export type MemberRow = Pick<typeof teamMembers.$inferSelect, 'teamId' | 'userId' | 'isLeader'> &
  Pick<typeof users.$inferSelect, 'name' | 'email' | 'role' | 'disabledAt'>;

/** Members of the teams, leaders first, then by name. */
export function membersOf(db: DbOrTx, teamIds: number[]): Promise<MemberRow[]> {
  if (teamIds.length === 0) return Promise.resolve([]);
  return db
    .select({
      teamId: teamMembers.teamId,
      userId: teamMembers.userId,
      name: users.name,
      email: users.email,
      role: users.role,
      isLeader: teamMembers.isLeader,
      disabledAt: users.disabledAt,
    })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(inArray(teamMembers.teamId, teamIds))
    .orderBy(desc(teamMembers.isLeader), asc(users.name), asc(users.id));
}

/** The campaigns the teams work. */
export function campaignsOf(db: DbOrTx, teamIds: number[]) {
  if (teamIds.length === 0) return Promise.resolve([]);
  return db
    .select({
      teamId: campaignTeams.teamId,
      id: campaigns.id,
      name: campaigns.name,
      status: campaigns.status,
    })
    .from(campaignTeams)
    .innerJoin(campaigns, eq(campaigns.id, campaignTeams.campaignId))
    .where(inArray(campaignTeams.teamId, teamIds))
    .orderBy(asc(campaigns.name));
}

export function findMember(db: DbOrTx, teamId: number, userId: number) {
  return db
    .select({ isLeader: teamMembers.isLeader })
    .from(teamMembers)
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)))
    .then((r) => r[0]);
}

/** Adds a member; false when they already were one. */
export async function insertMember(
  db: DbOrTx,
  row: { teamId: number; userId: number; isLeader: boolean },
): Promise<boolean> {
  const r = await db.insert(teamMembers).values(row).onConflictDoNothing().returning({ userId: teamMembers.userId });
  return r.length > 0;
}

export async function deleteMember(db: DbOrTx, teamId: number, userId: number): Promise<void> {
  await db.delete(teamMembers).where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)));
}

export async function setLeader(db: DbOrTx, teamId: number, userId: number, isLeader: boolean): Promise<void> {
  await db
    .update(teamMembers)
    .set({ isLeader })
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)));
}

/** Every membership of the users, with the team's name. */
export function membershipsOfUsers(db: DbOrTx, userIds: number[] | null) {
  return db
    .select({ userId: teamMembers.userId, teamId: teams.id, teamName: teams.name, isLeader: teamMembers.isLeader })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(userIds === null ? undefined : inArray(teamMembers.userId, userIds.length ? userIds : [-1]))
    .orderBy(asc(teams.name));
}

export function existingTeams(db: DbOrTx, ids: number[]): Promise<{ id: number; name: string }[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.select({ id: teams.id, name: teams.name }).from(teams).where(inArray(teams.id, ids));
}

/** Takes the user out of every team not in `keep`. */
export async function deleteMembershipsExcept(db: DbOrTx, userId: number, keep: number[]): Promise<void> {
  await db
    .delete(teamMembers)
    .where(
      keep.length
        ? and(eq(teamMembers.userId, userId), notInArray(teamMembers.teamId, keep))
        : eq(teamMembers.userId, userId),
    );
}

/** Adds the user to the teams as a member (teams they are in already stay as they are). */
export async function insertMemberships(db: DbOrTx, userId: number, teamIds: number[]): Promise<void> {
  if (teamIds.length === 0) return;
  await db
    .insert(teamMembers)
    .values(teamIds.map((teamId) => ({ teamId, userId, isLeader: false })))
    .onConflictDoNothing();
}

/** The users, for checking who may join a team. */
export function findUsers(db: DbOrTx, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select({ id: users.id, name: users.name, role: users.role, disabledAt: users.disabledAt })
    .from(users)
    .where(inArray(users.id, ids));
}
