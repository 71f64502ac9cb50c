import { asc, eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiUser, type ApiUser } from '../../test/admin-factories';
import { createTestApp, type TestApp } from '../../test/app';
import { signedIn } from '../../test/agent';
import { createCampaign, createDonors, createSettings, createTeam } from '../../test/dialer-factories';
import { uniqueSuffix } from '../../test/factories';
import { inboundCallEvents, inboundCalls } from '../db/schema';
import { DEFAULT_DEMO_DONOR_COUNT } from '../demo/demo-seed';
import { buildDemoPlan } from '../demo/generate';
import { demoDonorNumbers, simulateInbound, type Transport } from './simulate-inbound';

let t: TestApp;
let admin: ApiUser;
let token: string;
let lineNumber: string;

beforeAll(async () => {
  // The app's real clock: the simulator signs with the time of day, as a phone system does.
  t = await createTestApp();
  admin = await apiUser(t.app, t.database, 'admin');
  token = (await admin.post('/api/phone-system-tokens', { name: 'Simulator' })).body.token;
  const team = await createTeam(t.database.db, []);
  const line = await admin.post('/api/inbound/lines', {
    number: '+44 20 7946 0998',
    name: `Sim line ${uniqueSuffix()}`,
    timeZone: 'Europe/London',
    teamIds: [team.id],
    weekdayHours: Array.from({ length: 7 }, () => ({ start: '00:00', end: '24:00' })),
  });
  expect(line.status, JSON.stringify(line.body)).toBe(201);
  lineNumber = line.body.number;
});

const inject: () => Transport = () => async (path, body, headers) => {
  const res = await t.app.inject({ method: 'POST', url: path, payload: body, headers });
  return { status: res.statusCode, json: res.body ? res.json<unknown>() : null };
};

describe('npm run simulate:inbound: a phone system ringing a line', () => {
  it('offers signed calls from donors, unknown and withheld numbers, prints the answers, and hangs up queued callers', async () => {
    const [donor] = await createDonors(t.database.db, [{ phone: '+447400130001' }]);
    const lines: string[] = [];
    const sleeps: number[] = [];
    const results = await simulateInbound({
      token,
      to: lineNumber,
      calls: 12,
      everyMs: 20_000,
      abandonAfterMs: 0,
      numbers: [donor!.phone!],
      transport: inject(),
      log: (l) => lines.push(l),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });

    expect(results).toHaveLength(12);
    // Nobody is free on this branch's routing: every caller queues, then hangs up.
    expect(results.map((r) => r.offer?.action)).toEqual(Array(12).fill('queue'));
    expect(results.map((r) => r.outcome)).toEqual(Array(12).fill('abandoned'));
    // Every 4th caller rings from a number nobody has, the 12th withholds it; the rest are the donor.
    const unknown: unknown = expect.stringMatching(/^\+447400000\d{3}$/);
    const phone = donor!.phone;
    expect(results.map((r) => r.from)).toEqual([
      ...[phone, phone, phone, unknown],
      ...[phone, phone, phone, unknown],
      ...[phone, phone, phone, 'anonymous'],
    ]);
    expect(sleeps.filter((ms) => ms === 20_000)).toHaveLength(11); // between callers, not before the first

    const ids = results.map((r) => r.offer!.inboundCallId);
    const rows = await t.database.db
      .select({ id: inboundCalls.id, status: inboundCalls.status, fromE164: inboundCalls.fromE164 })
      .from(inboundCalls)
      .where(inArray(inboundCalls.id, ids))
      .orderBy(asc(inboundCalls.id));
    expect(rows).toHaveLength(12);
    expect(rows.every((r) => r.status === 'abandoned')).toBe(true);
    expect(rows.filter((r) => r.fromE164 === donor!.phone)).toHaveLength(9);
    const history = await t.database.db
      .select({ type: inboundCallEvents.type })
      .from(inboundCallEvents)
      .where(eq(inboundCallEvents.inboundCallId, ids[0]!))
      .orderBy(asc(inboundCallEvents.id));
    expect(history.map((h) => h.type)).toEqual(['queued', 'abandoned']);

    // What it printed: each offer and Engage's answers.
    expect(
      lines.filter((l) => /^sim-\S+ from .* -> 200 \{"inboundCallId":\d+,"action":"queue","position":\d+\}$/.test(l)),
    ).toHaveLength(12);
    expect(lines.filter((l) => /abandoned -> 200 .*"status":"abandoned","recorded":true/.test(l))).toHaveLength(12);
  });

  it('follows a ring: ringing, no_answer after the ring time, then the next instruction', async () => {
    // Engage's routing is another part of issue 11: here a phone-system double answers "ring" to
    // check the simulator sends ringing and no_answer for the agent rung, then queues and hangs up.
    const sent: { path: string; body: Record<string, unknown> }[] = [];
    const transport: Transport = async (path, body) => {
      const b = JSON.parse(body) as Record<string, unknown>;
      sent.push({ path, body: b });
      if (path === '/api/phone-system/calls') {
        return { status: 200, json: { inboundCallId: 7, action: 'ring', agentId: 42, ringSeconds: 20 } };
      }
      if (b.type === 'no_answer') {
        return {
          status: 200,
          json: {
            inboundCallId: 7,
            status: 'queued',
            recorded: true,
            next: { inboundCallId: 7, action: 'queue', position: 1 },
          },
        };
      }
      return {
        status: 200,
        json: {
          inboundCallId: 7,
          status: b.type === 'abandoned' ? 'abandoned' : 'ringing',
          recorded: true,
          next: null,
        },
      };
    };
    const sleeps: number[] = [];
    const [result] = await simulateInbound({
      token: 'eps_x',
      to: '+442079460998',
      calls: 1,
      everyMs: 0,
      abandonAfterMs: 0,
      numbers: ['+447400130002'],
      transport,
      log: () => {},
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    expect(sent.map((s) => [s.path.endsWith('events') ? s.body.type : 'offer', s.body.agentId])).toEqual([
      ['offer', undefined],
      ['ringing', 42],
      ['no_answer', 42],
      ['abandoned', undefined],
    ]);
    expect(sleeps[0]).toBe(20_000);
    expect(result!.outcome).toBe('abandoned');
  });

  it('polls the offer while its caller is queued, and puts them through when an agent becomes free and is rung', async () => {
    const settings = await createSettings(t.database.db);
    const agent = await signedIn(t.app, t.database);
    const team = await createTeam(t.database.db, [agent.user.id]);
    const campaign = await createCampaign(t.database, { teamIds: [team.id], lists: [{ donorIds: [] }] });
    const line = await admin.post('/api/inbound/lines', {
      number: '+44 20 7946 0997',
      name: `Sim poll line ${uniqueSuffix()}`,
      timeZone: 'Europe/London',
      teamIds: [team.id],
      weekdayHours: Array.from({ length: 7 }, () => ({ start: '00:00', end: '24:00' })),
    });
    expect(line.status, JSON.stringify(line.body)).toBe(201);
    expect((await agent.openShift(settings.jobRoleId)).status).toBe(201);
    expect((await agent.ready(team.id, campaign.id)).status).toBe(200);
    expect((await agent.call('POST', '/api/shift/break', { breakReasonId: settings.breakReasonId })).status).toBe(200);

    const lines: string[] = [];
    const sleeps: number[] = [];
    let inboundCallId = 0;
    const [result] = await simulateInbound({
      token,
      to: line.body.number,
      calls: 1,
      everyMs: 0,
      abandonAfterMs: 60_000,
      pollMs: 2_000,
      numbers: ['+447400130003'],
      transport: inject(),
      log: (l) => lines.push(l),
      sleep: async (ms) => {
        sleeps.push(ms);
        if (sleeps.length === 2) {
          // The caller has polled once and still queues: the agent comes back and is rung for them.
          expect((await agent.call('POST', '/api/shift/resume')).status).toBe(200);
          inboundCallId = (await agent.shift()).body.incoming.inboundCallId as number;
        }
        if (sleeps.length === 3) {
          // The ring time: the agent answers.
          expect((await agent.call('POST', `/api/inbound/calls/${inboundCallId}/answer`)).status).toBe(200);
        }
      },
    });
    expect(sleeps.slice(0, 2)).toEqual([2_000, 2_000]);
    expect(result!.offer).toMatchObject({ action: 'queue', position: 1 });
    expect(result!.outcome).toBe('answered');
    expect(lines.some((l) => /polled -> .*"action":"ring","agentId":\d+/.test(l))).toBe(true);
    const history = await t.database.db
      .select({ type: inboundCallEvents.type, agentId: inboundCallEvents.agentId })
      .from(inboundCallEvents)
      .where(eq(inboundCallEvents.inboundCallId, inboundCallId))
      .orderBy(asc(inboundCallEvents.id));
    expect(history).toEqual([
      { type: 'queued', agentId: null },
      { type: 'ringing', agentId: agent.user.id },
      { type: 'answered', agentId: agent.user.id },
    ]);
  });

  it("knows the demo donors' numbers (the demo data is deterministic)", () => {
    const numbers = demoDonorNumbers(20);
    expect(numbers).toHaveLength(20);
    expect(numbers.every((n) => /^\+[1-9]\d{6,14}$/.test(n))).toBe(true);
    // Whatever day the demo was seeded on, its donors have these numbers.
    const seededLongAgo = buildDemoPlan(new Date('2025-01-15T09:00:00Z'), DEFAULT_DEMO_DONOR_COUNT)
      .donors.map((d) => d.donor.phone)
      .filter((p) => p !== null && p !== undefined)
      .slice(0, 20);
    expect(seededLongAgo).toEqual(numbers);
  });
});
