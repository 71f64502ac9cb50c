import { spawn } from 'node:child_process';
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

/** The app started for browser tests: where it answers, its data directory, how to stop it. */
export interface StartedApp {
  baseUrl: string;
  dataDir: string;
  stop: () => Promise<void>;
}

/**
 * Starts the real app (built web, embedded PostgreSQL with the demo data) on a free port, as
 * `npm start` does, callable at any hour; `env` adds settings (the softphone tests' TELEPHONY=sip).
 * Its log goes to .tmp/<name>-server.log.
 */
export async function startApp(name: string, env: Record<string, string> = {}): Promise<StartedApp> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `engage-${name}-`));
  fs.mkdirSync(path.join(root, '.tmp'), { recursive: true });
  const logFile = `.tmp/${name}-server.log`;
  const log = fs.createWriteStream(path.join(root, logFile));
  const child = spawn('node', ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      DEMO: '1',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000).unref())]);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}; see ${logFile}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (Date.now() >= deadline) {
    await stop();
    throw new Error(`the app did not become healthy in time; see ${logFile}`);
  }
  await callableAtAnyHour(dir);
  return { baseUrl, dataDir: dir, stop };
}

let app: StartedApp | null = null;

export async function setup(project: TestProject): Promise<void> {
  app = await startApp('e2e');
  project.provide('baseUrl', app.baseUrl);
}

/** A connection to the embedded PostgreSQL of an app started with `dir` as its DATA_DIR (end it after use). */
export async function appDatabase(dir: string): Promise<pg.Client> {
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
  return client;
}

/**
 * The demo calls within sensible hours (Mon-Fri 09:00-20:00 and so on, inside the legal window
 * 08:00-21:00 donor time), but the browser tests run at whatever hour it is: they widen the legal
 * window and the hours of the two campaigns they call to the whole day, straight in the database
 * (as a fixture: no administrator made that change, so nothing is audited).
 */
async function callableAtAnyHour(dir: string): Promise<void> {
  const client = await appDatabase(dir);
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
  await app?.stop();
}
