import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Role } from '@engage/contracts';
import type { DbOrTx } from '../../db/client';
import { sessions, users } from '../../db/schema';

/** The columns of a user anyone may read: never the password hash. */
const publicColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  disabledAt: users.disabledAt,
  createdAt: users.createdAt,
};
export type UserRow = Pick<typeof users.$inferSelect, keyof typeof publicColumns>;

export function listUsers(db: DbOrTx): Promise<UserRow[]> {
  return db.select(publicColumns).from(users).orderBy(asc(users.name), asc(users.id));
}

export function findUser(db: DbOrTx, id: number): Promise<UserRow | undefined> {
  return db
    .select(publicColumns)
    .from(users)
    .where(eq(users.id, id))
    .then((r) => r[0]);
}

/** The user's row, locked until the transaction ends (two admins editing one account take turns). */
export function lockUser(db: DbOrTx, id: number): Promise<UserRow | undefined> {
  return db
    .select(publicColumns)
    .from(users)
    .where(eq(users.id, id))
    .for('update')
    .then((r) => r[0]);
}

/**
 * The ids of the active administrators, locked: the last-admin rule holds even when two admins
 * disable or demote each other at the same moment.
 */
export function lockActiveAdminIds(db: DbOrTx): Promise<number[]> {
  return db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), isNull(users.disabledAt)))
    .orderBy(asc(users.id))
    .for('update')
    .then((r) => r.map((x) => x.id));
}

export function insertUser(
  db: DbOrTx,
  row: { email: string; name: string; role: Role; passwordHash: string; mustChangePassword: boolean },
) {
  return db
    .insert(users)
    .values(row)
    .returning({ id: users.id, email: users.email, name: users.name, role: users.role })
    .then((r) => r[0]!);
}

export function findUserIdByEmail(db: DbOrTx, email: string, exceptId?: number): Promise<number | undefined> {
  return db
    .select({ id: users.id })
    .from(users)
    .where(
      exceptId === undefined
        ? sql`lower(${users.email}) = lower(${email})`
        : sql`lower(${users.email}) = lower(${email}) and ${users.id} <> ${exceptId}`,
    )
    .then((r) => r[0]?.id);
}

export async function updateUser(
  db: DbOrTx,
  id: number,
  patch: { email?: string; name?: string; role?: Role; disabledAt?: Date | null },
  now: Date,
): Promise<void> {
  await db
    .update(users)
    .set({ ...patch, updatedAt: now })
    .where(eq(users.id, id));
}

/** An administrator's new password: the user must choose their own at next sign-in. */
export async function setPasswordHash(db: DbOrTx, id: number, passwordHash: string, now = new Date()): Promise<void> {
  await db.update(users).set({ passwordHash, mustChangePassword: true, updatedAt: now }).where(eq(users.id, id));
}

/** Ends every session of a user: their next request answers 401. */
export async function deleteSessionsOf(db: DbOrTx, userId: number): Promise<number> {
  const r = await db.delete(sessions).where(eq(sessions.userId, userId));
  return r.rowCount ?? 0;
}
