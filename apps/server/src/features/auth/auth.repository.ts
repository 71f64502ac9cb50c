import { and, eq, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { loginAttempts, sessions, users } from '../../db/schema';

export type UserRow = typeof users.$inferSelect;

export function findUserByEmail(db: DbOrTx, email: string): Promise<UserRow | undefined> {
  return db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email})`)
    .limit(1)
    .then((r) => r[0]);
}

export function findUserById(db: DbOrTx, id: number): Promise<UserRow | undefined> {
  return db
    .select()
    .from(users)
    .where(eq(users.id, id))
    .limit(1)
    .then((r) => r[0]);
}

/** The user's own new password: nothing left to change. */
export async function setOwnPassword(db: DbOrTx, userId: number, passwordHash: string, now: Date): Promise<void> {
  await db.update(users).set({ passwordHash, mustChangePassword: false, updatedAt: now }).where(eq(users.id, userId));
}

/** Ends every session of a user but one: their next request answers 401. */
export async function deleteOtherSessions(db: DbOrTx, userId: number, keepTokenHash: string): Promise<number> {
  const r = await db.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.tokenHash, keepTokenHash)));
  return r.rowCount ?? 0;
}

export async function insertSession(
  db: DbOrTx,
  row: { tokenHash: string; userId: number; now: Date; expiresAt: Date; ip: string | null; userAgent: string | null },
): Promise<void> {
  await db.insert(sessions).values({
    tokenHash: row.tokenHash,
    userId: row.userId,
    createdAt: row.now,
    lastSeenAt: row.now,
    expiresAt: row.expiresAt,
    ip: row.ip,
    userAgent: row.userAgent,
  });
}

/** The one lookup every authenticated request makes (primary key). */
export function findSessionWithUser(db: DbOrTx, tokenHash: string) {
  return db
    .select({
      tokenHash: sessions.tokenHash,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      user: {
        id: users.id,
        email: users.email,
        name: users.name,
        role: users.role,
        mustChangePassword: users.mustChangePassword,
        disabledAt: users.disabledAt,
      },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.tokenHash, tokenHash))
    .limit(1)
    .then((r) => r[0]);
}

export async function touchSession(db: DbOrTx, tokenHash: string, now: Date): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteSession(db: DbOrTx, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteSessionsOfUser(db: DbOrTx, userId: number): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

export async function deleteExpiredSessions(db: DbOrTx, now: Date, idleCutoff: Date): Promise<number> {
  const res = await db
    .delete(sessions)
    .where(sql`${sessions.expiresAt} <= ${now} or ${sessions.lastSeenAt} <= ${idleCutoff}`);
  return res.rowCount ?? 0;
}

/**
 * Counts one more on a key in one statement and answers the count, window included: the fixed
 * window restarts once it is older than the cutoff. For an account this runs before the password
 * is checked (the attempt is reserved), so parallel guesses cannot all read a count below the
 * limit; a successful sign-in then clears it.
 */
export async function countAttempt(
  db: DbOrTx,
  key: string,
  now: Date,
  windowStartAfter: Date,
): Promise<{ failures: number; windowStart: Date }> {
  const [row] = await db
    .insert(loginAttempts)
    .values({ key, windowStart: now, failures: 1 })
    .onConflictDoUpdate({
      target: loginAttempts.key,
      set: {
        failures: sql`case when ${loginAttempts.windowStart} > ${windowStartAfter} then ${loginAttempts.failures} + 1 else 1 end`,
        windowStart: sql`case when ${loginAttempts.windowStart} > ${windowStartAfter} then ${loginAttempts.windowStart} else excluded.window_start end`,
      },
    })
    .returning({ failures: loginAttempts.failures, windowStart: loginAttempts.windowStart });
  return row!;
}

/** Failures counted on a key in the current window (0 when its window has passed). */
export async function recentFailures(db: DbOrTx, key: string, windowStartAfter: Date): Promise<number> {
  const [row] = await db
    .select({ failures: loginAttempts.failures })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.key, key), sql`${loginAttempts.windowStart} > ${windowStartAfter}`));
  return row?.failures ?? 0;
}

export async function clearFailures(db: DbOrTx, key: string): Promise<void> {
  await db.delete(loginAttempts).where(eq(loginAttempts.key, key));
}
