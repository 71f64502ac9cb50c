import path from 'node:path';
import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { installRoutines, type DatabaseRoutines } from './routines';

export const migrationsFolder = path.resolve(import.meta.dirname, 'migrations');

/** Any fixed number shared by every instance: start-up steps that must not run twice at once. */
const STARTUP_LOCK = 7_345_001;

/**
 * Runs `fn` on one connection holding a session advisory lock, so that several app instances
 * starting together on one database migrate and seed one after the other.
 */
export async function withStartupLock<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'engage-startup' });
  // A connection the server ends (it stopped, or an administrator ended it) fails the statement
  // running on it, and start-up stops with that error; unheard, the 'error' event would crash.
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [STARTUP_LOCK]);
    return await fn(client);
  } finally {
    await client.query('select pg_advisory_unlock($1)', [STARTUP_LOCK]).catch(() => {});
    await client.end().catch(() => {});
  }
}

/** The migrations, then the features' routines (services.ts: `databaseRoutines`). */
export async function runMigrations(client: pg.Client, routines: DatabaseRoutines): Promise<void> {
  await client.query('set client_min_messages = warning');
  await migrate(drizzle({ client }), { migrationsFolder });
  await installRoutines(client, routines);
}
