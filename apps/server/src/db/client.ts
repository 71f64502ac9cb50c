import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';

/**
 * The one way the application reaches the database: Drizzle over `pg`. `Db` spreads statements
 * over the pool; `Tx` is one connection, inside a transaction (`withTransaction`) or held for a
 * session-level lock (`withConnection`), both in lib/tx.ts. Repositories take either (`DbOrTx`).
 * No relational schema is registered (no `db.query.*`): queries name tables from `db/schema`,
 * and building a `Tx` per transaction costs under a microsecond.
 */
export type Db = NodePgDatabase & { $client: pg.Pool };
export type Tx = NodePgDatabase & { $client: pg.PoolClient };
export type DbOrTx = Db | Tx;

const CASING = 'snake_case';

/**
 * Reads a timestamp Drizzle's `pg` driver hands back as text: in `tx.execute(sql...)` rows and in
 * `sql<Date>` expressions of a select (`sql<Date>\`...\`.mapWith(readTimestamp)`). Columns named
 * from the schema in a select are already Dates.
 */
export function readTimestamp(value: string | Date): Date {
  return value instanceof Date ? value : new Date(value);
}

/** Drizzle on one pooled connection the caller holds (lib/tx.ts's helpers). */
export function onConnection(client: pg.PoolClient): Tx {
  return drizzle({ client, casing: CASING });
}

export interface Database {
  db: Db;
  pool: pg.Pool;
  url: string;
}

export interface DatabaseOptions {
  max?: number;
  applicationName?: string;
  /** PostgreSQL cancels a statement running longer (57014); unset or 0: no limit. */
  statementTimeoutMs?: number;
  /** PostgreSQL ends a session left idle inside a transaction this long (25P03); unset or 0: never. */
  idleInTransactionTimeoutMs?: number;
  /** Told when the server ends an idle pooled connection (restart, admin, time-out); the pool replaces it. */
  onConnectionLost?: (err: Error) => void;
}

// Keep timestamps as JS Dates and bigint counts as numbers (counts here stay far below 2^53).
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export function createDatabase(url: string, opts: DatabaseOptions = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 20,
    application_name: opts.applicationName ?? 'engage',
    idleTimeoutMillis: 30_000,
    // Sent as start-up parameters: every pooled connection has them from its first statement.
    ...(opts.statementTimeoutMs ? { statement_timeout: opts.statementTimeoutMs } : {}),
    ...(opts.idleInTransactionTimeoutMs
      ? { idle_in_transaction_session_timeout: opts.idleInTransactionTimeoutMs }
      : {}),
  });
  // An idle connection the server ended (restart, pg_terminate_backend, shutdown): the pool has
  // already dropped it and opens a new one when needed. Without a listener the process would die.
  pool.on('error', (err) => opts.onConnectionLost?.(err));
  // A connection that is checked out has no listener of the pool's: its end is reported to the
  // statement running on it (or the next one), which fails and is answered as an error; the pool
  // drops it on release because it is no longer queryable. This listener only keeps the process up.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db = drizzle({ client: pool, casing: CASING });
  return { db, pool, url };
}
