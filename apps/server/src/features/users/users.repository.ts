import { asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { users } from '../../db/schema';

export function listUsers(db: DbOrTx) {
  return db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      disabledAt: users.disabledAt,
      createdAt: users.createdAt,
    })
    .from(users)
    .orderBy(asc(users.name));
}

export function insertUser(
  db: DbOrTx,
  row: { email: string; name: string; role: 'admin' | 'manager' | 'agent'; passwordHash: string },
) {
  return db
    .insert(users)
    .values(row)
    .returning({ id: users.id, email: users.email, name: users.name, role: users.role })
    .then((r) => r[0]!);
}

export function findUserIdByEmail(db: DbOrTx, email: string) {
  return db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email})`)
    .then((r) => r[0]?.id);
}

export async function setPasswordHash(db: DbOrTx, id: number, passwordHash: string): Promise<void> {
  await db.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, id));
}
