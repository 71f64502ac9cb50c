import { and, eq, inArray, sql } from 'drizzle-orm';
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

/** Failures counted in the current window for each key (keys with an expired window count 0). */
export async function countRecentFailures(
  db: DbOrTx,
  keys: string[],
  windowStartAfter: Date,
): Promise<Map<string, { failures: number; windowStart: Date }>> {
  const rows = await db
    .select()
    .from(loginAttempts)
    .where(and(inArray(loginAttempts.key, keys), sql`${loginAttempts.windowStart} > ${windowStartAfter}`));
  return new Map(rows.map((r) => [r.key, { failures: r.failures, windowStart: r.windowStart }]));
}

/** Adds one failure to each key: a fixed window that restarts once it is older than the cutoff. */
export async function recordFailures(db: DbOrTx, keys: string[], now: Date, windowStartAfter: Date): Promise<void> {
  if (keys.length === 0) return;
  await db
    .insert(loginAttempts)
    .values(keys.map((key) => ({ key, windowStart: now, failures: 1 })))
    .onConflictDoUpdate({
      target: loginAttempts.key,
      set: {
        failures: sql`case when ${loginAttempts.windowStart} > ${windowStartAfter} then ${loginAttempts.failures} + 1 else 1 end`,
        windowStart: sql`case when ${loginAttempts.windowStart} > ${windowStartAfter} then ${loginAttempts.windowStart} else excluded.window_start end`,
      },
    });
}

export async function clearFailures(db: DbOrTx, key: string): Promise<void> {
  await db.delete(loginAttempts).where(eq(loginAttempts.key, key));
}
