import type pg from 'pg';

export type PgClient = pg.PoolClient;

/** serialization_failure, deadlock_detected: safe to run the whole transaction again. */
export const RETRYABLE = new Set(['40001', '40P01']);

/**
 * Runs `fn` in one transaction on one pooled connection; commits if it returns, rolls back if
 * it throws, and retries a few times on a serialization failure or deadlock.
 */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: PgClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      const code = (err as { code?: string }).code;
      if (attempt < 4 && code && RETRYABLE.has(code)) continue;
      throw err;
    } finally {
      client.release();
    }
  }
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
