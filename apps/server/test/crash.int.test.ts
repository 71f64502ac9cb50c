import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, type Database } from '../src/db/client';
import { freePort } from '../src/db/embedded';
import { createCampaign, createDonors, createSettings, createTeam } from './dialer-factories';
import { createUser, TEST_PASSWORD } from './factories';

/**
 * The server dies, or PostgreSQL drops its connection, in the middle of the work: every write
 * that was answered 2xx is there, nothing is half-written, and retries with the same
 * Idempotency-Key give one result. The server runs as `npm start` runs it, in its own process.
 */
const root = path.resolve(import.meta.dirname, '../../..');
/** Statements waiting longer are cancelled: short here, so that the time-out can be seen. */
const STATEMENT_TIMEOUT_MS = 8000;
const AGENTS = 6;
const procs: ChildProcess[] = [];
let database: Database;
let dbName: string;
let adminUrl: string;
let dbUrl: string;
let setup: {
  settings: Awaited<ReturnType<typeof createSettings>>;
  teamId: number;
  campaignId: number;
  agents: { id: number; email: string }[];
};

interface Server {
  proc: ChildProcess;
  base: string;
  output: () => string;
}

async function startServer(): Promise<Server> {
  const port = await freePort();
  const proc = spawn('node', ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: dbUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      DEMO: '0',
      LOG_LEVEL: 'error',
      LEASE_SECONDS: '600',
      DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  procs.push(proc);
  let out = '';
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}: ${out}`);
    if (Date.now() > deadline) throw new Error(`server not healthy in time: ${out}`);
    const ok = await fetch(`${base}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { proc, base, output: () => out };
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function kill(server: Server): Promise<void> {
  const exited = new Promise((r) => server.proc.once('exit', r));
  server.proc.kill('SIGKILL');
  await exited;
}

interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

/** One HTTP request; null when no answer came (the server died on the way). */
async function request(
  base: string,
  cookie: string,
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
  key?: string,
): Promise<Answer | null> {
  try {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: {
        cookie,
        'content-type': 'application/json',
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  } catch {
    return null;
  }
}

async function login(base: string, email: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: TEST_PASSWORD }),
  });
  expect(res.status).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

beforeAll(async () => {
  const template = new URL(inject('templateDatabaseUrl'));
  const admin = new URL(template.toString());
  admin.pathname = '/postgres';
  adminUrl = admin.toString();
  dbName = `engage_crash_${Date.now()}`;
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`create database ${dbName} template ${template.pathname.slice(1)}`);
  await c.end();
  const url = new URL(template.toString());
  url.pathname = `/${dbName}`;
  dbUrl = url.toString();
  database = createDatabase(dbUrl, { max: 4 });

  const settings = await createSettings(database.db);
  const agents = [];
  for (let i = 0; i < AGENTS + 1; i++) agents.push(await createUser(database.db, { role: 'agent' }));
  const team = await createTeam(
    database.db,
    agents.map((a) => a.id),
  );
  const donors = await createDonors(
    database.db,
    Array.from({ length: 400 }, () => ({})),
  );
  const campaign = await createCampaign(database, {
    teamIds: [team.id],
    lists: [{ donorIds: donors.map((d) => d.id) }],
    queuedAt: new Date(Date.now() - 60_000),
  });
  setup = { settings, teamId: team.id, campaignId: campaign.id, agents };
}, 120_000);

afterAll(async () => {
  for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
  await database?.pool.end();
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`drop database if exists ${dbName} with (force)`);
  await c.end();
});

/** A write the load sent: what it was, with which key, and what (if anything) came back. */
interface Sent {
  agentId: number;
  kind: 'next' | 'start' | 'donation' | 'appointment' | 'endCall';
  url: string;
  body: Record<string, unknown>;
  key?: string;
  answer: Answer | null;
}

/** What must hold in the database whatever happened: nothing half-written. */
async function expectConsistent(agentIds: number[]): Promise<void> {
  const q = async (text: string, values: unknown[] = []) =>
    (await database.pool.query<Record<string, unknown>>(text, values)).rows;
  // A call ended is out of the queue's hands: no hold by its shift, the queue row moved on.
  expect(
    await q(
      `select c.id from calls c
         join campaign_donors cd on cd.campaign_id = c.campaign_id and cd.donor_id = c.donor_id
        where c.agent_id = any($1) and c.ended_at is not null
          and (cd.held_by_shift_id is not null or cd.attempts < 1
               or exists (select 1 from donor_holds h where h.donor_id = c.donor_id and h.shift_id = c.shift_id)
               or (cd.state = 'queued' and cd.next_attempt_at <= c.ended_at))`,
      [agentIds],
    ),
    'ended calls whose queue row was not updated',
  ).toEqual([]);
  // An open call is its shift's call, and the donor is held for it.
  expect(
    await q(
      `select c.id from calls c
         join shifts s on s.id = c.shift_id
         join campaign_donors cd on cd.campaign_id = c.campaign_id and cd.donor_id = c.donor_id
        where c.agent_id = any($1) and c.ended_at is null
          and (s.state <> 'on_call' or s.call_id is distinct from c.id or cd.held_by_shift_id is distinct from s.id)`,
      [agentIds],
    ),
    'open calls their shift does not know',
  ).toEqual([]);
  // Each shift in a state its columns agree with.
  expect(
    await q(
      `select s.id, s.state from shifts s
         left join calls c on c.id = s.call_id
         left join offers o on o.id = s.offer_id
        where s.agent_id = any($1) and s.closed_at is null
          and not case s.state
                when 'on_call' then c.id is not null and c.ended_at is null and c.shift_id = s.id and s.offer_id is null
                when 'previewing' then o.id is not null and o.status = 'open' and o.shift_id = s.id and s.call_id is null
                else s.call_id is null and s.offer_id is null
              end`,
      [agentIds],
    ),
    'shifts in an impossible state',
  ).toEqual([]);
  // An offer started has its call; an open one is its shift's.
  expect(
    await q(
      `select o.id, o.status from offers o
         left join calls c on c.offer_id = o.id
         left join shifts s on s.id = o.shift_id
        where o.agent_id = any($1)
          and ((o.status = 'started') <> (c.id is not null) or (o.status = 'open' and s.offer_id is distinct from o.id))`,
      [agentIds],
    ),
    'offers and calls out of step',
  ).toEqual([]);
  // No donation without its call, and on that call's donor.
  expect(
    await q(
      `select d.id from donations d left join calls c on c.id = d.call_id
        where d.recorded_by = any($1) and (c.id is null or c.donor_id <> d.donor_id)`,
      [agentIds],
    ),
    'donations without their call',
  ).toEqual([]);
  // A call-back booked on a call belongs to that call's donor and campaign.
  expect(
    await q(
      `select a.id from appointments a left join calls c on c.id = a.booked_call_id
        where a.created_by = any($1) and (c.id is null or c.donor_id <> a.donor_id or c.campaign_id <> a.campaign_id)`,
      [agentIds],
    ),
    'call-backs without their call',
  ).toEqual([]);
  // A key kept is a key answered: its first answer is stored with it.
  expect(
    await q(`select key from idempotency_keys where user_id = any($1) and (response is null or status_code <> 200)`, [
      agentIds,
    ]),
    'idempotency keys without their answer',
  ).toEqual([]);
}

describe('a crash in the middle of the work', () => {
  it('SIGKILL under a load of End Calls, donations and call-backs: every 2xx write is there, nothing half-written, retries give one result', async () => {
    let server = await startServer();
    const agents = setup.agents.slice(0, AGENTS);
    const agentIds = agents.map((a) => a.id);
    const cookies = await Promise.all(agents.map((a) => login(server.base, a.email)));
    for (const cookie of cookies) {
      expect(
        (await request(server.base, cookie, 'POST', '/api/shift', { jobRoleId: setup.settings.jobRoleId }))?.status,
      ).toBe(201);
      expect(
        (
          await request(server.base, cookie, 'POST', '/api/shift/ready', {
            teamId: setup.teamId,
            campaignId: setup.campaignId,
          })
        )?.status,
      ).toBe(200);
    }

    const sent: Sent[] = [];
    let dead = false;
    let endedCalls = 0;
    const tomorrow = () => new Date(Math.ceil((Date.now() + 86_400_000) / 60_000) * 60_000).toISOString();
    /** One agent's calls, one after the other, until the server is gone. */
    const work = async (agentId: number, cookie: string) => {
      const send = async (kind: Sent['kind'], url: string, body: Record<string, unknown>, key?: string) => {
        const s: Sent = { agentId, kind, url, body, key, answer: null };
        sent.push(s);
        s.answer = await request(server.base, cookie, 'POST', url, body, key);
        if (s.answer && s.answer.status >= 300)
          throw new Error(`${kind} answered ${s.answer.status}: ${JSON.stringify(s.answer.body)}`);
        return s.answer;
      };
      for (let i = 0; !dead; i++) {
        const next = await send('next', '/api/shift/next', {});
        if (!next) return;
        expect(next.body.status).toBe('offered');
        const { donor, id: offerId } = next.body.offer as { id: number; donor: { id: number } };
        const started = await send('start', `/api/offers/${offerId}/start`, {});
        if (!started) return;
        const callId = started.body.call.id as number;
        const variant = i % 3;
        if (variant !== 2) {
          const key = randomUUID();
          const gift = { amount: 500 + i, currency: 'GBP', callId, paymentReference: `crash-a${agentId}c${i}` };
          if (!(await send('donation', `/api/donors/${donor.id}/donations`, gift, key))) return;
        } else {
          const key = randomUUID();
          const booking = {
            donorId: donor.id,
            campaignId: setup.campaignId,
            scheduledAt: tomorrow(),
            ownerAgentId: agentId,
            notes: `crash-callback-a${agentId}c${i}`,
          };
          if (!(await send('appointment', '/api/appointments', booking, key))) return;
        }
        const end =
          variant === 1
            ? { endReasonId: setup.settings.end.appointment, appointment: { scheduledAt: tomorrow(), personal: true } }
            : { endReasonId: setup.settings.end.retry, notes: `call ${i}` };
        if (!(await send('endCall', `/api/calls/${callId}/end`, end, randomUUID()))) return;
        endedCalls++;
      }
    };
    const load = agents.map((a, i) => work(a.id, cookies[i]!));

    // Let the load run until a good number of calls have ended, then pull the plug mid-flight.
    const until = Date.now() + 60_000;
    while (endedCalls < 4 * AGENTS && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(endedCalls).toBeGreaterThanOrEqual(4 * AGENTS);
    await kill(server);
    dead = true;
    await Promise.all(load);
    const unanswered = sent.filter((s) => s.answer === null);
    expect(unanswered.length, 'requests in flight when the server died').toBeGreaterThan(0);

    // Every write answered 2xx is there.
    const answered = sent.filter((s) => s.answer !== null);
    const idsOf = (kind: Sent['kind'], pick: (s: Sent) => number) => answered.filter((s) => s.kind === kind).map(pick);
    const count = async (text: string, ids: number[]) =>
      (await database.pool.query<{ n: number }>(text, [ids])).rows[0]!.n;
    const endedIds = idsOf('endCall', (s) => s.answer!.body.id as number);
    expect(
      await count('select count(*)::int as n from calls where id = any($1) and ended_at is not null', endedIds),
    ).toBe(endedIds.length);
    const booked = answered
      .filter((s) => s.kind === 'endCall' && 'appointment' in s.body)
      .map((s) => s.answer!.body.id as number);
    expect(
      await count(
        `select count(distinct booked_call_id)::int as n from appointments where booked_call_id = any($1)`,
        booked,
      ),
    ).toBe(booked.length);
    const gifts = idsOf('donation', (s) => s.answer!.body.id as number);
    expect(await count('select count(*)::int as n from donations where id = any($1)', gifts)).toBe(gifts.length);
    const callbacks = idsOf('appointment', (s) => s.answer!.body.id as number);
    expect(await count('select count(*)::int as n from appointments where id = any($1)', callbacks)).toBe(
      callbacks.length,
    );
    const calls = idsOf('start', (s) => s.answer!.body.call.id as number);
    expect(await count('select count(*)::int as n from calls where id = any($1)', calls)).toBe(calls.length);
    await expectConsistent(agentIds);

    // Back up: the unanswered writes that carry a key are sent again, twice; each gives one result.
    server = await startServer();
    for (const s of unanswered.filter((x) => x.key)) {
      const cookie = cookies[agents.findIndex((a) => a.id === s.agentId)]!;
      const first = await request(server.base, cookie, 'POST', s.url, s.body, s.key);
      const again = await request(server.base, cookie, 'POST', s.url, s.body, s.key);
      expect(first?.status, `${s.kind} retried: ${JSON.stringify(first?.body)}`).toBeLessThan(300);
      expect(again?.status).toBe(first?.status);
      expect(again?.body).toEqual(first?.body);
    }
    const refs = sent.filter((s) => s.kind === 'donation').map((s) => s.body.paymentReference as string);
    const perRef = await database.pool.query<{ payment_reference: string; n: number }>(
      'select payment_reference, count(*)::int as n from donations where payment_reference = any($1) group by 1',
      [refs],
    );
    for (const r of perRef.rows) expect(r.n, r.payment_reference).toBe(1);
    const notes = sent.filter((s) => s.kind === 'appointment').map((s) => s.body.notes as string);
    const perNote = await database.pool.query<{ notes: string; n: number }>(
      'select notes, count(*)::int as n from appointments where notes = any($1) group by 1',
      [notes],
    );
    for (const r of perNote.rows) expect(r.n, r.notes).toBe(1);
    await expectConsistent(agentIds);

    // And the agents carry on where they were.
    for (const cookie of cookies) {
      const shift = await request(server.base, cookie, 'GET', '/api/shift');
      expect(shift?.status).toBe(200);
    }
    await kill(server);
  });
});

describe('PostgreSQL ends the connection of a use case', () => {
  let server: Server;
  let cookie: string;
  let agentId: number;
  let holder: pg.Client;

  beforeAll(async () => {
    server = await startServer();
    const agent = setup.agents[AGENTS]!;
    agentId = agent.id;
    cookie = await login(server.base, agent.email);
    await request(server.base, cookie, 'POST', '/api/shift', { jobRoleId: setup.settings.jobRoleId });
    await request(server.base, cookie, 'POST', '/api/shift/ready', {
      teamId: setup.teamId,
      campaignId: setup.campaignId,
    });
    holder = new pg.Client({ connectionString: dbUrl });
    await holder.connect();
  }, 120_000);
  afterAll(async () => {
    await holder.end();
  });

  /** Starts a call for the test's agent: the donor and the call. */
  async function onCall(): Promise<{ donorId: number; callId: number; shiftId: number }> {
    const next = await request(server.base, cookie, 'POST', '/api/shift/next');
    expect(next?.body.status).toBe('offered');
    const started = await request(server.base, cookie, 'POST', `/api/offers/${next!.body.offer.id}/start`);
    expect(started?.status).toBe(200);
    const shift = await database.pool.query<{ id: number }>(
      'select id from shifts where agent_id = $1 and closed_at is null',
      [agentId],
    );
    return { donorId: next!.body.offer.donor.id, callId: started!.body.call.id, shiftId: shift.rows[0]!.id };
  }

  /** The server's backend that waits on a lock the test holds (pg_stat_activity's query text may be stale). */
  async function waitingBackend(): Promise<number> {
    const until = Date.now() + STATEMENT_TIMEOUT_MS - 2000;
    for (;;) {
      const r = await holder.query<{ pid: number }>(
        `select pid from pg_stat_activity
          where datname = current_database() and pg_blocking_pids(pid) @> array[pg_backend_pid()]`,
      );
      if (r.rows[0]) return r.rows[0].pid;
      if (Date.now() > until) throw new Error('the use case never waited on the lock');
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async function expectServerFine(): Promise<void> {
    expect(server.proc.exitCode, server.output()).toBeNull();
    expect((await fetch(`${server.base}/api/health`)).status).toBe(200);
  }

  it('mid End Call (one statement on a pooled connection): a clean 503, nothing written, the retry ends the call once', async () => {
    const { callId, shiftId } = await onCall();
    const key = randomUUID();
    const body = { endReasonId: setup.settings.end.retry, notes: 'cut off' };
    await holder.query('begin');
    await holder.query('select id from shifts where id = $1 for update', [shiftId]);
    const pending = request(server.base, cookie, 'POST', `/api/calls/${callId}/end`, body, key);
    await holder.query('select pg_terminate_backend($1)', [await waitingBackend()]);
    const answer = await pending;
    await holder.query('rollback');

    expect(answer?.status).toBe(503);
    expect(answer?.body).toEqual({
      code: 'service_unavailable',
      message: expect.stringMatching(/interrupted\. Try again in a moment/),
      requestId: expect.any(String),
    });
    expect(answer?.headers.get('retry-after')).toBeTruthy();
    await expectServerFine();
    const call = await database.pool.query('select ended_at from calls where id = $1', [callId]);
    expect(call.rows[0].ended_at).toBeNull();
    const keys = await database.pool.query('select 1 from idempotency_keys where key = $1', [key]);
    expect(keys.rowCount).toBe(0);
    await expectConsistent([agentId]);

    const retried = await request(server.base, cookie, 'POST', `/api/calls/${callId}/end`, body, key);
    expect(retried?.status).toBe(200);
    const again = await request(server.base, cookie, 'POST', `/api/calls/${callId}/end`, body, key);
    expect(again?.body).toEqual(retried?.body);
    await expectConsistent([agentId]);
  });

  it('mid donation (a transaction on a checked-out connection): a clean 503, nothing written, the retry records it once', async () => {
    const { donorId, callId } = await onCall();
    const key = randomUUID();
    const gift = { amount: 2500, currency: 'GBP', callId, paymentReference: `cut-${Date.now().toString(36)}` };
    // The test holds the same key uncommitted: the donation's claim of it waits.
    await holder.query('begin');
    await holder.query(
      `insert into idempotency_keys (user_id, operation, key, request_hash) values ($1, 'recordDonation', $2, 'held')`,
      [agentId, key],
    );
    const pending = request(server.base, cookie, 'POST', `/api/donors/${donorId}/donations`, gift, key);
    await holder.query('select pg_terminate_backend($1)', [await waitingBackend()]);
    const answer = await pending;
    await holder.query('rollback');

    expect(answer?.status).toBe(503);
    expect(answer?.body).toMatchObject({ code: 'service_unavailable', requestId: expect.any(String) });
    await expectServerFine();
    const none = await database.pool.query('select 1 from donations where payment_reference = $1', [
      gift.paymentReference,
    ]);
    expect(none.rowCount).toBe(0);

    const retried = await request(server.base, cookie, 'POST', `/api/donors/${donorId}/donations`, gift, key);
    expect(retried?.status).toBe(201);
    const again = await request(server.base, cookie, 'POST', `/api/donors/${donorId}/donations`, gift, key);
    expect(again?.body).toEqual(retried?.body);
    const one = await database.pool.query('select 1 from donations where payment_reference = $1', [
      gift.paymentReference,
    ]);
    expect(one.rowCount).toBe(1);
    const end = await request(server.base, cookie, 'POST', `/api/calls/${callId}/end`, {
      endReasonId: setup.settings.end.retry,
    });
    expect(end?.status).toBe(200);
    await expectConsistent([agentId]);
  });

  it('a use case kept waiting past DB_STATEMENT_TIMEOUT_MS answers 503 and changes nothing', async () => {
    const { callId, shiftId } = await onCall();
    await holder.query('begin');
    await holder.query('select id from shifts where id = $1 for update', [shiftId]);
    const t0 = Date.now();
    const answer = await request(server.base, cookie, 'POST', `/api/calls/${callId}/end`, {
      endReasonId: setup.settings.end.retry,
    });
    const waited = Date.now() - t0;
    await holder.query('rollback');
    expect(answer?.status).toBe(503);
    expect(answer?.body.message).toMatch(/took too long and was stopped, so nothing was changed/);
    expect(waited).toBeGreaterThanOrEqual(STATEMENT_TIMEOUT_MS - 500);
    await expectServerFine();
    const call = await database.pool.query('select ended_at from calls where id = $1', [callId]);
    expect(call.rows[0].ended_at).toBeNull();
    const end = await request(server.base, cookie, 'POST', `/api/calls/${callId}/end`, {
      endReasonId: setup.settings.end.retry,
    });
    expect(end?.status).toBe(200);
    await expectConsistent([agentId]);
  });
});
