/**
 * npm run bench:inbound -- --agents 50 --calls-per-s 20 --seconds 60 [--json]
 *
 * Inbound routing under a steady stream of calls (issue 11, item 11): a fresh database, the real
 * server on 127.0.0.1, N agents signed in under a job role that takes inbound, Ready, polling
 * their shift (getShift) as the screen does, and a simulated phone system offering calls to one
 * line at R calls a second for S seconds (signed as a phone system signs). A rung agent answers
 * after a short random delay and ends the call a few seconds later (the phone system then sends
 * `ended`); a few callers hang up while they wait (`abandoned`). Then the phone system stops, the
 * queue drains, and the database is checked.
 *
 * Printed: routing latency of offerInboundCall (request to answer, ring and queue apart), how long
 * a queued caller waited from the moment an agent became free to being rung (from the calls'
 * history), getShift's latency, counts, errors, and from the database: one call rung to two agents
 * at once, one agent rung for two calls at once, calls lost (still queued or ringing after the
 * drain, or answered with no call record). CPU per call of the database and the server, and how
 * often a statement waited for a lock (pg_stat_activity sampled every 50 ms), say where time goes.
 * Fails on errors, double rings or lost calls; never on speed.
 */
import { type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { hashPhoneSystemToken } from '../src/features/inbound/inbound.service';
import { signPhoneSystemBody } from '../src/features/inbound/phone-system-auth';
import { freshDatabase, loadDonors, processCpuSeconds, setUpCampaign, type BenchSetup } from './bench-db';
import { percentile, request, round, startInstance } from './bench-http';

const { values: args } = parseArgs({
  options: {
    agents: { type: 'string', default: '50' },
    'calls-per-s': { type: 'string', default: '20' },
    seconds: { type: 'string', default: '60' },
    /** How long an answered call lasts, ms (uniform between the two). */
    'talk-ms': { type: 'string', default: '1000,2500' },
    /** How long a rung agent takes to press Answer, ms. */
    'answer-ms': { type: 'string', default: '100,500' },
    /** How often each agent's screen polls getShift, ms. */
    'poll-ms': { type: 'string', default: '250' },
    /** The share of callers who hang up 1-4 s after calling if nobody has answered. */
    abandon: { type: 'string', default: '0.03' },
    /** Seconds of calls before the measured ones (the server's code warms up), not counted. */
    'warmup-s': { type: 'string', default: '3' },
    'pool-size': { type: 'string', default: '20' },
    json: { type: 'boolean', default: false },
  },
});
const AGENTS = Number(args.agents);
const RATE = Number(args['calls-per-s']);
const SECONDS = Number(args.seconds);
const range = (v: string) => v.split(',').map(Number) as [number, number];
const TALK = range(args['talk-ms']);
const ANSWER = range(args['answer-ms']);
const POLL_MS = Number(args['poll-ms']);
const ABANDON = Number(args.abandon);
const POOL = Number(args['pool-size']);
const WARMUP = Number(args['warmup-s']);
const LINE_NUMBER = '+442079460888';
const log = (m: string) => {
  if (!args.json) process.stderr.write(`[bench:inbound] ${m}\n`);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Deterministic randomness, so runs are comparable. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}
const between = (random: () => number, [lo, hi]: [number, number]) => lo + random() * (hi - lo);

interface Stats {
  errors: number;
  errorSamples: string[];
  /** Conflicts a real phone system and screen meet and shrug off (an Answer after the caller hung up). */
  expectedConflicts: number;
  offerRing: number[];
  offerQueue: number[];
  getShift: number[];
  heartbeat: number[];
  offered: number;
  answeredByAgents: number;
  endedByAgents: number;
}

function recordError(stats: Stats, what: string, r: { status: number; body: unknown }) {
  stats.errors++;
  if (stats.errorSamples.length < 5)
    stats.errorSamples.push(`${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
}

/** The line, answered by the bench team, open all week, and a phone-system token. */
async function setUpLine(url: string, setup: BenchSetup): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const allDay = JSON.stringify(Array.from({ length: 7 }, () => ({ start: '00:00', end: '24:00' })));
    const line = await c.query<{ id: number }>(
      `insert into inbound_lines (number, name, campaign_id, time_zone, weekday_hours, ring_seconds, max_wait_seconds)
       values ($1, 'Bench line', $2, 'Europe/London', $3::jsonb, 10, 120) returning id`,
      [LINE_NUMBER, setup.campaignId, allDay],
    );
    await c.query('insert into inbound_line_teams (line_id, team_id) values ($1, $2)', [
      line.rows[0]!.id,
      setup.teamId,
    ]);
    const token = `eps_bench_${randomUUID()}`;
    await c.query('insert into phone_system_tokens (name, token_hash, created_by) values ($1, $2, $3)', [
      'Bench PBX',
      hashPhoneSystemToken(token),
      setup.agents[0]!.id,
    ]);
    await c.query('vacuum analyze');
    return token;
  } finally {
    await c.end();
  }
}

type Call = (method: string, url: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

/** Signs an agent in, opens a shift under the inbound job role and makes it Ready. */
async function readyAgent(base: string, setup: BenchSetup, index: number, stats: Stats): Promise<Call | null> {
  const a = setup.agents[index]!;
  const login = await request(base, 'POST', '/api/auth/login', { email: a.email, password: setup.password }, {});
  if (login.status !== 200) {
    recordError(stats, 'login', login);
    return null;
  }
  const cookie = String(login.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
  const call: Call = (method, url, body) =>
    request(base, method, url, body, {
      cookie,
      ...(url.endsWith('/end') ? { 'idempotency-key': randomUUID() } : {}),
    });
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

/** What the phone system remembers of each call: its id, and whether an agent answered it. */
interface PbxCall {
  callId: string;
  answered: boolean;
}

function phoneSystem(base: string, token: string) {
  const send = (path: string, body: unknown) => {
    const payload = JSON.stringify(body);
    const t = Math.floor(Date.now() / 1000);
    return request(base, 'POST', path, body, {
      authorization: `Bearer ${token}`,
      'x-engage-signature': `t=${t},v1=${signPhoneSystemBody(token, t, payload)}`,
    });
  };
  return {
    offer: (callId: string, from: string) => send('/api/phone-system/calls', { callId, from, to: LINE_NUMBER }),
    event: (callId: string, type: string, agentId?: number) =>
      send('/api/phone-system/calls/events', { callId, type, ...(agentId === undefined ? {} : { agentId }) }),
  };
}

async function agentLoop(
  call: Call,
  index: number,
  stopAt: () => boolean,
  pbx: ReturnType<typeof phoneSystem>,
  calls: Map<number, PbxCall>,
  stats: Stats,
) {
  const random = rng(index + 1);
  const endReasonId = Number(process.env.BENCH_END_REASON);
  // The screen's heartbeat (every 15 s, as use-heartbeat.ts): one UPDATE of the shift's lease. Its
  // time bounds how long it holds the shift's row lock, the lock routing's SKIP LOCKED passes over.
  const beat = setInterval(
    () => {
      const t0 = performance.now();
      void call('POST', '/api/shift/heartbeat', {}).then((r) => {
        stats.heartbeat.push(performance.now() - t0);
        if (r.status >= 300) recordError(stats, 'heartbeat', r);
      });
    },
    15_000 + index * 37,
  );
  try {
    await agentWork(call, index, stopAt, pbx, calls, stats, random, endReasonId);
  } finally {
    clearInterval(beat);
  }
}

async function agentWork(
  call: Call,
  index: number,
  stopAt: () => boolean,
  pbx: ReturnType<typeof phoneSystem>,
  calls: Map<number, PbxCall>,
  stats: Stats,
  random: () => number,
  endReasonId: number,
) {
  while (!stopAt()) {
    const t0 = performance.now();
    const shift = await call('GET', '/api/shift');
    stats.getShift.push(performance.now() - t0);
    const body = shift.body as { state?: string; incoming?: { inboundCallId: number } | null } | null;
    if (shift.status !== 200 || !body) {
      recordError(stats, 'getShift', shift);
      await sleep(POLL_MS);
      continue;
    }
    if (!body.incoming) {
      await sleep(POLL_MS * (0.5 + random()));
      continue;
    }
    const inboundCallId = body.incoming.inboundCallId;
    await sleep(between(random, ANSWER));
    const answered = await call('POST', `/api/inbound/calls/${inboundCallId}/answer`);
    if (answered.status === 409) {
      // The caller hung up meanwhile, or the ring time ran out: the screen carries on.
      stats.expectedConflicts++;
      continue;
    }
    if (answered.status !== 200) {
      recordError(stats, 'answerInboundCall', answered);
      continue;
    }
    stats.answeredByAgents++;
    const pbxCall = calls.get(inboundCallId);
    if (pbxCall) pbxCall.answered = true;
    const callId = (answered.body as { call: { id: number } }).call.id;
    await sleep(between(random, TALK));
    const ended = await call('POST', `/api/calls/${callId}/end`, { endReasonId, notes: 'bench' });
    if (ended.status !== 200) recordError(stats, 'endCall', ended);
    else stats.endedByAgents++;
    if (pbxCall) {
      const e = await pbx.event(pbxCall.callId, 'ended');
      if (e.status !== 200) recordError(stats, 'inboundCallEvent ended', e);
    }
  }
}

/** The phone system: R offers a second, each sent as soon as it is due (not waiting for the last); answers the seconds it took to send them. */
async function offerLoop(
  pbx: ReturnType<typeof phoneSystem>,
  calls: Map<number, PbxCall>,
  stats: Stats,
  seconds: number,
): Promise<number> {
  const random = rng(4242 + seconds);
  const total = Math.round(RATE * seconds);
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  const first = calls.size;
  for (let i = first; i < first + total; i++) {
    const due = started + ((i - first) * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const callId = `bench-${i}-${randomUUID()}`;
    const from = `+4477${String(100000 + (i % 900000)).padStart(8, '0')}`;
    const hangsUp = random() < ABANDON ? 1000 + random() * 3000 : null;
    inFlight.push(
      (async () => {
        const t0 = performance.now();
        const r = await pbx.offer(callId, from);
        const ms = performance.now() - t0;
        stats.offered++;
        const answer = r.body as { inboundCallId?: number; action?: string };
        if (r.status !== 200 || !answer.inboundCallId) {
          recordError(stats, 'offerInboundCall', r);
          return;
        }
        (answer.action === 'ring' ? stats.offerRing : stats.offerQueue).push(ms);
        const mine: PbxCall = { callId, answered: false };
        calls.set(answer.inboundCallId, mine);
        if (hangsUp !== null) {
          await sleep(hangsUp);
          if (mine.answered) return;
          const e = await pbx.event(callId, 'abandoned');
          // Answered at the same moment: the phone system is told to send ended instead (409).
          if (e.status === 409) stats.expectedConflicts++;
          else if (e.status !== 200) recordError(stats, 'inboundCallEvent abandoned', e);
        }
      })(),
    );
  }
  const dispatchSeconds = (performance.now() - started) / 1000;
  await Promise.all(inFlight);
  return dispatchSeconds;
}

/** Samples pg_stat_activity: how many backends were running, and how many waited for a lock. */
function lockSampler(url: string) {
  const c = new pg.Client({ connectionString: url });
  let samples = 0;
  let active = 0;
  let lockWaits = 0;
  /** What the waiting statements were, by their first words (where the lock waits come from). */
  const waitingOn = new Map<string, number>();
  let stop = false;
  const done = (async () => {
    await c.connect();
    while (!stop) {
      const r = await c.query<{ active: number; locks: number }>(
        `select count(*) filter (where state = 'active')::int as active,
                count(*) filter (where wait_event_type = 'Lock')::int as locks
           from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
      );
      samples++;
      active += r.rows[0]!.active;
      lockWaits += r.rows[0]!.locks;
      if (r.rows[0]!.locks > 0) {
        const w = await c.query<{ q: string }>(
          `select left(regexp_replace(query, '\\s+', ' ', 'g'), 70) as q from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock'`,
        );
        for (const { q } of w.rows) waitingOn.set(q, (waitingOn.get(q) ?? 0) + 1);
      }
      await sleep(50);
    }
    await c.end();
  })();
  return {
    async stop() {
      stop = true;
      await done;
      const top = [...waitingOn.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
      return {
        samples,
        avgActive: samples ? active / samples : 0,
        avgLockWaiting: samples ? lockWaits / samples : 0,
        waitingOn: top.map(([q, n]) => `${n}× ${q}`),
      };
    },
  };
}

/** From the database: double rings, lost calls, outcomes, and queued callers' wait from a free agent to their ring. */
async function checkData(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const one = async (text: string) => (await c.query<{ n: number }>(text)).rows[0]!.n;
    // Each ring lasts from its 'ringing' event to the call's next event (an answer, a miss, a hang-up).
    const rings = `
      WITH ev AS (
        SELECT inbound_call_id, type, agent_id, at, id,
               lead(at) OVER (PARTITION BY inbound_call_id ORDER BY id) AS next_at,
               lead(type) OVER (PARTITION BY inbound_call_id ORDER BY id) AS next_type
          FROM inbound_call_events)
      SELECT inbound_call_id, agent_id, at AS rung_at, COALESCE(next_at, 'infinity') AS until, next_type, id
        FROM ev WHERE type = 'ringing'`;
    const callRungTwice = await one(
      `WITH r AS (${rings}) SELECT count(*)::int AS n FROM r WHERE next_type = 'ringing'`,
    );
    const agentRungTwice = await one(`
      WITH r AS (${rings})
      SELECT count(*)::int AS n FROM r a JOIN r b
        ON a.agent_id = b.agent_id AND a.id < b.id AND a.inbound_call_id <> b.inbound_call_id
       AND b.rung_at < a.until AND a.rung_at < b.until`);
    const statuses = await c.query<{ status: string; n: number }>(
      'SELECT status::text, count(*)::int AS n FROM inbound_calls GROUP BY status',
    );
    const answeredWithoutRecord = await one(`
      SELECT count(*)::int AS n FROM inbound_calls ic
       WHERE ic.answered_by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM calls c WHERE c.id = ic.call_id)`);
    const answeredTwice = await one(`
      SELECT count(*)::int AS n FROM (SELECT inbound_call_id FROM inbound_call_events WHERE type = 'answered'
       GROUP BY inbound_call_id HAVING count(*) > 1) x`);
    // A queued caller rung later: from when the agent became free (the end of their last call, or
    // the caller's arrival if the agent was free already) to the ring.
    const waits = await c.query<{ ms: number }>(`
      SELECT extract(epoch FROM e.at - GREATEST(q.at, COALESCE(
               (SELECT max(cl.ended_at) FROM calls cl WHERE cl.agent_id = e.agent_id AND cl.ended_at <= e.at), q.at))) * 1000 AS ms
        FROM inbound_call_events e
        JOIN inbound_call_events q ON q.inbound_call_id = e.inbound_call_id AND q.type = 'queued'
       WHERE e.type = 'ringing' AND e.at > q.at`);
    const byStatus = Object.fromEntries(statuses.rows.map((r) => [r.status, r.n]));
    return {
      callRungTwice,
      agentRungTwice,
      answeredTwice,
      byStatus,
      lost: (byStatus.queued ?? 0) + (byStatus.ringing ?? 0) + answeredWithoutRecord,
      freeToRung: waits.rows.map((r) => Number(r.ms)).sort((a, b) => a - b),
    };
  } finally {
    await c.end();
  }
}

async function main() {
  const db = await freshDatabase(log);
  const servers: { proc: ChildProcess; base: string }[] = [];
  try {
    await loadDonors(db.url, 1000);
    const setup = await setUpCampaign(db.url, AGENTS);
    process.env.BENCH_END_REASON = String(setup.endReasons[0]!.id);
    const token = await setUpLine(db.url, setup);
    servers.push(await startInstance(db.url, POOL));
    const base = servers[0]!.base;
    const stats: Stats = {
      errors: 0,
      errorSamples: [],
      expectedConflicts: 0,
      offerRing: [],
      offerQueue: [],
      getShift: [],
      heartbeat: [],
      offered: 0,
      answeredByAgents: 0,
      endedByAgents: 0,
    };
    log(`signing in ${AGENTS} agents`);
    const agentCalls = await Promise.all(setup.agents.map((_, i) => readyAgent(base, setup, i, stats)));
    const pbx = phoneSystem(base, token);
    const calls = new Map<number, PbxCall>();
    let stopped = false;
    log(`${RATE} calls/s for ${SECONDS} s to ${AGENTS} agents`);
    if (WARMUP > 0) {
      log(`warming up for ${WARMUP} s (not counted)`);
      await offerLoop(pbx, calls, stats, WARMUP);
      for (const xs of [stats.offerRing, stats.offerQueue, stats.getShift, stats.heartbeat]) xs.length = 0;
      stats.offered = 0;
    }
    const cpu0 = { db: db.cpuSeconds(), server: processCpuSeconds(servers[0]!.proc.pid!) };
    const sampler = lockSampler(db.url);
    const agentsDone = Promise.all(
      agentCalls.map((call, i) => (call ? agentLoop(call, i, () => stopped, pbx, calls, stats) : Promise.resolve())),
    );
    const offerSeconds = await offerLoop(pbx, calls, stats, SECONDS);
    const cpu1 = { db: db.cpuSeconds(), server: processCpuSeconds(servers[0]!.proc.pid!) };
    const locks = await sampler.stop();
    // The queue drains: agents keep answering until no caller waits or rings (at most 60 s).
    const drain = new pg.Client({ connectionString: db.url });
    await drain.connect();
    for (let i = 0; i < 600; i++) {
      const r = await drain.query<{ n: number }>(
        `select count(*)::int as n from inbound_calls where status in ('queued', 'ringing')`,
      );
      if (r.rows[0]!.n === 0) break;
      await sleep(100);
    }
    await drain.end();
    stopped = true;
    await agentsDone;
    const check = await checkData(db.url);

    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const ring = sorted(stats.offerRing);
    const queue = sorted(stats.offerQueue);
    const all = sorted([...stats.offerRing, ...stats.offerQueue]);
    const poll = sorted(stats.getShift);
    const beats = sorted(stats.heartbeat);
    const perCall = (a: number | null, b: number | null) =>
      a === null || b === null || stats.offered === 0 ? null : round(((b - a) * 1000) / stats.offered, 2);
    const result = {
      agents: AGENTS,
      calls_per_s: RATE,
      seconds: SECONDS,
      offered: stats.offered,
      offered_per_s: round(stats.offered / offerSeconds),
      offer_p50_ms: round(percentile(all, 50)),
      offer_p95_ms: round(percentile(all, 95)),
      offer_p99_ms: round(percentile(all, 99)),
      offer_ring: { n: ring.length, p50_ms: round(percentile(ring, 50)), p99_ms: round(percentile(ring, 99)) },
      offer_queue: { n: queue.length, p50_ms: round(percentile(queue, 50)), p99_ms: round(percentile(queue, 99)) },
      free_to_rung: {
        n: check.freeToRung.length,
        p50_ms: round(percentile(check.freeToRung, 50)),
        p95_ms: round(percentile(check.freeToRung, 95)),
        p99_ms: round(percentile(check.freeToRung, 99)),
      },
      get_shift: { n: poll.length, p50_ms: round(percentile(poll, 50)), p99_ms: round(percentile(poll, 99)) },
      heartbeat: { n: beats.length, p50_ms: round(percentile(beats, 50)), p99_ms: round(percentile(beats, 99)) },
      answered: stats.answeredByAgents,
      statuses: check.byStatus,
      errors: stats.errors,
      expected_conflicts: stats.expectedConflicts,
      call_rung_to_two_agents: check.callRungTwice,
      agent_rung_two_calls: check.agentRungTwice,
      answered_twice: check.answeredTwice,
      lost: check.lost,
      cpu_ms_per_call: { database: perCall(cpu0.db, cpu1.db), server: perCall(cpu0.server, cpu1.server) },
      backends_active_avg: round(locks.avgActive, 2),
      backends_waiting_for_lock_avg: round(locks.avgLockWaiting, 2),
      lock_waits_in: locks.waitingOn,
    };
    if (args.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      const rows: [string, string][] = [
        ['agents / calls per s / seconds', `${AGENTS} / ${RATE} / ${SECONDS}`],
        ['calls offered', `${stats.offered} (${result.offered_per_s}/s)`],
        [
          'offer → answer p50 / p95 / p99',
          `${result.offer_p50_ms} / ${result.offer_p95_ms} / ${result.offer_p99_ms} ms`,
        ],
        ['  answered ring', `${ring.length}: p50 ${result.offer_ring.p50_ms} ms, p99 ${result.offer_ring.p99_ms} ms`],
        [
          '  answered queue',
          `${queue.length}: p50 ${result.offer_queue.p50_ms} ms, p99 ${result.offer_queue.p99_ms} ms`,
        ],
        [
          'queued caller: agent free → rung',
          `${result.free_to_rung.n}: p50 ${result.free_to_rung.p50_ms} / p95 ${result.free_to_rung.p95_ms} / p99 ${result.free_to_rung.p99_ms} ms`,
        ],
        [
          'getShift (poll) p50 / p99',
          `${result.get_shift.p50_ms} / ${result.get_shift.p99_ms} ms (${poll.length} polls)`,
        ],
        ['heartbeat p50 / p99', `${result.heartbeat.p50_ms} / ${result.heartbeat.p99_ms} ms (${beats.length})`],
        ['answered by agents (warm-up included)', `${stats.answeredByAgents}`],
        ['calls by final status', JSON.stringify(check.byStatus)],
        ['errors', `${stats.errors} (and ${stats.expectedConflicts} expected 409s: answer after a hang-up)`],
        ['one call rung to two agents at once', `${check.callRungTwice}`],
        ['one agent rung for two calls at once', `${check.agentRungTwice}`],
        ['a call answered twice', `${check.answeredTwice}`],
        ['lost calls', `${check.lost}`],
        [
          'CPU per call: database / server',
          `${result.cpu_ms_per_call.database ?? 'not measured'} / ${result.cpu_ms_per_call.server ?? 'not measured'} ms`,
        ],
        [
          'backends active / waiting for a lock (avg)',
          `${result.backends_active_avg} / ${result.backends_waiting_for_lock_avg}`,
        ],
      ];
      const w = Math.max(...rows.map(([k]) => k.length));
      process.stdout.write(`\n${rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n')}\n\n`);
      for (const w of locks.waitingOn) process.stdout.write(`  waiting for a lock: ${w}\n`);
      for (const s of stats.errorSamples) process.stdout.write(`  error sample: ${s}\n`);
    }
    if (
      stats.errors > 0 ||
      check.callRungTwice > 0 ||
      check.agentRungTwice > 0 ||
      check.answeredTwice > 0 ||
      check.lost > 0
    )
      process.exitCode = 1;
  } finally {
    await Promise.all(
      servers.map(
        ({ proc }) =>
          new Promise<void>((resolve) => {
            if (proc.exitCode !== null) return resolve();
            proc.once('exit', () => resolve());
            proc.kill('SIGTERM');
          }),
      ),
    );
    await db.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
