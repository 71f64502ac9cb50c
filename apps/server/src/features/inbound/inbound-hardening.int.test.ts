import { readFileSync } from 'node:fs';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiUser, type ApiUser } from '../../../test/admin-factories';
import type { Agent } from '../../../test/agent';
import { createTestApp, testClock, type TestApp } from '../../../test/app';
import { createSettings, createTeam } from '../../../test/dialer-factories';
import { uniqueSuffix } from '../../../test/factories';
import { answerInbound, declineInbound, inboundKit } from '../../../test/inbound-factories';
import { inboundCallEvents, inboundCalls, jobRoles, shifts } from '../../db/schema';
import { queueByLine } from './inbound-desk.repository';

/**
 * Routing's review findings (issue 11, items 2, 4, 7), against the real database: who a miss
 * without an agent charges, an agent leaving while rung, Answer sent twice, a freed agent or call
 * matched at once, the phone system's body limit, getShift's incoming.
 */
// Tuesday 10 March 2026, 12:00 in London: the lines below are open (Mon-Fri 09:00-17:00).
const clock = testClock(new Date('2026-03-10T12:00:00Z'));
let t: TestApp;
let admin: ApiUser;
let token: string;
let settings: Awaited<ReturnType<typeof createSettings>>;

beforeAll(async () => {
  // A long lease: the clock moves by hand here, and no screen sends heartbeats.
  const env = { LEASE_SECONDS: '3600' };
  t = await createTestApp({ now: clock.now, env });
  admin = await apiUser(t.app, t.database, 'admin');
  token = (await admin.post('/api/phone-system-tokens', { name: 'Hardening PBX' })).body.token;
  settings = await createSettings(t.database.db);
}, 60_000);

const kit = inboundKit(() => ({ t, admin, token }), {
  clock,
  numberPrefix: '020 7946 3',
  lineDefaults: { ringSeconds: 5 },
});
const { line, event, history, callRow } = kit;
const send = (app: TestApp, path: string, body: unknown) => kit.send(path, body, app);
const offer = (to: string, app = t) => kit.offer(to, { app });
/** Agents signed in under the inbound job role and Ready on an outbound campaign, one minute apart (first: idle longest). */
const floor = (n: number, opts: { app?: TestApp; donors?: number } = {}) =>
  kit.floor(n, { ...opts, jobRoleId: settings.jobRoleId });
const answer = answerInbound;
const decline = declineInbound;

async function shiftRow(agentId: number) {
  const [row] = await t.database.db.select().from(shifts).where(eq(shifts.agentId, agentId)).orderBy(asc(shifts.id));
  return row!;
}

describe('longest idle first (shifts.idle_since)', () => {
  it('an agent who just ended a call is idle the shortest: the next call rings the one who has waited longer', async () => {
    const { agents, team } = await floor(2);
    const [a, b] = agents as [Agent, Agent];
    const l = await line([team.id]);
    const first = await offer(l.number);
    expect(first.agentId).toBe(a.user.id);
    const answered = await answer(a, first.inboundCallId);
    clock.advance(30_000);
    expect((await a.end(answered.body.call.id, { endReasonId: settings.end.final })).status).toBe(200);
    expect((await shiftRow(a.user.id)).idleSince).toEqual(clock.now());
    // B signed in after A but has been free since; A's idle time starts again at the call's end.
    expect(await offer(l.number)).toMatchObject({ action: 'ring', agentId: b.user.id });
    expect(await offer(l.number)).toMatchObject({ action: 'ring', agentId: a.user.id });
  });
});

describe('no_answer or declined without an agentId', () => {
  it('charges the agent Engage is ringing for the call, and rings the next', async () => {
    const { agents, team } = await floor(2);
    const [a, b] = agents as [Agent, Agent];
    const l = await line([team.id]);
    const rung = await offer(l.number);
    expect(rung.agentId).toBe(a.user.id);
    const externalId = (await callRow(rung.inboundCallId)).externalId;
    expect(await event({ callId: externalId, type: 'no_answer' })).toMatchObject({
      recorded: true,
      next: { action: 'ring', agentId: b.user.id },
    });
    expect(await history(rung.inboundCallId)).toEqual([
      { type: 'queued', agentId: null },
      { type: 'ringing', agentId: a.user.id },
      { type: 'no_answer', agentId: a.user.id },
      { type: 'ringing', agentId: b.user.id },
    ]);
    expect((await shiftRow(a.user.id)).inboundMissesInRow).toBe(1);
  });

  it('with nobody rung by Engage (the phone system rang an agent itself): recorded with no agent, nobody charged', async () => {
    const { agents } = await floor(2);
    const [a, b] = agents as [Agent, Agent];
    // Nobody of the line's teams is free when the call arrives: it queues.
    const l = await line([(await createTeam(t.database.db, [])).id]);
    const queued = await offer(l.number);
    expect(queued.action).toBe('queue');
    const externalId = (await callRow(queued.inboundCallId)).externalId;
    // The phone system rings B itself, then tells Engage B did not answer, without naming B.
    await event({ callId: externalId, type: 'ringing', agentId: b.user.id });
    const missed = await event({ callId: externalId, type: 'declined' });
    expect(missed).toMatchObject({ recorded: true, status: 'queued', next: { action: 'queue' } });
    expect(await history(queued.inboundCallId)).toEqual([
      { type: 'queued', agentId: null },
      { type: 'ringing', agentId: b.user.id },
      { type: 'declined', agentId: null },
    ]);
    expect((await shiftRow(b.user.id)).inboundMissesInRow).toBe(0);
    expect((await shiftRow(a.user.id)).inboundMissesInRow).toBe(0);
  });
});

describe('an agent who leaves while rung', () => {
  it('taking a break un-rings them in the same step: the call rings the next agent at once, and is not counted a miss', async () => {
    const { agents, team } = await floor(2);
    const [a, b] = agents as [Agent, Agent];
    const l = await line([team.id]);
    const rung = await offer(l.number);
    expect(rung.agentId).toBe(a.user.id);
    const onBreak = await a.call('POST', '/api/shift/break', { breakReasonId: settings.breakReasonId });
    expect(onBreak.status, JSON.stringify(onBreak.body)).toBe(200);
    expect(await callRow(rung.inboundCallId)).toMatchObject({ status: 'ringing', ringingAgentId: b.user.id });
    expect(await shiftRow(a.user.id)).toMatchObject({
      state: 'on_break',
      ringingInboundCallId: null,
      inboundMissesInRow: 0,
    });
    expect((await shiftRow(b.user.id)).ringingInboundCallId).toBe(rung.inboundCallId);
    expect((await a.shift()).body).toMatchObject({ state: 'on_break', incoming: null });
    expect(await history(rung.inboundCallId)).toEqual([
      { type: 'queued', agentId: null },
      { type: 'ringing', agentId: a.user.id },
      { type: 'left', agentId: a.user.id },
      { type: 'ringing', agentId: b.user.id },
    ]);
  });

  it('signing out un-rings them: with nobody else free the caller queues, and nobody is left marked ringing', async () => {
    const { agents, team } = await floor(1);
    const [a] = agents as [Agent];
    const l = await line([team.id]);
    const rung = await offer(l.number);
    expect(rung.agentId).toBe(a.user.id);
    expect((await a.call('POST', '/api/shift/close')).status).toBeLessThan(300);
    expect(await callRow(rung.inboundCallId)).toMatchObject({
      status: 'queued',
      ringingAgentId: null,
      ringDeadline: null,
    });
    const closed = await shiftRow(a.user.id);
    expect(closed.closedAt).not.toBeNull();
    expect(closed.ringingInboundCallId).toBeNull();
    // The sweep finds nobody to ring (the only agent signed out), and the call stays queued.
    await t.app.inbound.sweep();
    expect((await callRow(rung.inboundCallId)).status).toBe('queued');
  });
});

describe('a rung agent whose shift ends or stops answering other than by their own hand', () => {
  /** A rung to the first of two agents; `leave` ends or silences A's shift; the call must ring B at once. */
  async function passesOn(leave: (a: Agent) => Promise<void>) {
    const { agents, team } = await floor(2);
    const [a, b] = agents as [Agent, Agent];
    const l = await line([team.id]);
    const rung = await offer(l.number);
    expect(rung.agentId).toBe(a.user.id);
    await leave(a);
    expect(await callRow(rung.inboundCallId)).toMatchObject({ status: 'ringing', ringingAgentId: b.user.id });
    expect((await shiftRow(a.user.id)).ringingInboundCallId).toBeNull();
    expect((await shiftRow(a.user.id)).inboundMissesInRow).toBe(0);
    expect((await shiftRow(b.user.id)).ringingInboundCallId).toBe(rung.inboundCallId);
    expect(await history(rung.inboundCallId)).toEqual([
      { type: 'queued', agentId: null },
      { type: 'ringing', agentId: a.user.id },
      { type: 'left', agentId: a.user.id },
      { type: 'ringing', agentId: b.user.id },
    ]);
    return a;
  }

  it('an administrator disabling the account: the call rings the next agent in the same transaction', async () => {
    const a = await passesOn(async (agent) => {
      expect((await admin.post(`/api/users/${agent.user.id}/disable`)).status).toBe(200);
    });
    expect((await shiftRow(a.user.id)).closedAt).not.toBeNull();
  });

  it('a manager signing the agent out from the floor: the call rings the next agent in the same transaction', async () => {
    const a = await passesOn(async (agent) => {
      const shiftId = (await shiftRow(agent.user.id)).id;
      const res = await admin.post(`/api/floor/shifts/${shiftId}/sign-out`);
      expect(res.status, JSON.stringify(res.body)).toBe(204);
    });
    expect((await shiftRow(a.user.id)).closedAt).not.toBeNull();
  });

  it('the agent logs a desk-phone call instead (Log inbound call): the ringing call rings the next agent at once', async () => {
    const a = await passesOn(async (agent) => {
      const lineId = (await callRow((await shiftRow(agent.user.id)).ringingInboundCallId!)).lineId;
      const logged = await agent.call('POST', '/api/inbound/calls/log', { lineId, from: '+44 20 7946 0111' });
      expect(logged.status, JSON.stringify(logged.body)).toBe(201);
    });
    expect((await shiftRow(a.user.id)).state).toBe('on_call');
  });

  it("the agent's screen stops answering (lease run out): the next sweep passes the call on before its ring time ends", async () => {
    const a = await passesOn(async (agent) => {
      await t.database.db
        .update(shifts)
        .set({ leaseExpiresAt: new Date(clock.now().getTime() - 1000) })
        .where(eq(shifts.agentId, agent.user.id));
      expect((await t.app.inbound.sweep()).screenGone).toBe(1);
    });
    // The dialer's sweep closes the abandoned shift once nothing rings it any more.
    await t.app.dialer.sweep({ abandonAfterMinutes: 0 });
    expect((await shiftRow(a.user.id)).closedAt).not.toBeNull();
  });
});

describe('End Call ends the inbound call', () => {
  it("the agent's End Call ends the answered call, in its history; the phone system's later 'ended' records nothing", async () => {
    const { agents, team } = await floor(1);
    const [a] = agents as [Agent];
    const l = await line([team.id]);
    const rung = await offer(l.number);
    const answered = await answer(a, rung.inboundCallId);
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    clock.advance(40_000);
    const endedAt = clock.now();
    expect((await a.end(answered.body.call.id, { endReasonId: settings.end.final })).status).toBe(200);
    expect(await callRow(rung.inboundCallId)).toMatchObject({ status: 'ended', endedAt, answeredBy: a.user.id });
    const ended = [
      { type: 'queued', agentId: null },
      { type: 'ringing', agentId: a.user.id },
      { type: 'answered', agentId: a.user.id },
      { type: 'ended', agentId: a.user.id },
    ];
    expect(await history(rung.inboundCallId)).toEqual(ended);
    clock.advance(5_000);
    const externalId = (await callRow(rung.inboundCallId)).externalId;
    expect(await event({ callId: externalId, type: 'ended' })).toMatchObject({ status: 'ended', recorded: false });
    expect(await history(rung.inboundCallId)).toEqual(ended);
    expect((await callRow(rung.inboundCallId)).endedAt).toEqual(endedAt);
  });

  it('the migration ends the answered calls whose call record ended before this change, as End Call would have', async () => {
    const { agents, team } = await floor(2);
    const [a, b] = agents as [Agent, Agent];
    const l = await line([team.id]);
    const byAgent = await offer(l.number);
    const bySystem = await offer(l.number);
    const open = await offer(l.number); // queued: nobody free
    const callOf = async (agent: Agent, id: number) => (await answer(agent, id)).body.call.id as number;
    const agentCall = await callOf(a, byAgent.inboundCallId);
    await callOf(b, bySystem.inboundCallId);
    const endedAt = clock.now();
    expect((await a.end(agentCall, { endReasonId: settings.end.final })).status).toBe(200);
    const bShift = (await shiftRow(b.user.id)).id;
    expect((await admin.post(`/api/floor/shifts/${bShift}/end-call`)).status).toBe(204);
    // As they were before End Call ended them: still answered, no 'ended' in their history.
    const ids = [byAgent.inboundCallId, bySystem.inboundCallId];
    await t.database.db
      .update(inboundCalls)
      .set({ status: 'answered', endedAt: null })
      .where(inArray(inboundCalls.id, ids));
    await t.database.db
      .delete(inboundCallEvents)
      .where(and(inArray(inboundCallEvents.inboundCallId, ids), eq(inboundCallEvents.type, 'ended')));
    clock.advance(60_000);
    const migration = readFileSync(
      new URL('../../db/migrations/0027_end_answered_inbound_calls.sql', import.meta.url),
      'utf8',
    );
    await t.database.pool.query(migration);
    expect(await callRow(byAgent.inboundCallId)).toMatchObject({ status: 'ended', endedAt });
    expect(await callRow(bySystem.inboundCallId)).toMatchObject({ status: 'ended', endedAt });
    expect((await history(byAgent.inboundCallId)).at(-1)).toEqual({ type: 'ended', agentId: a.user.id });
    expect((await history(bySystem.inboundCallId)).at(-1)).toEqual({ type: 'ended', agentId: null });
    expect((await callRow(open.inboundCallId)).status).not.toBe('ended');
  });

  it('a call logged by hand (no phone system) is ended by End Call', async () => {
    const { agents, team } = await floor(1);
    const [a] = agents as [Agent];
    const l = await line([team.id]);
    const logged = await a.call('POST', '/api/inbound/calls/log', { lineId: l.id, from: 'anonymous' });
    expect(logged.status, JSON.stringify(logged.body)).toBe(201);
    expect((await callRow(logged.body.inboundCallId)).status).toBe('answered');
    expect((await a.end(logged.body.call.id, { endReasonId: settings.end.final })).status).toBe(200);
    expect(await callRow(logged.body.inboundCallId)).toMatchObject({ status: 'ended', endedAt: clock.now() });
    expect(await history(logged.body.inboundCallId)).toEqual([
      { type: 'answered', agentId: a.user.id },
      { type: 'ended', agentId: a.user.id },
    ]);
  });

  it("a manager's End call from the floor ends it too, recorded with no agent (its end reason says who)", async () => {
    const { agents, team } = await floor(1);
    const [a] = agents as [Agent];
    const l = await line([team.id]);
    const rung = await offer(l.number);
    expect((await answer(a, rung.inboundCallId)).status).toBe(200);
    const shiftId = (await shiftRow(a.user.id)).id;
    expect((await admin.post(`/api/floor/shifts/${shiftId}/end-call`)).status).toBe(204);
    expect(await callRow(rung.inboundCallId)).toMatchObject({ status: 'ended', endedAt: clock.now() });
    expect((await history(rung.inboundCallId)).at(-1)).toEqual({ type: 'ended', agentId: null });
  });
});

describe('"an agent free to answer a line": one rule for routing and the queue count', () => {
  type Case = [name: string, free: boolean, setUp: (a: Agent, lineId: number, teamId: number) => Promise<void>];
  const setShift = async (a: Agent, values: Partial<typeof shifts.$inferInsert>) => {
    await t.database.db.update(shifts).set(values).where(eq(shifts.agentId, a.user.id));
  };
  const cases: Case[] = [
    ['Ready', true, async () => {}],
    ['out of data', true, (a) => setShift(a, { state: 'out_of_data' })],
    ['previewing an outbound donor (blended)', true, (a) => setShift(a, { state: 'previewing' })],
    ['on a break', false, (a) => setShift(a, { state: 'on_break' })],
    ['screen gone (lease run out)', false, (a) => setShift(a, { leaseExpiresAt: new Date(clock.now().getTime() - 1) })],
    [
      'rung by Engage for a call of another line',
      false,
      async (a, _lineId, teamId) => {
        expect((await offer((await line([teamId])).number)).agentId).toBe(a.user.id);
      },
    ],
    [
      'rung by the phone system itself for another call',
      false,
      async (a) => {
        const other = await line([(await createTeam(t.database.db, [])).id]);
        const queued = await offer(other.number);
        const externalId = (await callRow(queued.inboundCallId)).externalId;
        await event({ callId: externalId, type: 'ringing', agentId: a.user.id });
      },
    ],
    [
      'under a job role that takes no inbound calls',
      false,
      async (a) => {
        const [role] = await t.database.db
          .insert(jobRoles)
          .values({ name: `Outbound only ${uniqueSuffix()}`, outbound: true, inbound: false })
          .returning({ id: jobRoles.id });
        await setShift(a, { jobRoleId: role!.id });
      },
    ],
    [
      'in no team that answers the line',
      false,
      async (_a, lineId) => {
        const res = await admin.patch(`/api/inbound/lines/${lineId}`, {
          teamIds: [(await createTeam(t.database.db, [])).id],
        });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
      },
    ],
  ];

  it.each(cases)('%s: free %s, counted and rung alike', async (_name, free, setUp) => {
    const { agents, team } = await floor(1);
    const [a] = agents as [Agent];
    const l = await line([team.id]);
    await setUp(a, l.id, team.id);
    const [row] = (await queueByLine(t.database.db, null, clock.now())).filter((r) => r.lineId === l.id);
    expect(row?.agentsFree).toBe(free ? 1 : 0);
    expect(await offer(l.number)).toMatchObject(free ? { action: 'ring', agentId: a.user.id } : { action: 'queue' });
  });
});

describe('Answer sent again', () => {
  it('by the agent who answered (the reply was lost): the same call, nothing recorded; by another agent: 409 saying why', async () => {
    const { agents, team } = await floor(2);
    const [a, b] = agents as [Agent, Agent];
    const l = await line([team.id]);
    const rung = await offer(l.number);
    const first = await answer(a, rung.inboundCallId);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const again = await answer(a, rung.inboundCallId);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.call).toEqual(first.body.call);
    expect((await history(rung.inboundCallId)).filter((e) => e.type === 'answered')).toHaveLength(1);
    const other = await answer(b, rung.inboundCallId);
    expect(other.status).toBe(409);
    expect(other.body.message).toContain('another agent answered it');
    expect((await a.shift()).body).toMatchObject({ state: 'on_call', call: { id: first.body.call.id } });
  });
});

describe('a freed agent or call is matched at once', () => {
  it('a decline: the call rings the next free agent, and the decliner gets the oldest other queued call of their lines, not the one declined', async () => {
    const { agents, team } = await floor(2);
    const [a, b] = agents as [Agent, Agent];
    const l = await line([team.id]);
    const c1 = await offer(l.number);
    const c2 = await offer(l.number);
    const c3 = await offer(l.number);
    expect([c1.agentId, c2.agentId, c3.action]).toEqual([a.user.id, b.user.id, 'queue']);
    expect((await decline(a, c1.inboundCallId)).status).toBe(204);
    // c1 waits (B is ringing, A declined it); A is rung c3 at once, with no sweep.
    expect(await callRow(c1.inboundCallId)).toMatchObject({ status: 'queued', ringingAgentId: null });
    expect(await callRow(c3.inboundCallId)).toMatchObject({ status: 'ringing', ringingAgentId: a.user.id });
    expect((await a.shift()).body.incoming).toMatchObject({ inboundCallId: c3.inboundCallId });
    // B declines c2: c1 (waiting longest) goes to B at once, c2 waits (A is ringing).
    expect((await decline(b, c2.inboundCallId)).status).toBe(204);
    expect(await callRow(c1.inboundCallId)).toMatchObject({ status: 'ringing', ringingAgentId: b.user.id });
    expect((await callRow(c2.inboundCallId)).status).toBe('queued');
  });

  it('a caller hanging up while their call rings an agent: that agent gets the oldest queued call of their lines at once', async () => {
    const { agents, team } = await floor(1);
    const [a] = agents as [Agent];
    const l = await line([team.id]);
    const c1 = await offer(l.number);
    const c2 = await offer(l.number);
    expect([c1.agentId, c2.action]).toEqual([a.user.id, 'queue']);
    const externalId = (await callRow(c1.inboundCallId)).externalId;
    expect(await event({ callId: externalId, type: 'abandoned' })).toMatchObject({
      recorded: true,
      status: 'abandoned',
    });
    expect(await callRow(c2.inboundCallId)).toMatchObject({ status: 'ringing', ringingAgentId: a.user.id });
    expect((await a.shift()).body.incoming).toMatchObject({ inboundCallId: c2.inboundCallId });
  });
});

describe("the phone system's routes", () => {
  it('refuse a body over 16 KiB before reading it (413, nothing written), and take an ordinary one', async () => {
    const before = await t.database.db.select({ id: inboundCalls.id }).from(inboundCalls);
    const payload = JSON.stringify({ callId: 'big', from: 'x'.repeat(17 * 1024), to: '+442079460999' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/phone-system/calls',
      payload,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-engage-signature': 't=1,v1=00',
      },
    });
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json()).toMatchObject({ code: 'payload_too_large', message: expect.stringContaining('smaller') });
    expect(await t.database.db.select({ id: inboundCalls.id }).from(inboundCalls)).toHaveLength(before.length);
  });
});

describe("getShift's incoming", () => {
  it('is read only when the shift is marked ringing (the mark and the pop agree)', async () => {
    const { agents, team } = await floor(1);
    const [a] = agents as [Agent];
    expect((await a.shift()).body).toMatchObject({ state: 'ready', incoming: null });
    const l = await line([team.id]);
    const rung = await offer(l.number);
    expect((await shiftRow(a.user.id)).ringingInboundCallId).toBe(rung.inboundCallId);
    expect((await a.shift()).body.incoming).toMatchObject({ inboundCallId: rung.inboundCallId });
    // The mark cleared (the call passed on) and the call row not yet: the pop follows the shift's mark.
    await t.database.db.update(shifts).set({ ringingInboundCallId: null }).where(eq(shifts.agentId, a.user.id));
    expect((await a.shift()).body.incoming).toBeNull();
  });
});

describe('the longest wait counts ringing too (B6a)', () => {
  it("a caller passed from agent to agent: the ring in progress is let finish, then the line's overflow action, not the next agent", async () => {
    const { agents, team } = await floor(3);
    const [a, b, c] = agents as [Agent, Agent, Agent];
    const l = await line([team.id], { maxWaitSeconds: 10, overflowAction: 'voicemail' });
    const rung = await offer(l.number);
    expect(rung.agentId).toBe(a.user.id);
    clock.advance(6_000);
    await t.app.inbound.sweep(); // A's ring ran out: B is rung
    expect((await callRow(rung.inboundCallId)).ringingAgentId).toBe(b.user.id);
    // 10 s since the caller arrived: the wait is over, but B's ring (until 11 s) is not pulled.
    clock.advance(4_000);
    expect((await t.app.inbound.sweep()).overflowed).toBe(0);
    expect(await callRow(rung.inboundCallId)).toMatchObject({ status: 'ringing', ringingAgentId: b.user.id });
    // B's ring ends unanswered: the caller takes the overflow action; C, free and never rung, is not rung.
    const externalId = (await callRow(rung.inboundCallId)).externalId;
    expect(await event({ callId: externalId, type: 'no_answer', agentId: b.user.id })).toEqual({
      inboundCallId: rung.inboundCallId,
      status: 'overflow',
      recorded: true,
      next: { inboundCallId: rung.inboundCallId, action: 'overflow', then: 'voicemail' },
    });
    expect(await callRow(rung.inboundCallId)).toMatchObject({
      status: 'overflow',
      ringingAgentId: null,
      offerAnswer: { inboundCallId: rung.inboundCallId, action: 'overflow', then: 'voicemail' },
    });
    expect(await history(rung.inboundCallId)).toEqual([
      { type: 'queued', agentId: null },
      { type: 'ringing', agentId: a.user.id },
      { type: 'no_answer', agentId: a.user.id },
      { type: 'ringing', agentId: b.user.id },
      { type: 'no_answer', agentId: b.user.id },
      { type: 'overflow', agentId: null },
    ]);
    for (const x of [a, b, c]) expect((await shiftRow(x.user.id)).ringingInboundCallId).toBeNull();
    // The phone system polling the call hears the same.
    const again = await send(t, '/api/phone-system/calls', {
      callId: externalId,
      from: '+44 20 7946 0999',
      to: l.number,
    });
    expect(again).toMatchObject({ action: 'overflow', then: 'voicemail' });
  });

  it("a decline past the longest wait on a call-back line: the caller's call-back is requested instead of ringing the next agent", async () => {
    const { agents, team } = await floor(2);
    const [a, b] = agents as [Agent, Agent];
    const l = await line([team.id], { maxWaitSeconds: 10, overflowAction: 'callback' });
    const rung = await offer(l.number);
    expect(rung.agentId).toBe(a.user.id);
    clock.advance(12_000); // A's 5 s ring has run out, but no sweep has passed it on yet
    expect((await decline(a, rung.inboundCallId)).status).toBe(204);
    expect(await callRow(rung.inboundCallId)).toMatchObject({
      status: 'overflow',
      offerAnswer: { action: 'overflow', then: 'callback' },
    });
    expect((await history(rung.inboundCallId)).map((e) => e.type)).toEqual([
      'queued',
      'ringing',
      'declined',
      'overflow',
      'callback_requested',
    ]);
    expect((await shiftRow(b.user.id)).ringingInboundCallId).toBeNull();
  });
});

describe('the longest wait, wherever routing runs', () => {
  it('a queued caller past the wait whom a freed agent would take before the sweep overflows them takes the overflow action, and the agent is not rung', async () => {
    const { agents, team } = await floor(1);
    const [a] = agents as [Agent];
    expect((await a.call('POST', '/api/shift/break', { breakReasonId: settings.breakReasonId })).status).toBe(200);
    const l = await line([team.id], { maxWaitSeconds: 10 });
    const queued = await offer(l.number);
    expect(queued.action).toBe('queue');
    clock.advance(11_000);
    expect((await a.call('POST', '/api/shift/resume')).status).toBe(200);
    expect(await callRow(queued.inboundCallId)).toMatchObject({ status: 'overflow', ringingAgentId: null });
    expect((await a.shift()).body).toMatchObject({ state: 'ready', incoming: null });
    expect((await history(queued.inboundCallId)).map((e) => e.type)).toEqual(['queued', 'overflow']);
  });
});

describe('an agent who missed a call is skipped for it only while the round lasts (B6b)', () => {
  it('one-agent line: after a Decline the agent is rung again at the next sweep (not in the same step); a second decline is the Missed calls break', async () => {
    const { agents, team } = await floor(1);
    const [a] = agents as [Agent];
    const l = await line([team.id]);
    const rung = await offer(l.number);
    expect((await decline(a, rung.inboundCallId)).status).toBe(204);
    expect(await callRow(rung.inboundCallId)).toMatchObject({ status: 'queued', ringingAgentId: null });
    expect((await a.shift()).body).toMatchObject({ state: 'ready', incoming: null });
    clock.advance(5_000);
    expect((await t.app.inbound.sweep()).rung).toBeGreaterThanOrEqual(1);
    expect(await callRow(rung.inboundCallId)).toMatchObject({ status: 'ringing', ringingAgentId: a.user.id });
    expect((await a.shift()).body.incoming).toMatchObject({ inboundCallId: rung.inboundCallId });
    expect((await decline(a, rung.inboundCallId)).status).toBe(204);
    expect((await a.shift()).body).toMatchObject({ state: 'on_break', breakReason: { name: 'Missed calls' } });
    expect(await callRow(rung.inboundCallId)).toMatchObject({ status: 'queued', ringingAgentId: null });
    expect(await history(rung.inboundCallId)).toEqual([
      { type: 'queued', agentId: null },
      { type: 'ringing', agentId: a.user.id },
      { type: 'declined', agentId: a.user.id },
      { type: 'ringing', agentId: a.user.id },
      { type: 'declined', agentId: a.user.id },
    ]);
  });

  it('an agent who has not missed the call comes first, however long the one who missed it has been idle', async () => {
    const { agents, team } = await floor(2);
    const [a, b] = agents as [Agent, Agent];
    expect((await b.call('POST', '/api/shift/break', { breakReasonId: settings.breakReasonId })).status).toBe(200);
    const l = await line([team.id]);
    const rung = await offer(l.number);
    expect(rung.agentId).toBe(a.user.id);
    expect((await decline(a, rung.inboundCallId)).status).toBe(204);
    expect((await callRow(rung.inboundCallId)).status).toBe('queued');
    // A (idle longest, missed it) and B (back from break, never rung for it) are both free: B is rung.
    expect((await b.call('POST', '/api/shift/resume')).status).toBe(200);
    expect(await callRow(rung.inboundCallId)).toMatchObject({ status: 'ringing', ringingAgentId: b.user.id });
  });

  it('when everyone free has missed it, a new round: the agent whose miss is oldest first (not the one idle longest)', async () => {
    const { agents, team } = await floor(3);
    const [a, b, c] = agents as [Agent, Agent, Agent];
    const l = await line([team.id]);
    const rung = await offer(l.number);
    expect(rung.agentId).toBe(a.user.id);
    expect((await decline(a, rung.inboundCallId)).status).toBe(204);
    expect((await callRow(rung.inboundCallId)).ringingAgentId).toBe(b.user.id);
    clock.advance(1_000);
    expect((await decline(b, rung.inboundCallId)).status).toBe(204);
    expect((await callRow(rung.inboundCallId)).ringingAgentId).toBe(c.user.id);
    // A ended a call just now (idle the shortest), yet missed this call before B did: A is rung next.
    await t.database.db.update(shifts).set({ idleSince: clock.now() }).where(eq(shifts.agentId, a.user.id));
    clock.advance(1_000);
    expect((await decline(c, rung.inboundCallId)).status).toBe(204);
    expect(await callRow(rung.inboundCallId)).toMatchObject({ status: 'ringing', ringingAgentId: a.user.id });
  });
});

describe('an agent rung who leaves is recorded `left` (B8)', () => {
  it('not a miss: it neither counts towards the Missed calls break nor keeps them from being rung for the call again', async () => {
    const { agents, team } = await floor(1);
    const [a] = agents as [Agent];
    const l = await line([team.id]);
    // One miss first (counted).
    const first = await offer(l.number);
    expect(await event({ callId: (await callRow(first.inboundCallId)).externalId, type: 'abandoned' })).toMatchObject({
      status: 'abandoned',
    });
    const missedOne = await offer(l.number);
    clock.advance(6_000);
    await t.app.inbound.sweep();
    expect((await shiftRow(a.user.id)).inboundMissesInRow).toBe(1);
    await event({ callId: (await callRow(missedOne.inboundCallId)).externalId, type: 'abandoned' });
    // Rung again, they take a break: `left`, the count stays 1, and the break is theirs (not Missed calls).
    const rung = await offer(l.number);
    expect(rung.agentId).toBe(a.user.id);
    const onBreak = await a.call('POST', '/api/shift/break', { breakReasonId: settings.breakReasonId });
    expect(onBreak.status, JSON.stringify(onBreak.body)).toBe(200);
    expect(onBreak.body.breakReason.name).not.toBe('Missed calls');
    expect(await shiftRow(a.user.id)).toMatchObject({ inboundMissesInRow: 1, ringingInboundCallId: null });
    expect(await callRow(rung.inboundCallId)).toMatchObject({ status: 'queued', ringingAgentId: null });
    // Back from break: rung for the same caller at once.
    expect((await a.call('POST', '/api/shift/resume')).status).toBe(200);
    expect(await callRow(rung.inboundCallId)).toMatchObject({ status: 'ringing', ringingAgentId: a.user.id });
    expect(await history(rung.inboundCallId)).toEqual([
      { type: 'queued', agentId: null },
      { type: 'ringing', agentId: a.user.id },
      { type: 'left', agentId: a.user.id },
      { type: 'ringing', agentId: a.user.id },
    ]);
  });

  it('a stale ringing mark (its call no longer ringing them) is cleared by Take Break and by Sign Out, never left behind', async () => {
    const { agents, team } = await floor(2);
    const [a, b] = agents as [Agent, Agent];
    // A call waiting on a line nobody of theirs answers: it is not ringing A.
    const other = await offer((await line([(await createTeam(t.database.db, [])).id])).number);
    expect(other.action).toBe('queue');
    for (const x of [a, b]) {
      await t.database.db
        .update(shifts)
        .set({ ringingInboundCallId: other.inboundCallId })
        .where(and(eq(shifts.agentId, x.user.id), isNull(shifts.closedAt)));
    }
    const onBreak = await a.call('POST', '/api/shift/break', { breakReasonId: settings.breakReasonId });
    expect(onBreak.status, JSON.stringify(onBreak.body)).toBe(200);
    expect(await shiftRow(a.user.id)).toMatchObject({ state: 'on_break', ringingInboundCallId: null });
    const signOut = await b.call('POST', '/api/shift/close');
    expect(signOut.status, JSON.stringify(signOut.body)).toBeLessThan(300);
    expect((await shiftRow(b.user.id)).ringingInboundCallId).toBeNull();
    // The call itself is untouched, and nothing is written in its history.
    expect(await callRow(other.inboundCallId)).toMatchObject({ status: 'queued', ringingAgentId: null });
    expect(await history(other.inboundCallId)).toEqual([{ type: 'queued', agentId: null }]);
    // Back from break, A is free again: the next caller of their line rings them.
    expect((await a.call('POST', '/api/shift/resume')).status).toBe(200);
    expect(await offer((await line([team.id])).number)).toMatchObject({ action: 'ring', agentId: a.user.id });
  });

  it('a ring marked after Take Break read the shift but before it locked it is passed on, not left ringing an agent on break', async () => {
    const { agents, team } = await floor(2);
    const [a, b] = agents as [Agent, Agent];
    // A caller queued on a line nobody answers yet; then the agents' team answers it.
    const l = await line([(await createTeam(t.database.db, [])).id]);
    const queued = await offer(l.number);
    expect(queued.action).toBe('queue');
    expect((await admin.patch(`/api/inbound/lines/${l.id}`, { teamIds: [team.id] })).status).toBe(200);
    // Routing's transaction (by hand) has locked A's shift and is about to mark it ringing for the call.
    const routing = await t.database.pool.connect();
    try {
      await routing.query('BEGIN');
      await routing.query('SELECT id FROM inbound_calls WHERE id = $1 FOR UPDATE', [queued.inboundCallId]);
      await routing.query('SELECT id FROM shifts WHERE agent_id = $1 AND closed_at IS NULL FOR UPDATE', [a.user.id]);
      // A presses Take Break now: it must wait for the shift's lock (not decide on the mark it read before).
      const breakTaken = a.call('POST', '/api/shift/break', { breakReasonId: settings.breakReasonId });
      await waitForLockWaiter();
      const at = clock.now();
      await routing.query(
        `UPDATE inbound_calls SET status = 'ringing', ringing_agent_id = $2, ring_deadline = $3, updated_at = $4 WHERE id = $1`,
        [queued.inboundCallId, a.user.id, new Date(at.getTime() + 5_000), at],
      );
      await routing.query(`UPDATE shifts SET ringing_inbound_call_id = $1 WHERE agent_id = $2 AND closed_at IS NULL`, [
        queued.inboundCallId,
        a.user.id,
      ]);
      await routing.query(
        `INSERT INTO inbound_call_events (inbound_call_id, type, agent_id, at) VALUES ($1, 'ringing', $2, $3)`,
        [queued.inboundCallId, a.user.id, at],
      );
      await routing.query('COMMIT');
      const res = await breakTaken;
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    } finally {
      routing.release();
    }
    expect(await shiftRow(a.user.id)).toMatchObject({ state: 'on_break', ringingInboundCallId: null });
    expect(await callRow(queued.inboundCallId)).toMatchObject({ status: 'ringing', ringingAgentId: b.user.id });
    expect(await history(queued.inboundCallId)).toEqual([
      { type: 'queued', agentId: null },
      { type: 'ringing', agentId: a.user.id },
      { type: 'left', agentId: a.user.id },
      { type: 'ringing', agentId: b.user.id },
    ]);
  });
});

/** Waits until a statement of this database waits for a row lock (another connection's request blocked). */
async function waitForLockWaiter() {
  for (let i = 0; i < 200; i++) {
    const { rows } = await t.database.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (rows[0]!.n > 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('No request waited for the lock within 5 s');
}
