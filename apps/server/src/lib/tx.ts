import type pg from 'pg';

export type PgClient = pg.PoolClient;

/** serialization_failure, deadlock_detected: safe to run the whole transaction again. */
const RETRYABLE = new Set(['40001', '40P01']);

/** Runs `fn` again, up to four times in all, when PostgreSQL says a retry is safe. */
export async function retryingConflicts<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (attempt < 4 && code && RETRYABLE.has(code)) continue;
      throw err;
    }
  }
}

/** One transaction on a connection the caller holds: commits if `fn` returns, rolls back if it throws. */
async function transactionOn<T>(client: PgClient, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await fn();
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

/** `transactionOn`, retried as a whole on a serialization failure or deadlock. */
export function inTransactionOn<T>(client: PgClient, fn: () => Promise<T>): Promise<T> {
  return retryingConflicts(() => transactionOn(client, fn));
}

/**
 * Runs `fn` in one transaction on one pooled connection; commits if it returns, rolls back if
 * it throws, and retries a few times on a serialization failure or deadlock.
 */
export function withTransaction<T>(pool: pg.Pool, fn: (client: PgClient) => Promise<T>): Promise<T> {
  return retryingConflicts(async () => {
    const client = await pool.connect();
    try {
      return await transactionOn(client, () => fn(client));
    } finally {
      client.release();
    }
  });
}

/** Runs `fn` on one pooled connection outside a transaction (reads, single statements). */
export async function withClient<T>(pool: pg.Pool, fn: (client: PgClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await fn(client);
  } finally {
    client.release();
  }
}
