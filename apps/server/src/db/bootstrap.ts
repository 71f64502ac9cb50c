import { sql } from 'drizzle-orm';
import type { Config } from '../env';
import { createDatabase, type Database, type Db } from './client';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded';
import { runMigrations, withStartupLock } from './migrate';
import type { DatabaseRoutines } from './routines';

export interface BootedDatabase extends Database {
  embedded: EmbeddedDatabase | null;
  close(): Promise<void>;
}

/**
 * Brings the database up: the external one from DATABASE_URL, or an embedded server in
 * DATA_DIR; then migrations and the features' routines, then (optionally) the demo data into an
 * empty database. The caller hands in both (services.ts: `databaseRoutines`; demo/demo-seed.ts:
 * `seedDemoAtStartup`), so db/ knows no feature; `seed` answers a line for the log.
 */
export async function bootDatabase(
  config: Pick<
    Config,
    'DATABASE_URL' | 'dataDir' | 'DB_POOL_SIZE' | 'DB_STATEMENT_TIMEOUT_MS' | 'DB_IDLE_IN_TX_TIMEOUT_MS'
  >,
  opts: {
    routines: DatabaseRoutines;
    seed: ((db: Db) => Promise<string>) | null;
    log: (msg: string) => void;
    warn?: (err: Error, msg: string) => void;
  },
): Promise<BootedDatabase> {
  const { log, seed } = opts;
  const embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: config.dataDir, log });
  const url = config.DATABASE_URL ?? embedded!.url;
  try {
    const seeded = await withStartupLock(url, async (client) => {
      await runMigrations(client, opts.routines);
      log('database migrations are up to date');
      if (!seed) return false;
      const empty = (await client.query('select not exists (select 1 from users) as empty')).rows[0] as {
        empty: boolean;
      };
      return empty.empty;
    });
    const database = createDatabase(url, {
      max: config.DB_POOL_SIZE,
      statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
      idleInTransactionTimeoutMs: config.DB_IDLE_IN_TX_TIMEOUT_MS,
      onConnectionLost: (err) =>
        (opts.warn ?? ((_e: Error, msg: string) => log(msg)))(
          err,
          'an idle database connection was ended by the server; the pool opens a new one when needed',
        ),
    });
    if (seeded && seed) {
      log('empty database: loading the demo data (DEMO=0 turns this off)');
      const t0 = Date.now();
      // Seeding is idempotent across instances: it re-checks emptiness under the startup lock.
      await withStartupLock(url, async (client) => {
        const stillEmpty = (await client.query('select not exists (select 1 from users) as empty')).rows[0] as {
          empty: boolean;
        };
        if (!stillEmpty.empty) return;
        const summary = await seed(database.db);
        log(`demo data loaded in ${Date.now() - t0} ms: ${summary}`);
      });
    }
    await database.db.execute(sql`select 1`);
    return {
      ...database,
      embedded,
      async close() {
        await database.pool.end().catch(() => {});
        await embedded?.stop();
      },
    };
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
}
