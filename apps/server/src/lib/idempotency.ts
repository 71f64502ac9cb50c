import { createHash } from 'node:crypto';
import { AppError } from './errors';
import type { PgClient } from './tx';

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
export async function idempotent<T>(c: PgClient, scope: IdempotencyScope, run: () => Promise<T>): Promise<T> {
  if (!scope.key) return run();
  const hash = requestHash(scope.request);
  const inserted = await c.query({
    name: 'idempotency_claim',
    text: `INSERT INTO idempotency_keys (user_id, operation, key, request_hash) VALUES ($1, $2, $3, $4)
           ON CONFLICT DO NOTHING RETURNING 1`,
    values: [scope.userId, scope.operation, scope.key, hash],
  });
  if (inserted.rowCount === 0) {
    const prior = await c.query<{ request_hash: string; response: T }>({
      name: 'idempotency_read',
      text: 'SELECT request_hash, response FROM idempotency_keys WHERE user_id = $1 AND operation = $2 AND key = $3',
      values: [scope.userId, scope.operation, scope.key],
    });
    const row = prior.rows[0]!;
    if (row.request_hash !== hash) {
      throw new AppError(
        'idempotency_key_reused',
        'This Idempotency-Key was already used for a different request. Send a new key with a new request.',
      );
    }
    return row.response;
  }
  const result = await run();
  await c.query({
    name: 'idempotency_store',
    text: 'UPDATE idempotency_keys SET status_code = 200, response = $4 WHERE user_id = $1 AND operation = $2 AND key = $3',
    values: [scope.userId, scope.operation, scope.key, JSON.stringify(result)],
  });
  return result;
}
