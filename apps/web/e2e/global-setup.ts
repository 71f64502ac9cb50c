import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

const root = path.resolve(import.meta.dirname, '../../..');
let server: ChildProcess | null = null;
let dataDir: string | null = null;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts the real app (built web, embedded PostgreSQL with the demo data) on a free port, as
 * `npm start` does, for the browser tests.
 */
export async function setup(project: TestProject): Promise<void> {
  const port = await freePort();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engage-e2e-'));
  fs.mkdirSync(path.join(root, '.tmp'), { recursive: true });
  const log = fs.createWriteStream(path.join(root, '.tmp', 'e2e-server.log'));
  server = spawn('node', ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DEMO: '1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.pipe(log);
  server.stderr?.pipe(log);
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the app exited with ${server.exitCode}; see .tmp/e2e-server.log`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (Date.now() >= deadline) throw new Error('the app did not become healthy in time; see .tmp/e2e-server.log');
  await callableAtAnyHour(dataDir);
  project.provide('baseUrl', baseUrl);
}

/**
 * The demo calls within sensible hours (Mon-Fri 09:00-20:00 and so on, inside the legal window
 * 08:00-21:00 donor time), but the browser tests run at whatever hour it is: they widen the legal
 * window and the hours of the two campaigns they call to the whole day, straight in the database
 * (as a fixture: no administrator made that change, so nothing is audited).
 */
async function callableAtAnyHour(dir: string): Promise<void> {
  const port = fs
    .readFileSync(path.join(dir, 'postgres', 'postmaster.pid'), 'utf8')
    .split('\n')[3]
    ?.trim();
  const password = fs.readFileSync(path.join(dir, 'postgres-password'), 'utf8').trim();
  const client = new pg.Client({
    host: '127.0.0.1',
    port: Number(port),
    user: 'postgres',
    password,
    database: 'engage',
  });
  await client.connect();
  try {
    const wholeDay = JSON.stringify(Array.from({ length: 7 }, () => ({ start: '00:00', end: '24:00' })));
    await client.query(`UPDATE organisation_settings SET legal_hours_start = '00:00', legal_hours_end = '24:00'`);
    await client.query(
      `UPDATE campaigns SET weekday_hours = $1::jsonb, calling_hours_start = '00:00', calling_hours_end = '24:00'
        WHERE name IN ('Sponsorship follow-up', 'Lapsed donors (small)')`,
      [wholeDay],
    );
  } finally {
    await client.end();
  }
}

export async function teardown(): Promise<void> {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000).unref())]);
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}
