import type pg from 'pg';
import { sql } from 'drizzle-orm';
import { onConnection, type Db, type Tx } from '../db/client';
import { databaseTrouble, sqlState } from './errors';

/**
 * Statements of long jobs (an import's batch, a queue rebuilt from big lists) may run this long;
 * every other statement is cancelled after DB_STATEMENT_TIMEOUT_MS (db/client.ts).
 */
export const LONG_STATEMENT_TIMEOUT = '10min';

/** Raises the statement time-out for the rest of the caller's transaction only (SET LOCAL). */
export async function allowLongStatements(tx: Tx): Promise<void> {
  await tx.execute(sql.raw(`SET LOCAL statement_timeout = '${LONG_STATEMENT_TIMEOUT}'`));
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
async function transactionOn<T>(client: pg.PoolClient, fn: () => Promise<T>): Promise<T> {
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

/** Runs `fn` on one pooled connection, handed to it as a `Tx`; the connection goes back when it ends. */
async function onPooledConnection<T>(db: Db, fn: (conn: Tx, client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.$client.connect();
  try {
    const result = await fn(onConnection(client), client);
    client.release();
    return result;
  } catch (err) {
    client.release(lostConnection(err));
    throw err;
  }
}

/**
 * Runs `fn` in one transaction on one pooled connection (a `Tx`); commits if it returns, rolls
 * back if it throws, and runs it again (up to four times in all) on a serialization failure or
 * deadlock, so `fn` must not have effects outside the database before it returns.
 */
export function withTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return retryingConflicts(() => onPooledConnection(db, (tx, client) => transactionOn(client, () => fn(tx))));
}

/** `withTransaction` on a connection the caller already holds (`withConnection`). */
export function inTransaction<T>(conn: Tx, fn: () => Promise<T>): Promise<T> {
  return retryingConflicts(() => transactionOn(conn.$client, fn));
}

/**
 * Runs `fn` on one pooled connection outside a transaction: for session-level state (an advisory
 * lock held while a long job runs, a cursor). Reads and single statements just use `db`.
 */
export function withConnection<T>(db: Db, fn: (conn: Tx) => Promise<T>): Promise<T> {
  return onPooledConnection(db, (conn) => fn(conn));
}

/**
 * The error to release a connection with when it is gone, so that the pool closes it rather than
 * hand it to the next request before its socket has reported the end.
 */
function lostConnection(err: unknown): Error | undefined {
  return databaseTrouble(err) === 'connection_lost' ? (err as Error) : undefined;
}
