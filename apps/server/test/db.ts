import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { createDatabase, type Database } from '../src/db/client';

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminQuery(templateUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(templateUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, migrated database for one test file: a clone of the template the global set-up
 * migrated. Dropped when the file's tests end.
 */
export async function createTestDatabase(opts: { poolSize?: number } = {}): Promise<Database> {
  const templateUrl = inject('templateDatabaseUrl');
  const name = `engage_test_${randomBytes(6).toString('hex')}`;
  const templateName = new URL(templateUrl).pathname.slice(1);
  await adminQuery(templateUrl, `create database ${name} template ${templateName}`);
  const database = createDatabase(withDatabase(templateUrl, name), { max: opts.poolSize ?? 10 });
  afterAll(async () => {
    await database.pool.end();
    await adminQuery(templateUrl, `drop database if exists ${name} with (force)`);
  });
  return database;
}
