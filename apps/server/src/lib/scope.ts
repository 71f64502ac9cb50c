import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { teamMembers } from '../db/schema';
import { hasRole } from './guard';
import type { Role } from '@engage/contracts';

/**
 * The teams a manager may manage: those they lead. An admin manages every team (null = all).
 * Every manager query about teams, campaigns, calls, appointments and the floor is scoped by it.
 */
export async function managedTeamIds(db: DbOrTx, user: { id: number; role: Role }): Promise<number[] | null> {
  if (hasRole(user, 'admin')) return null;
  const rows = await db
    .select({ teamId: teamMembers.teamId })
    .from(teamMembers)
    .where(and(eq(teamMembers.userId, user.id), eq(teamMembers.isLeader, true)));
  return rows.map((r) => r.teamId);
}
