import type pg from 'pg';
import { sql } from 'drizzle-orm';
import { onConnection, type Db, type Tx } from '../db/client';
import { databaseTrouble, sqlState } from './errors';

export type PgClient = pg.PoolClient;

/**
 * Statements of long jobs (an import's batch, a queue rebuilt from big lists) may run this long;
 * every other statement is cancelled after DB_STATEMENT_TIMEOUT_MS (db/client.ts).
 */
export const LONG_STATEMENT_TIMEOUT = '10min';

/** Raises the statement time-out for the rest of the caller's transaction only (SET LOCAL). */
export async function allowLongStatements(tx: Tx): Promise<void> {
  await tx.execute(sql.raw(`SET LOCAL statement_timeout = '${LONG_STATEMENT_TIMEOUT}'`));
}

/** Raises the statement time-out for the rest of the caller's transaction only (SET LOCAL). */
export async function allowLongStatementsPg(c: PgClient): Promise<void> {
  await c.query(`SET LOCAL statement_timeout = '${LONG_STATEMENT_TIMEOUT}'`);
}

/** serialization_failure, deadlock_detected: safe to run the whole transaction again. */
const RETRYABLE = new Set(['40001', '40P01']);

/** Runs `fn` again, up to four times in all, when PostgreSQL says a retry is safe. */
export async function retryingConflicts<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const code = sqlState(err);
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
export function withPgTransaction<T>(pool: pg.Pool, fn: (client: PgClient) => Promise<T>): Promise<T> {
  return retryingConflicts(async () => {
    const client = await pool.connect();
    try {
      const result = await transactionOn(client, () => fn(client));
      client.release();
      return result;
    } catch (err) {
      client.release(lostConnection(err));
      throw err;
    }
  });
}

/** Runs `fn` on one pooled connection outside a transaction (reads, single statements). */
export async function withPgClient<T>(pool: pg.Pool, fn: (client: PgClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    const result = await fn(client);
    client.release();
    return result;
  } catch (err) {
    client.release(lostConnection(err));
    throw err;
  }
}

/**
 * The error to release a connection with when it is gone, so that the pool closes it rather than
 * hand it to the next request before its socket has reported the end.
 */
export function lostConnection(err: unknown): Error | undefined {
  return databaseTrouble(err) === 'connection_lost' ? (err as Error) : undefined;
}

/**
 * Runs `fn` in one transaction on one pooled connection (a `Tx`); commits if it returns, rolls
 * back if it throws, and runs it again (up to four times in all) on a serialization failure or
 * deadlock, so `fn` must not have effects outside the database before it returns.
 */
export function withTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withPgTransaction(db.$client, (client) => fn(onConnection(client)));
}

/** `withTransaction` on a connection the caller already holds (`withConnection`). */
export function inTransaction<T>(conn: Tx, fn: () => Promise<T>): Promise<T> {
  return inTransactionOn(conn.$client, fn);
}

/**
 * Runs `fn` on one pooled connection outside a transaction: for session-level state (an advisory
 * lock held while a long job runs, a cursor). Reads and single statements just use `db`.
 */
export function withConnection<T>(db: Db, fn: (conn: Tx) => Promise<T>): Promise<T> {
  return withPgClient(db.$client, (client) => fn(onConnection(client)));
}
