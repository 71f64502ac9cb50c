import { randomBytes } from 'node:crypto';
import type { Role } from '@engage/contracts';
import type { DbOrTx } from '../src/db/client';
import { users } from '../src/db/schema';
import { hashPassword } from '../src/lib/password';

export const TEST_PASSWORD = 'correct-horse-battery';
let testPasswordHash: Promise<string> | undefined;

export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

export async function createUser(
  db: DbOrTx,
  opts: { role?: Role; email?: string; name?: string; password?: string; disabled?: boolean } = {},
) {
  const role = opts.role ?? 'agent';
  const passwordHash = opts.password
    ? await hashPassword(opts.password)
    : await (testPasswordHash ??= hashPassword(TEST_PASSWORD));
  const email = opts.email ?? `${role}-${uniqueSuffix()}@test.org`;
  const [user] = await db
    .insert(users)
    .values({
      email,
      name: opts.name ?? `Test ${role} ${email.split('@')[0]}`,
      role,
      passwordHash,
      disabledAt: opts.disabled ? new Date() : null,
    })
    .returning();
  return { ...user!, password: opts.password ?? TEST_PASSWORD };
}
