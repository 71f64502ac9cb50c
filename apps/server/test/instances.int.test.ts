import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, type Database } from '../src/db/client';
import { freePort } from '../src/db/embedded';
import { createCampaign, createDonors, createSettings, createTeam } from './dialer-factories';
import { createUser, TEST_PASSWORD } from './factories';

/**
 * Two app instances on one PostgreSQL, as several instances behind a load balancer run: the
 * floor follows an agent across instances, holds stay exclusive, and stopping an instance loses
 * no acknowledged call and gives its agents' held donors back within the lease.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const LEASE_SECONDS = 5;
const procs: ChildProcess[] = [];
let database: Database;
let dbName: string;
let adminUrl: string;
let bases: string[] = [];

async function startInstance(url: string): Promise<{ proc: ChildProcess; base: string }> {
  const port = await freePort();
  const proc = spawn('node', ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      DEMO: '0',
      LOG_LEVEL: 'error',
      LEASE_SECONDS: String(LEASE_SECONDS),
      SWEEP_SECONDS: '1',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  procs.push(proc);
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (proc.exitCode !== null) throw new Error(`instance exited with ${proc.exitCode}: ${stderr}`);
    if (
      await fetch(`${base}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { proc, base };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('instance did not start');
}

async function session(base: string, email: string) {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: TEST_PASSWORD }),
  });
  expect(res.status).toBe(200);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  return async (method: 'GET' | 'POST', url: string, body?: unknown) => {
    const r = await fetch(`${base}${url}`, {
      method,
      headers: { cookie, 'content-type': 'application/json' },
      body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null, cookie };
  };
}

let setup: {
  settings: Awaited<ReturnType<typeof createSettings>>;
  teamId: number;
  campaignId: number;
  agents: { email: string; id: number }[];
  managerEmail: string;
};

beforeAll(async () => {
  const template = new URL(inject('templateDatabaseUrl'));
  const admin = new URL(template.toString());
  admin.pathname = '/postgres';
  adminUrl = admin.toString();
  dbName = `engage_instances_${Date.now()}`;
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`create database ${dbName} template ${template.pathname.slice(1)}`);
  await c.end();
  const url = new URL(template.toString());
  url.pathname = `/${dbName}`;
  database = createDatabase(url.toString(), { max: 5 });

  const settings = await createSettings(database.db);
  const agents = [];
  for (let i = 0; i < 10; i++) agents.push(await createUser(database.db, { role: 'agent' }));
  const manager = await createUser(database.db, { role: 'manager' });
  const team = await createTeam(
    database.db,
    agents.map((a) => a.id),
  );
  // the manager leads the team
  await database.db.execute(
    sql`insert into team_members (team_id, user_id, is_leader) values (${team.id}, ${manager.id}, true)`,
  );
  const donors = await createDonors(
    database.db,
    Array.from({ length: 60 }, () => ({})),
  );
  const campaign = await createCampaign(database, {
    teamIds: [team.id],
    lists: [{ donorIds: donors.map((d) => d.id) }],
    queuedAt: new Date(Date.now() - 60_000),
  });
  setup = { settings, teamId: team.id, campaignId: campaign.id, agents, managerEmail: manager.email };
  bases = (await Promise.all([startInstance(url.toString()), startInstance(url.toString())])).map((s) => s.base);
}, 120_000);

afterAll(async () => {
  for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
  await database?.pool.end();
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`drop database if exists ${dbName} with (force)`);
  await c.end();
});

describe('two instances on one PostgreSQL', () => {
  it('a manager on instance 2 sees, within a second, the state change of an agent on instance 1', async () => {
    const agent = await session(bases[0]!, setup.agents[0]!.email);
    const manager = await session(bases[1]!, setup.managerEmail);
    const { cookie } = await manager('GET', '/api/auth/me');
    const controller = new AbortController();
    const stream = await fetch(`${bases[1]}/api/events`, { headers: { cookie }, signal: controller.signal });
    const reader = stream.body!.getReader();
    await reader.read();
    await agent('POST', '/api/shift', { jobRoleId: setup.settings.jobRoleId });
    const t0 = performance.now();
    await agent('POST', '/api/shift/ready', { teamId: setup.teamId, campaignId: setup.campaignId });
    let text = '';
    const decoder = new TextDecoder();
    while (!text.includes('"state":"ready"')) {
      const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), 1000))]);
      if (!chunk || chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
    const ms = performance.now() - t0;
    controller.abort();
    expect(text).toContain('"state":"ready"');
    expect(ms).toBeLessThan(1000);
    const floor = await manager('GET', '/api/floor');
    expect(floor.body.agents.find((a: { agentId: number }) => a.agentId === setup.agents[0]!.id)).toMatchObject({
      state: 'ready',
    });
    await agent('POST', '/api/shift/close');
  });

  it('agents split across both instances get distinct donors; stopping one loses no acknowledged call and its holds return within the lease', async () => {
    const agents = await Promise.all(setup.agents.map((a, i) => session(bases[i % 2]!, a.email)));
    for (const a of agents) {
      await a('POST', '/api/shift', { jobRoleId: setup.settings.jobRoleId });
      expect((await a('POST', '/api/shift/ready', { teamId: setup.teamId, campaignId: setup.campaignId })).status).toBe(
        200,
      );
    }
    const offers = await Promise.all(agents.map((a) => a('POST', '/api/shift/next')));
    const donorIds = offers.map((o) => o.body.offer.donor.id as number);
    expect(new Set(donorIds).size).toBe(agents.length);

    // Agents on instance 1 (even indexes) finish calls; every acknowledged End Call must stay.
    const acknowledged: number[] = [];
    for (const [i, a] of agents.entries()) {
      if (i % 2 !== 0) continue;
      const started = await a('POST', `/api/offers/${offers[i]!.body.offer.id}/start`);
      const ended = await a('POST', `/api/calls/${started.body.call.id}/end`, {
        endReasonId: setup.settings.end.retry,
      });
      if (ended.status === 200) acknowledged.push(started.body.call.id as number);
      const next = await a('POST', '/api/shift/next'); // each holds a new donor when the instance stops
      expect(next.body.status).toBe('offered');
    }
    const heldOnFirst = await database.pool.query<{ n: number }>(
      `select count(*)::int as n from campaign_donors cd join shifts s on s.id = cd.held_by_shift_id
        where s.agent_id = any($1::int[]) and cd.hold_expires_at > now()`,
      [setup.agents.filter((_, i) => i % 2 === 0).map((a) => a.id)],
    );
    expect(heldOnFirst.rows[0]!.n).toBe(5);

    const first = procs[0]!;
    const exited = new Promise((r) => first.once('exit', r));
    first.kill('SIGTERM');
    await exited;
    const stopped = Date.now();

    const found = await database.pool.query<{ n: number }>(
      'select count(*)::int as n from calls where id = any($1::int[]) and ended_at is not null',
      [acknowledged],
    );
    expect(found.rows[0]!.n).toBe(acknowledged.length);
    expect(acknowledged.length).toBe(5);

    // No heartbeats come from the stopped instance's agents: the other instance's sweep gives their
    // donors back once the lease (5 s) has passed.
    let released = false;
    while (Date.now() - stopped < (LEASE_SECONDS + 4) * 1000) {
      const held = await database.pool.query<{ n: number }>(
        `select count(*)::int as n from campaign_donors cd join shifts s on s.id = cd.held_by_shift_id
          where s.agent_id = any($1::int[]) and cd.hold_expires_at > now()`,
        [setup.agents.filter((_, i) => i % 2 === 0).map((a) => a.id)],
      );
      if (held.rows[0]!.n === 0) {
        released = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(released, `holds returned within ${LEASE_SECONDS + 4} s of the stop`).toBe(true);
  });
});
