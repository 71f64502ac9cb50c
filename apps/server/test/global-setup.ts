import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded';
import { runMigrations } from '../src/db/migrate';
import { databaseRoutines } from '../src/services';
import { testEnv } from '../src/env';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A URL to a migrated template database; each test file clones it (see test/db.ts). */
    templateDatabaseUrl: string;
  }
}

export const TEMPLATE_DB = 'engage_test_template';

let embedded: EmbeddedDatabase | null = null;
let tmpDir: string | null = null;

/**
 * Starts a real PostgreSQL for the integration tests (embedded, on a free port) unless
 * TEST_DATABASE_URL names one, and migrates a template database that test files clone.
 */
export async function setup(project: TestProject): Promise<void> {
  let serverUrl = testEnv.testDatabaseUrl;
  if (!serverUrl) {
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engage-test-pg-'));
    embedded = await startEmbeddedPostgres({
      dataDir: tmpDir,
      database: 'postgres',
      log: () => {},
      settings: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    });
    serverUrl = embedded.url;
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${TEMPLATE_DB} with (force)`);
  await admin.query(`create database ${TEMPLATE_DB}`);
  await admin.end();

  const templateUrl = withDatabase(serverUrl, TEMPLATE_DB);
  const client = new pg.Client({ connectionString: templateUrl });
  await client.connect();
  await runMigrations(client, databaseRoutines);
  // Tests run at any hour of the real clock, so the template calls around the clock. Tests about
  // the legal window set it themselves (setLegalWindow in dialer-factories.ts), as the browser
  // tests' set-up widens it too.
  await client.query(`UPDATE organisation_settings SET legal_hours_start = '00:00', legal_hours_end = '24:00'`);
  await client.end();
  project.provide('templateDatabaseUrl', templateUrl);
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
