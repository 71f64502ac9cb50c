import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { idempotencyKeys } from '../db/schema';
import { AppError } from './errors';

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, stable(v)]),
    );
  }
  return value;
}

export function requestHash(request: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(stable(request)))
    .digest('hex');
}

export interface IdempotencyScope {
  userId: number;
  operation: string;
  /** The Idempotency-Key header; without one the request simply runs. */
  key: string | undefined;
  /** What identifies the request: path parameters and body. */
  request: unknown;
}

/**
 * Runs `run` once per (user, operation, key), inside the caller's transaction. A repeat with the
 * same request gets the first answer and writes nothing; the same key with another request is
 * refused with 422. A concurrent repeat waits on the key's row and then reads the first answer.
 */
export async function idempotent<T>(tx: Tx, scope: IdempotencyScope, run: () => Promise<T>): Promise<T> {
  if (!scope.key) return run();
  const hash = requestHash(scope.request);
  const k = idempotencyKeys;
  const thisKey = and(eq(k.userId, scope.userId), eq(k.operation, scope.operation), eq(k.key, scope.key));
  const inserted = await tx
    .insert(k)
    .values({ userId: scope.userId, operation: scope.operation, key: scope.key, requestHash: hash })
    .onConflictDoNothing()
    .returning({ one: sql`1` })
    .prepare('idempotency_claim')
    .execute();
  if (inserted.length === 0) {
    const [row] = await tx
      .select({ requestHash: k.requestHash, response: k.response })
      .from(k)
      .where(thisKey)
      .prepare('idempotency_read')
      .execute();
    if (row!.requestHash !== hash) {
      throw new AppError(
        'idempotency_key_reused',
        'This Idempotency-Key was already used for a different request. Send a new key with a new request.',
      );
    }
    return row!.response as T;
  }
  const result = await run();
  await tx
    .update(k)
    .set({ statusCode: 200, response: result ?? null })
    .where(thisKey)
    .prepare('idempotency_store')
    .execute();
  return result;
}
