import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { FloorAgent, FloorLine } from '@engage/contracts';
import { signedIn, type Agent } from '../../../test/agent';
import { apiUser, type ApiUser } from '../../../test/admin-factories';
import { createTestApp, testClock, type TestApp } from '../../../test/app';
import { createCampaign, createDonors, createSettings, createTeam } from '../../../test/dialer-factories';
import { uniqueSuffix } from '../../../test/factories';
import { signPhoneSystemBody } from '../inbound/phone-system-auth';
import { floor as floorQuery } from './floor.repository';

/**
 * The live floor's inbound part (issue 11, item 6), against the real database: each line's queue,
 * agents ringing or on an inbound call, scoped to the teams a manager leads, and the event that
 * makes the floor re-read when a call arrives or moves on.
 */
// Tuesday 10 March 2026, 12:00 in London: the lines below are open (Mon-Fri 09:00-17:00).
const clock = testClock(new Date('2026-03-10T12:00:00Z'));
let t: TestApp;
let admin: ApiUser;
let token: string;
let settings: Awaited<ReturnType<typeof createSettings>>;
let baseUrl: string;

beforeAll(async () => {
  // A long lease: the clock moves by hand here, and no screen sends heartbeats.
  t = await createTestApp({ now: clock.now, env: { LEASE_SECONDS: '3600' } });
  admin = await apiUser(t.app, t.database, 'admin');
  token = (await admin.post('/api/phone-system-tokens', { name: 'Floor PBX' })).body.token;
  settings = await createSettings(t.database.db);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await t.app.close();
});

let seq = 100;
async function line(teamIds: number[]) {
  const res = await admin.post<{ id: number; number: string; name: string }>('/api/inbound/lines', {
    number: `020 7946 3${String(seq++).padStart(3, '0')}`,
    country: 'GB',
    name: `Line ${uniqueSuffix()}`,
    timeZone: 'Europe/London',
    teamIds,
    ringSeconds: 30,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function offer(to: string) {
  const payload = JSON.stringify({ callId: `floor-${uniqueSuffix()}`, from: '+44 7400 130001', to });
  const ts = Math.floor(clock.now().getTime() / 1000);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/phone-system/calls',
    payload,
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'x-engage-signature': `t=${ts},v1=${signPhoneSystemBody(token, ts, payload)}`,
    },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ inboundCallId: number; action: string; agentId?: number }>();
}

async function leads(managerId: number, teamId: number) {
  await t.database.db.execute(
    sql`insert into team_members (team_id, user_id, is_leader) values (${teamId}, ${managerId}, true)`,
  );
}

interface Floor {
  agents: FloorAgent[];
  lines: FloorLine[];
  at: string;
}
async function floorOf(viewer: Agent): Promise<Floor> {
  const res = await viewer.call<Floor>('GET', '/api/floor');
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
const row = (f: { agents: FloorAgent[] }, a: Agent) => f.agents.find((x) => x.agentId === a.user.id);

/** The first event `match` accepts on the viewer's stream within `ms` of `trigger`, or null. */
async function eventAfter(
  cookie: string,
  trigger: () => Promise<unknown>,
  match: (data: any) => boolean,
  ms: number,
): Promise<any> {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}/api/events`, { headers: { cookie }, signal: controller.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  await reader.read(); // the stream is open and subscribed
  const started = performance.now();
  await trigger();
  try {
    for (;;) {
      const left = ms - (performance.now() - started);
      if (left <= 0) return null;
      const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), left))]);
      if (chunk === null || chunk.done) return null;
      buffer += decoder.decode(chunk.value, { stream: true });
      for (const block of buffer.split('\n\n')) {
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        if (data) {
          const parsed = JSON.parse(data.slice(6));
          if (match(parsed)) return parsed;
        }
      }
    }
  } finally {
    controller.abort();
  }
}

describe("the live floor's inbound lines and agents", () => {
  it('shows the queue of each line in scope, the agent ringing and for how long, and the agent on an inbound call with its line', async () => {
    const manager = await signedIn(t.app, t.database, 'manager');
    const otherManager = await signedIn(t.app, t.database, 'manager');
    const ringer = await signedIn(t.app, t.database);
    const answerer = await signedIn(t.app, t.database);
    const outbound = await signedIn(t.app, t.database);
    const stranger = await signedIn(t.app, t.database);
    const team = await createTeam(t.database.db, [ringer.user.id, answerer.user.id, outbound.user.id]);
    const otherTeam = await createTeam(t.database.db, [stranger.user.id]);
    await leads(manager.user.id, team.id);
    await leads(otherManager.user.id, otherTeam.id);
    const mine = await line([team.id]);
    const theirs = await line([otherTeam.id]);
    const donors = await createDonors(t.database.db, [{}, {}]);
    const campaign = await createCampaign(t.database, {
      teamIds: [team.id],
      lists: [{ donorIds: donors.map((d) => d.id) }],
    });
    for (const a of [ringer, answerer, outbound, stranger]) {
      expect((await a.openShift(settings.jobRoleId)).status).toBe(201);
    }

    // The outbound agent is on an outbound call (on_call: nobody rings them).
    expect((await outbound.ready(team.id, campaign.id)).status).toBe(200);
    const held = await outbound.next();
    expect(held.status, JSON.stringify(held.body)).toBe(200);
    expect((await outbound.start(held.body.offer.id)).status).toBe(200);

    // Two callers arrive while nobody on the team is free: they queue.
    const first = await offer(mine.number);
    expect(first.action).toBe('queue');
    clock.advance(40_000);
    const second = await offer(mine.number);
    expect(second.action).toBe('queue');
    clock.advance(5_000);
    await offer(theirs.number); // the other team's line: the stranger is signed in, not Ready

    let f = await floorOf(manager);
    expect(f.lines).toEqual([
      { lineId: mine.id, lineName: mine.name, number: mine.number, waiting: 2, longestWaitSeconds: 45, agentsFree: 0 },
    ]);
    expect(JSON.stringify(f.lines)).not.toContain('7400'); // the callers' numbers are not on the floor
    expect(row(f, outbound)).toMatchObject({
      state: 'on_call',
      ringing: null,
      call: { direction: 'outbound', line: null },
    });

    // The ringer goes Ready: the longest-waiting caller rings them at once.
    expect((await ringer.ready(team.id, campaign.id)).status).toBe(200);
    clock.advance(7_000);
    f = await floorOf(manager);
    expect(f.lines[0]).toMatchObject({ lineId: mine.id, waiting: 1, longestWaitSeconds: 12, agentsFree: 0 });
    expect(row(f, ringer)).toMatchObject({
      state: 'ready',
      ringing: {
        inboundCallId: first.inboundCallId,
        line: { id: mine.id, name: mine.name },
        since: new Date(clock.now().getTime() - 7_000).toISOString(),
      },
      call: null,
    });

    // The answerer goes Ready (rung for the second caller) and answers: on an inbound call on the line.
    expect((await answerer.ready(team.id, campaign.id)).status).toBe(200);
    expect(row(await floorOf(manager), answerer)?.ringing?.inboundCallId).toBe(second.inboundCallId);
    const answered = await answerer.call('POST', `/api/inbound/calls/${second.inboundCallId}/answer`);
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    f = await floorOf(manager);
    expect(f.lines[0]).toMatchObject({ lineId: mine.id, waiting: 0, longestWaitSeconds: 0 });
    expect(row(f, answerer)).toMatchObject({
      state: 'on_call',
      ringing: null,
      call: { direction: 'inbound', line: { id: mine.id, name: mine.name } },
    });
    expect(row(f, ringer)?.ringing?.inboundCallId).toBe(first.inboundCallId);

    // The manager of another team sees their own line only, and none of these agents.
    const other = await floorOf(otherManager);
    expect(other.lines.map((l) => l.lineId)).toEqual([theirs.id]);
    expect(other.lines[0]).toMatchObject({ waiting: 1, agentsFree: 0 });
    expect(other.agents.map((a) => a.agentId)).toEqual([stranger.user.id]);
    expect(JSON.stringify(other)).not.toContain(mine.name);

    // An admin sees every line.
    const all = await admin.get('/api/floor');
    expect(all.body.lines.map((l: FloorLine) => l.lineId)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
  });

  it('a free agent is counted on their lines: Ready or previewing, not ringing, not on a call', async () => {
    const manager = await signedIn(t.app, t.database, 'manager');
    const a = await signedIn(t.app, t.database);
    const b = await signedIn(t.app, t.database);
    const team = await createTeam(t.database.db, [a.user.id, b.user.id]);
    await leads(manager.user.id, team.id);
    const l = await line([team.id]);
    const donors = await createDonors(t.database.db, [{}]);
    const campaign = await createCampaign(t.database, { teamIds: [team.id], lists: [{ donorIds: [donors[0]!.id] }] });
    for (const x of [a, b]) {
      expect((await x.openShift(settings.jobRoleId)).status).toBe(201);
      expect((await x.ready(team.id, campaign.id)).status).toBe(200);
    }
    expect((await a.next()).status).toBe(200); // previewing an outbound donor: blended, still free
    const lineOf = async () => (await floorOf(manager)).lines.find((x) => x.lineId === l.id);
    expect(await lineOf()).toMatchObject({ waiting: 0, agentsFree: 2 });
    const rung = await offer(l.number);
    expect(rung.action).toBe('ring');
    expect(await lineOf()).toMatchObject({ waiting: 0, agentsFree: 1 }); // the rung agent is not free
  });
});

describe("the floor's live updates from inbound calls", () => {
  it("a call queuing on a line is announced to the managers of the line's teams, not to another team's", async () => {
    const manager = await signedIn(t.app, t.database, 'manager');
    const otherManager = await signedIn(t.app, t.database, 'manager');
    const agent = await signedIn(t.app, t.database);
    const team = await createTeam(t.database.db, []);
    const otherTeam = await createTeam(t.database.db, []);
    await leads(manager.user.id, team.id);
    await leads(otherManager.user.id, otherTeam.id);
    const l = await line([team.id]);

    const seen = await eventAfter(
      manager.cookie,
      () => offer(l.number),
      (e) => e.type === 'inbound.changed' && e.lineId === l.id,
      2000,
    );
    expect(seen).toEqual({ type: 'inbound.changed', lineId: l.id, teamIds: [team.id] });

    const notSeen = await eventAfter(
      otherManager.cookie,
      () => offer(l.number),
      (e) => e.type === 'inbound.changed' && e.lineId === l.id,
      700,
    );
    expect(notSeen).toBeNull();
    // Agents get no queue events (their own pop-up follows their shift's).
    const agentSees = await eventAfter(
      agent.cookie,
      () => offer(l.number),
      (e) => e.type === 'inbound.changed',
      700,
    );
    expect(agentSees).toBeNull();
  });

  it('a caller who hangs up while queued is announced too (no shift changes then)', async () => {
    const manager = await signedIn(t.app, t.database, 'manager');
    const team = await createTeam(t.database.db, []);
    await leads(manager.user.id, team.id);
    const l = await line([team.id]);
    const call = await offer(l.number);
    const callId = (
      await t.database.pool.query<{ external_id: string }>('SELECT external_id FROM inbound_calls WHERE id = $1', [
        call.inboundCallId,
      ])
    ).rows[0]!.external_id;
    const seen = await eventAfter(
      manager.cookie,
      async () => {
        const payload = JSON.stringify({ callId, type: 'abandoned' });
        const ts = Math.floor(clock.now().getTime() / 1000);
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/phone-system/calls/events',
          payload,
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'x-engage-signature': `t=${ts},v1=${signPhoneSystemBody(token, ts, payload)}`,
          },
        });
        expect(res.statusCode, res.body).toBe(200);
      },
      (e) => e.type === 'inbound.changed' && e.lineId === l.id,
      2000,
    );
    expect(seen).not.toBeNull();
    expect((await floorOf(manager)).lines.find((x) => x.lineId === l.id)).toMatchObject({ waiting: 0 });
  });
});

describe("the floor's statement", () => {
  it('finds ringing and inbound calls through their indexes, never a scan of the calls or their history', async () => {
    const team = await createTeam(t.database.db, []);
    const l = await line([team.id]);
    const tokenId = (await admin.post('/api/phone-system-tokens', { name: `Bulk ${uniqueSuffix()}` })).body
      .id as number;
    // 20,000 calls of the past, each with two events.
    await t.database.pool.query(
      `WITH c AS (
         INSERT INTO inbound_calls (phone_system_token_id, external_id, line_id, from_raw, status, offer_answer, arrived_at, updated_at)
         SELECT $1, 'floor-bulk-' || g, $2, '+447400130000', 'ended',
                '{"inboundCallId":0,"action":"queue","position":0}', now() - g * interval '1 minute', now()
           FROM generate_series(1, 20000) g
         RETURNING id, arrived_at)
       INSERT INTO inbound_call_events (inbound_call_id, type, at)
       SELECT id, t::inbound_call_event_type, arrived_at FROM c, unnest(ARRAY['queued', 'ended']) t`,
      [tokenId, l.id],
    );
    await t.database.pool.query('ANALYZE inbound_calls; ANALYZE inbound_call_events; ANALYZE shifts; ANALYZE calls');
    const query = floorQuery(t.database.db, null, clock.now()).toSQL();
    const plan = await t.database.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${query.sql}`, query.params);
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).not.toMatch(/Seq Scan on inbound_calls/);
    expect(text).not.toMatch(/Seq Scan on inbound_call_events/);
  });
});
