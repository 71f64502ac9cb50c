/**
 * npm run bench -- --agents 100 --donors 1000000 --seconds 60 [--instances 2] [--json]
 *
 * A fresh database, the donors loaded with COPY, the real server (one or more instances), and N
 * simulated agents each looping as fast as it can through the HTTP API: nextDonor, then
 * startCall + endCall (random end reason, some retries) or skipOffer. Then the same service
 * calls straight on the database with the same concurrency (raw), and a check of the data:
 * no donor held by two agents at once, no acknowledged End Call without its call record.
 * The agents sign in and get ready before the clock starts. The CPU each part used per cycle
 * (database, server, the simulated agents) is printed too: all three share this machine's cores.
 */
import { type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { nextDonorResponseSchema, startCallResponseSchema } from '@engage/contracts';
import { createDatabase } from '../src/db/client';
import { createDialerService } from '../src/features/dialer/dialer.service';
import { createEventSender } from '../src/lib/realtime';
import { freshDatabase, loadDonors, processCpuSeconds, setUpCampaign, type BenchSetup } from './bench-db';
import { percentile, request, round, startInstance } from './bench-http';

const { values: args } = parseArgs({
  options: {
    agents: { type: 'string', default: '100' },
    donors: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '60' },
    instances: { type: 'string', default: '1' },
    'raw-seconds': { type: 'string' },
    'pool-size': { type: 'string', default: '20' },
    json: { type: 'boolean', default: false },
  },
});
const AGENTS = Number(args.agents);
const DONORS = Number(args.donors);
const SECONDS = Number(args.seconds);
const INSTANCES = Number(args.instances);
const RAW_SECONDS = Number(args['raw-seconds'] ?? Math.min(SECONDS, 20));
const POOL = Number(args['pool-size']);
const log = (m: string) => {
  if (!args.json) process.stderr.write(`[bench] ${m}\n`);
};

interface Stats {
  cycles: number;
  errors: number;
  errorSamples: string[];
  next: number[];
  end: number[];
  acknowledgedCalls: number[];
}

function newStats(): Stats {
  return { cycles: 0, errors: 0, errorSamples: [], next: [], end: [], acknowledgedCalls: [] };
}

/** Deterministic per-agent randomness, so runs are comparable. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

type Call = (
  method: string,
  url: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<{ status: number; body: unknown }>;

function recordError(stats: Stats, what: string, r: { status: number; body: unknown }) {
  stats.errors++;
  if (stats.errorSamples.length < 5)
    stats.errorSamples.push(`${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
}

/**
 * Signs an agent in and makes it ready on the bench campaign, before the clock starts (a sign-in
 * is a deliberately slow password hash). Null when that failed, counted as an error.
 */
async function readyHttpAgent(base: string, setup: BenchSetup, index: number, stats: Stats): Promise<Call | null> {
  const a = setup.agents[index]!;
  const login = await request(base, 'POST', '/api/auth/login', { email: a.email, password: setup.password }, {});
  if (login.status !== 200) {
    recordError(stats, 'login', login);
    return null;
  }
  const cookie = String(login.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
  const call: Call = (method, url, body, headers = {}) => request(base, method, url, body, { cookie, ...headers });
  let r = await call('POST', '/api/shift', { jobRoleId: setup.jobRoleId });
  if (r.status !== 201) {
    recordError(stats, 'openShift', r);
    return null;
  }
  r = await call('POST', '/api/shift/ready', { teamId: setup.teamId, campaignId: setup.campaignId });
  if (r.status !== 200) {
    recordError(stats, 'setReady', r);
    return null;
  }
  return call;
}

async function httpAgentLoop(call: Call, setup: BenchSetup, index: number, deadline: number, stats: Stats) {
  const fail = (what: string, r: { status: number; body: unknown }) => recordError(stats, what, r);
  const random = rng(index + 1);
  while (Date.now() < deadline) {
    const t0 = performance.now();
    const next = await call('POST', '/api/shift/next');
    stats.next.push(performance.now() - t0);
    const parsed = nextDonorResponseSchema.safeParse(next.body);
    if (next.status !== 200 || !parsed.success || parsed.data.status !== 'offered') {
      fail('nextDonor', next);
      continue;
    }
    const offerId = parsed.data.offer.id;
    if (random() < 0.2) {
      const s = await call('POST', `/api/offers/${offerId}/skip`, { skipReasonId: setup.skipReasonId });
      if (s.status !== 204) fail('skipOffer', s);
      else stats.cycles++;
      continue;
    }
    const started = await call('POST', `/api/offers/${offerId}/start`);
    const startedBody = startCallResponseSchema.safeParse(started.body);
    if (started.status !== 200 || !startedBody.success) {
      fail('startCall', started);
      continue;
    }
    const callId = startedBody.data.call.id;
    const reason = setup.endReasons[Math.floor(random() * setup.endReasons.length)]!;
    const t1 = performance.now();
    const ended = await call(
      'POST',
      `/api/calls/${callId}/end`,
      { endReasonId: reason.id, notes: 'bench' },
      { 'idempotency-key': randomUUID() },
    );
    stats.end.push(performance.now() - t1);
    if (ended.status !== 200) fail('endCall', ended);
    else {
      stats.cycles++;
      stats.acknowledgedCalls.push(callId);
    }
  }
}

async function rawAgentLoop(
  dialer: ReturnType<typeof createDialerService>,
  setup: BenchSetup,
  index: number,
  deadline: number,
  stats: Stats,
) {
  const a = { id: setup.agents[index]!.id, name: 'raw' };
  const random = rng(index + 1000);
  while (Date.now() < deadline) {
    try {
      const next = await dialer.nextDonor(a);
      if (next.status !== 'offered') throw new Error('out of data');
      if (random() < 0.2) {
        await dialer.skipOffer(a, next.offer.id, setup.skipReasonId, undefined);
        stats.cycles++;
        continue;
      }
      const { call } = await dialer.startCall(a, next.offer.id);
      const reason = setup.endReasons[Math.floor(random() * setup.endReasons.length)]!;
      await dialer.endCall(a, call.id, { endReasonId: reason.id, notes: 'bench' }, randomUUID());
      stats.cycles++;
    } catch (err) {
      stats.errors++;
      if (stats.errorSamples.length < 5) stats.errorSamples.push(String(err));
    }
  }
}

interface CpuReading {
  database: number | null;
  servers: number | null;
  agents: number;
}

/** CPU seconds used so far by the database (when embedded), the server processes, and this process (the agents). */
function cpuNow(database: () => number | null, servers: { proc: ChildProcess }[]): CpuReading {
  const own = process.cpuUsage();
  let total: number | null = 0;
  for (const { proc } of servers) {
    const s = proc.pid === undefined ? null : processCpuSeconds(proc.pid);
    total = s === null || total === null ? null : total + s;
  }
  return { database: database(), servers: total, agents: (own.user + own.system) / 1e6 };
}

/** Milliseconds of CPU per cycle between two readings: where a cycle's cost goes. */
function cpuSpent(from: CpuReading, to: CpuReading, cycles: number) {
  const perCycle = (a: number | null, b: number | null) =>
    a === null || b === null || cycles === 0 ? null : round(((b - a) * 1000) / cycles, 2);
  return {
    database: perCycle(from.database, to.database),
    server: perCycle(from.servers, to.servers),
    agents: perCycle(from.agents, to.agents),
  };
}

/** The CPU row of the table, with the most cycles a second this machine's cores could give at that cost. */
function cpuLine(cpu: ReturnType<typeof cpuSpent>): string {
  const parts = [cpu.database, cpu.server, cpu.agents];
  const text = parts.map((v) => (v === null ? 'not measured' : `${v} ms`)).join(' / ');
  if (parts.some((v) => v === null)) return text;
  const total = parts.reduce<number>((a, v) => a + v!, 0);
  const cores = os.cpus().length;
  return `${text} (${cores} cores: at most ${Math.round((cores * 1000) / total)} cycles/s)`;
}

async function checkData(url: string, acknowledged: number[]) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    // Two offers of one donor whose holds overlapped in time (a started offer holds until its call ends).
    const double = await c.query<{ n: number }>(`
      WITH held AS (
        SELECT o.id, o.donor_id, o.shift_id, o.offered_at,
               CASE WHEN o.status = 'started' THEN COALESCE(cl.ended_at, 'infinity')
                    ELSE LEAST(COALESCE(o.resolved_at, 'infinity'), o.expires_at) END AS held_until
          FROM offers o LEFT JOIN calls cl ON cl.offer_id = o.id)
      SELECT count(*)::int AS n FROM held a JOIN held b
        ON a.donor_id = b.donor_id AND a.id < b.id AND a.shift_id <> b.shift_id
       AND b.offered_at < a.held_until AND a.offered_at < b.held_until`);
    const found = await c.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM calls WHERE id = ANY($1::int[]) AND ended_at IS NOT NULL AND end_reason_id IS NOT NULL',
      [acknowledged],
    );
    return { doubleHolds: double.rows[0]!.n, lostRecords: acknowledged.length - found.rows[0]!.n };
  } finally {
    await c.end();
  }
}

async function main() {
  const t0 = Date.now();
  const db = await freshDatabase(log);
  try {
    log(`loading ${DONORS.toLocaleString('en')} donors with COPY`);
    await loadDonors(db.url, DONORS);
    const setup = await setUpCampaign(db.url, AGENTS);
    log(`data ready in ${((Date.now() - t0) / 1000).toFixed(1)} s; starting ${INSTANCES} server instance(s)`);
    const servers = await Promise.all(Array.from({ length: INSTANCES }, () => startInstance(db.url, POOL)));

    const http = newStats();
    log(`signing in ${AGENTS} agents`);
    const calls = await Promise.all(
      setup.agents.map((_, i) => readyHttpAgent(servers[i % servers.length]!.base, setup, i, http)),
    );
    log(`${AGENTS} agents calling for ${SECONDS} s through the HTTP API`);
    let deadline = Date.now() + SECONDS * 1000;
    const cpuAtStart = cpuNow(db.cpuSeconds, servers);
    const started = performance.now();
    await Promise.all(
      calls.map((call, i) => (call ? httpAgentLoop(call, setup, i, deadline, http) : Promise.resolve())),
    );
    const httpSeconds = (performance.now() - started) / 1000;
    const cpu = cpuSpent(cpuAtStart, cpuNow(db.cpuSeconds, servers), http.cycles);
    await Promise.all(
      servers.map(
        ({ proc }) =>
          new Promise<void>((resolve) => {
            proc.once('exit', () => resolve());
            proc.kill('SIGTERM');
          }),
      ),
    );

    // The same service calls (the same SQL) straight on the database, same concurrency.
    const direct = createDatabase(db.url, { max: POOL * INSTANCES });
    const pool = direct.pool;
    const events = createEventSender(direct.db, { warn: (_o, msg) => log(msg) });
    const dialer = createDialerService({ db: direct.db, events });
    await pool.query('UPDATE shifts SET closed_at = now() WHERE closed_at IS NULL');
    const raw = newStats();
    for (const { id } of setup.agents) {
      await dialer.openShift({ id, name: 'raw' }, setup.jobRoleId);
      await dialer.setReady({ id, name: 'raw' }, setup.teamId, setup.campaignId);
    }
    log(`the same statements without HTTP for ${RAW_SECONDS} s`);
    deadline = Date.now() + RAW_SECONDS * 1000;
    const rawStarted = performance.now();
    await Promise.all(setup.agents.map((_, i) => rawAgentLoop(dialer, setup, i, deadline, raw)));
    const rawSeconds = (performance.now() - rawStarted) / 1000;
    await events.flush();
    await pool.end();

    const check = await checkData(db.url, http.acknowledgedCalls);
    const next = [...http.next].sort((a, b) => a - b);
    const end = [...http.end].sort((a, b) => a - b);
    const cyclesPerS = http.cycles / httpSeconds;
    const rawPerS = raw.cycles / rawSeconds;
    const result = {
      agents: AGENTS,
      donors: DONORS,
      seconds: SECONDS,
      instances: INSTANCES,
      cycles: http.cycles,
      cycles_per_s: round(cyclesPerS),
      next_p50_ms: round(percentile(next, 50)),
      next_p99_ms: round(percentile(next, 99)),
      end_p99_ms: round(percentile(end, 99)),
      errors: http.errors,
      double_holds: check.doubleHolds,
      lost_records: check.lostRecords,
      raw_cycles_per_s: round(rawPerS),
      ratio: round(cyclesPerS / rawPerS, 2),
      agents_at_30s: Math.round(cyclesPerS * 30),
      cpu_ms_per_cycle: cpu,
    };
    if (args.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      const rows: [string, string][] = [
        ['agents / donors / instances', `${AGENTS} / ${DONORS.toLocaleString('en')} / ${INSTANCES}`],
        ['cycles (next + start + end, or next + skip)', `${http.cycles} in ${httpSeconds.toFixed(1)} s`],
        ['cycles per second (HTTP)', `${result.cycles_per_s}`],
        ['cycles per second (same SQL, no HTTP)', `${result.raw_cycles_per_s}`],
        ['ratio HTTP / raw', `${result.ratio}`],
        ['nextDonor p50 / p99', `${result.next_p50_ms} ms / ${result.next_p99_ms} ms`],
        ['endCall p99', `${result.end_p99_ms} ms`],
        ['errors', `${result.errors}`],
        ['double holds', `${result.double_holds}`],
        ['lost call records', `${result.lost_records}`],
        ['agents served (one call each 30 s)', `${result.agents_at_30s}`],
        ['CPU per cycle: database / server / agents', cpuLine(cpu)],
      ];
      const w = Math.max(...rows.map(([k]) => k.length));
      process.stdout.write(`\n${rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n')}\n\n`);
      for (const s of [...http.errorSamples, ...raw.errorSamples]) process.stdout.write(`  error sample: ${s}\n`);
    }
    if (result.double_holds > 0 || result.lost_records > 0 || result.errors > 0) process.exitCode = 1;
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
