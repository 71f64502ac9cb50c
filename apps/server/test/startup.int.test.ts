import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../src/db/embedded';

/**
 * The real start-up, as `npm start` runs it: embedded PostgreSQL in DATA_DIR, migrations, demo
 * data, HTTP; a second start on the same data refused; a clean stop on SIGTERM/SIGINT.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'engage-start-'));
  dirs.push(d);
  return d;
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  url: string;
}

async function startServer(
  env: Record<string, string>,
  opts: { waitHealthy?: boolean; ownProcessGroup?: boolean } = {},
): Promise<Started> {
  const port = await freePort();
  const child = spawn('node', ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, like a terminal's foreground job: Ctrl-C reaches it and PostgreSQL.
    detached: opts.ownProcessGroup ?? false,
  });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  if (opts.waitHealthy !== false) {
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}:\n${out}`);
      if (Date.now() > deadline) throw new Error(`server not healthy in time:\n${out}`);
      const ok = await fetch(`${url}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return { child, output: () => out, exited, url };
}

async function loginStatus(url: string, email: string, password: string): Promise<number> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return res.status;
}

describe('npm start', () => {
  it('starts PostgreSQL in DATA_DIR with the demo data, refuses a second start there, stops cleanly and restarts on the same data', async () => {
    const dataDir = path.join(tmpDir(), 'data');
    const first = await startServer({ DATA_DIR: dataDir });
    expect(first.output()).toContain('Engage Call Center is running at');
    expect(first.output()).toContain('engage-demo');
    expect(fs.existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    const health = (await (await fetch(`${first.url}/api/health`)).json()) as {
      database: { ok: boolean; embedded: boolean };
    };
    expect(health.database).toMatchObject({ ok: true, embedded: true });
    expect(await loginStatus(first.url, 'agent1@demo.org', 'engage-demo')).toBe(200);

    const second = await startServer({ DATA_DIR: dataDir }, { waitHealthy: false });
    const code = await second.exited;
    expect(code).not.toBe(0);
    expect(second.output()).toMatch(/already running on the data directory/);
    // ...and the first one is unharmed.
    expect((await fetch(`${first.url}/api/health`)).status).toBe(200);

    const postmasterPid = Number(
      fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    first.child.kill('SIGINT');
    expect(await first.exited, first.output()).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    expect(() => process.kill(postmasterPid, 0)).toThrow();
    expect(fs.existsSync(path.join(dataDir, 'engage.pid'))).toBe(false);

    // Same data directory again: reused, not re-seeded (the demo users are still the only ones).
    const again = await startServer({ DATA_DIR: dataDir });
    expect(again.output()).not.toMatch(/creating a new PostgreSQL cluster/);
    expect(await loginStatus(again.url, 'manager@demo.org', 'engage-demo')).toBe(200);
    again.child.kill('SIGTERM');
    expect(await again.exited, again.output()).toBe(0);
  });

  it('stops cleanly on Ctrl-C in its terminal, where PostgreSQL gets the signal too and may stop first', async () => {
    const dataDir = path.join(tmpDir(), 'data');
    const s = await startServer({ DATA_DIR: dataDir, DEMO: '0', LOG_LEVEL: 'info' }, { ownProcessGroup: true });
    const postmasterPid = Number(
      fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    // Connections in the pool and the event listener are open when PostgreSQL ends them.
    expect((await fetch(`${s.url}/api/health`)).status).toBe(200);
    process.kill(-s.child.pid!, 'SIGINT'); // what the terminal does on Ctrl-C: the whole foreground group
    const code = await Promise.race([s.exited, new Promise((r) => setTimeout(() => r('still running'), 30_000))]);
    if (code === 'still running') process.kill(-s.child.pid!, 'SIGKILL');
    expect(code, s.output()).toBe(0);
    expect(s.output()).toContain('stopped cleanly');
    expect(fs.existsSync(path.join(dataDir, 'engage.pid'))).toBe(false);
    expect(() => process.kill(postmasterPid, 0)).toThrow();
  });

  it('with DATABASE_URL uses that PostgreSQL and starts none; DEMO=0 loads no demo data; create-admin makes the first admin', async () => {
    const templateUrl = inject('templateDatabaseUrl');
    const adminUrl = new URL(templateUrl);
    adminUrl.pathname = '/postgres';
    const name = `engage_start_${Date.now()}`;
    const c = new pg.Client({ connectionString: adminUrl.toString() });
    await c.connect();
    await c.query(`create database ${name}`);
    await c.end();
    const dbUrl = new URL(templateUrl);
    dbUrl.pathname = `/${name}`;

    const dataDir = path.join(tmpDir(), 'unused');
    const createAdmin = (password: string) =>
      spawnSync(
        'node',
        [
          '--import',
          'tsx',
          'apps/server/src/cli/create-admin.ts',
          '--email',
          'it@charity.example',
          '--name',
          'IT Desk',
        ],
        {
          cwd: root,
          env: { ...process.env, DATABASE_URL: dbUrl.toString(), DATA_DIR: dataDir },
          input: `${password}\n`,
          encoding: 'utf8',
        },
      );
    const common = createAdmin('password12');
    expect(common.status).toBe(1);
    expect(common.stderr).toMatch(/commonly used[\s\S]*Choose another/);
    const created = createAdmin('a-long-secret-pw');
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toContain('Administrator it@charity.example created');

    const s = await startServer({ DATABASE_URL: dbUrl.toString(), DATA_DIR: dataDir, DEMO: '0' });
    expect(fs.existsSync(dataDir)).toBe(false);
    const health = (await (await fetch(`${s.url}/api/health`)).json()) as { database: { embedded: boolean } };
    expect(health.database.embedded).toBe(false);
    expect(await loginStatus(s.url, 'it@charity.example', 'a-long-secret-pw')).toBe(200);
    // They typed that password themselves: nothing to change at first sign-in.
    const signedIn = await fetch(`${s.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'it@charity.example', password: 'a-long-secret-pw' }),
    });
    expect(((await signedIn.json()) as { user: { mustChangePassword: boolean } }).user.mustChangePassword).toBe(false);
    expect(await loginStatus(s.url, 'agent1@demo.org', 'engage-demo')).toBe(401);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);

    const c2 = new pg.Client({ connectionString: adminUrl.toString() });
    await c2.connect();
    await c2.query(`drop database ${name} with (force)`);
    await c2.end();
  });
});
