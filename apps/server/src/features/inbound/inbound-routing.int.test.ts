import { and, eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiUser, type ApiUser } from '../../../test/admin-factories';
import type { Agent } from '../../../test/agent';
import { createTestApp, testClock, type TestApp } from '../../../test/app';
import { createDonors, createSettings, createTeam } from '../../../test/dialer-factories';
import { uniqueSuffix } from '../../../test/factories';
import { answerInbound, declineInbound, inboundKit } from '../../../test/inbound-factories';
import { calls, campaignDonors, donorHolds, inboundCalls, offers } from '../../db/schema';

/**
 * Routing of inbound calls (issue 11, item 4), against the real database: who is rung, what a miss
 * does, the queue, the longest wait, and two app instances on one database.
 */
// Tuesday 10 March 2026, 12:00 in London: the lines below are open (Mon-Fri 09:00-17:00).
const clock = testClock(new Date('2026-03-10T12:00:00Z'));
let t: TestApp;
/** A second app instance on the same database. */
let t2: TestApp;
let admin: ApiUser;
let token: string;
let settings: Awaited<ReturnType<typeof createSettings>>;

beforeAll(async () => {
  // A long lease: the clock moves by hand here, and no screen sends heartbeats.
  const env = { LEASE_SECONDS: '3600' };
  t = await createTestApp({ now: clock.now, env });
  t2 = await createTestApp({ database: t.database, now: clock.now, env });
  admin = await apiUser(t.app, t.database, 'admin');
  token = (await admin.post('/api/phone-system-tokens', { name: 'Routing PBX' })).body.token;
  settings = await createSettings(t.database.db);
}, 60_000);

const kit = inboundKit(() => ({ t, admin, token }), {
  clock,
  numberPrefix: '020 7946 2',
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

describe('routing rings the longest-idle free agent', () => {
  it('longest idle first; the rung agent sees the call pop and answers it: an inbound call under the line campaign, the shift on it', async () => {
    const { agents, team } = await floor(3);
    const [a, b, c] = agents as [Agent, Agent, Agent];
    const l = await line([(await createTeam(t.database.db, [])).id]);
    // Nobody of the line's teams is signed in: the caller queues.
    expect(await offer(l.number)).toMatchObject({ action: 'queue', position: 1 });

    const l2 = await line([team.id]);
    const first = await offer(l2.number);
    expect(first).toMatchObject({ action: 'ring', agentId: a.user.id, agentName: a.user.name, ringSeconds: 5 });
    const second = await offer(l2.number);
    expect(second).toMatchObject({ action: 'ring', agentId: b.user.id });
    const third = await offer(l2.number);
    expect(third).toMatchObject({ action: 'ring', agentId: c.user.id });
    // Everyone is ringing: the fourth caller queues.
    expect(await offer(l2.number)).toMatchObject({ action: 'queue', position: 1 });

    const shown = await a.shift();
    expect(shown.body.incoming).toMatchObject({
      inboundCallId: first.inboundCallId,
      lineName: expect.any(String),
      from: '+442079460999',
      donors: [],
      waitedSeconds: 0,
    });
    // Another agent cannot answer it.
    expect((await answer(b, first.inboundCallId)).status).toBe(409);

    const answered = await answer(a, first.inboundCallId);
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body.call).toMatchObject({
      direction: 'inbound',
      campaignId: l2.campaign.id,
      donorId: null,
      phoneDialled: '+442079460999',
    });
    const onCall = await a.shift();
    expect(onCall.body).toMatchObject({ state: 'on_call', incoming: null, call: { id: answered.body.call.id } });
    expect(await callRow(first.inboundCallId)).toMatchObject({
      status: 'answered',
      answeredBy: a.user.id,
      callId: answered.body.call.id,
      ringingAgentId: null,
    });
    expect(await history(first.inboundCallId)).toEqual([
      { type: 'queued', agentId: null },
      { type: 'ringing', agentId: a.user.id },
      { type: 'answered', agentId: a.user.id },
    ]);
    // Answered again by the same agent (a lost reply): the same call, nothing more recorded.
    const again = await answer(a, first.inboundCallId);
    expect(again.status).toBe(200);
    expect(again.body.call.id).toBe(answered.body.call.id);
    expect(await history(first.inboundCallId)).toHaveLength(3);

    // End Call of an inbound call goes through the existing End Call; the agent is free again.
    const ended = await a.end(answered.body.call.id, { endReasonId: settings.end.final });
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    expect((await a.shift()).body.state).toBe('ready');
    // An agent who becomes free gets the longest-waiting call of their lines (the sweep).
    await t.app.inbound.sweep();
    const queuedOne = await t.database.db
      .select()
      .from(inboundCalls)
      .where(and(eq(inboundCalls.lineId, l2.id), eq(inboundCalls.ringingAgentId, a.user.id)));
    expect(queuedOne).toHaveLength(1);
  });
});

describe("the caller on the agent's screen", () => {
  it("pops the donor whose phone is the caller's number (sent in any format), and answering links that donor to the call", async () => {
    const { agents, team } = await floor(1);
    const [a] = agents as [Agent];
    const l = await line([team.id]);
    const digits = String(Math.floor(Math.random() * 900) + 100);
    const [donor] = await createDonors(t.database.db, [{ firstName: 'Ottoline', phone: `+441614960${digits}` }]);
    const rung = await send(t, '/api/phone-system/calls', {
      callId: `pbx-${uniqueSuffix()}`,
      from: `0044 (0)161 496 0${digits}`,
      to: l.number,
    });
    expect(rung).toMatchObject({ action: 'ring', agentId: a.user.id });
    expect((await a.shift()).body.incoming).toMatchObject({
      from: `+441614960${digits}`,
      donors: [{ id: donor!.id, reference: donor!.reference, name: expect.stringContaining('Ottoline') }],
    });
    const answered = await answer(a, rung.inboundCallId);
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body.call).toMatchObject({ direction: 'inbound', donorId: donor!.id });
  });
});

describe('a ringing agent who does not answer is passed over', () => {
  it('the ring time-out (sweep) rings the next agent, and the miss is recorded', async () => {
    const { agents, team } = await floor(2);
    const [a, b] = agents as [Agent, Agent];
    const l = await line([team.id]);
    const rung = await offer(l.number);
    expect(rung.agentId).toBe(a.user.id);
    clock.advance(4_000);
    await t.app.inbound.sweep();
    expect((await callRow(rung.inboundCallId)).ringingAgentId).toBe(a.user.id);
    clock.advance(2_000);
    expect((await t.app.inbound.sweep()).timedOut).toBeGreaterThanOrEqual(1);
    expect(await callRow(rung.inboundCallId)).toMatchObject({ status: 'ringing', ringingAgentId: b.user.id });
    expect(await history(rung.inboundCallId)).toEqual([
      { type: 'queued', agentId: null },
      { type: 'ringing', agentId: a.user.id },
      { type: 'no_answer', agentId: a.user.id },
      { type: 'ringing', agentId: b.user.id },
    ]);
    expect((await a.shift()).body).toMatchObject({ state: 'ready', incoming: null });
    // The phone system's own no_answer for A arrives late: nothing recorded, and it is told to ring B.
    const externalId = (await callRow(rung.inboundCallId)).externalId;
    expect(await event({ callId: externalId, type: 'no_answer', agentId: a.user.id })).toMatchObject({
      recorded: false,
      status: 'ringing',
      next: { action: 'ring', agentId: b.user.id, agentName: b.user.name },
    });
    // B lets it ring out too: nobody fresh is free, so a new round rings A (who missed it first) again.
    clock.advance(6_000);
    await t.app.inbound.sweep();
    expect(await callRow(rung.inboundCallId)).toMatchObject({ status: 'ringing', ringingAgentId: a.user.id });
  });

  it('the phone system ringing another agent itself frees the agent Engage rang', async () => {
    const { agents, team } = await floor(2);
    const [a, b] = agents as [Agent, Agent];
    const l = await line([team.id]);
    const rung = await offer(l.number);
    expect(rung.agentId).toBe(a.user.id);
    const externalId = (await callRow(rung.inboundCallId)).externalId;
    await event({ callId: externalId, type: 'ringing', agentId: b.user.id });
    expect((await a.shift()).body.incoming).toBeNull();
    // A is free for the next caller; B, rung by the phone system, is not rung for another call.
    expect(await offer(l.number)).toMatchObject({ action: 'ring', agentId: a.user.id });
    expect(await offer(l.number)).toMatchObject({ action: 'queue' });
  });

  it('two misses in a row put the agent on a "Missed calls" break, and their shift says why; an answer in between starts the count again', async () => {
    const { agents, team } = await floor(1);
    const [a] = agents as [Agent];
    const l = await line([team.id]);
    const one = await offer(l.number);
    expect(one.agentId).toBe(a.user.id);
    // The phone system says the agent did not answer: counted, and nobody else is free.
    const res = await event({ callId: (await callRow(one.inboundCallId)).externalId, type: 'no_answer' });
    expect(res).toMatchObject({ status: 'queued', recorded: true, next: { action: 'queue' } });
    expect((await a.shift()).body.state).toBe('ready');

    // The next call rings them; they answer it (count starts again) and end it.
    const two = await offer(l.number);
    expect(two.agentId).toBe(a.user.id);
    const answered = await answer(a, two.inboundCallId);
    expect(answered.status).toBe(200);
    const ended = await a.end(answered.body.call.id, { endReasonId: settings.end.final });
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);

    // A miss, then a decline: two in a row. The first caller still waits, and nobody who has not
    // missed it is free: a new round rings A for it again.
    await t.app.inbound.sweep();
    expect((await callRow(one.inboundCallId)).ringingAgentId).toBe(a.user.id);
    clock.advance(6_000);
    await t.app.inbound.sweep(); // rang out (one miss since the answer); the sweep rings them for the caller again
    expect((await a.shift()).body).toMatchObject({ state: 'ready', incoming: { inboundCallId: one.inboundCallId } });
    expect((await decline(a, one.inboundCallId)).status).toBe(204);
    const shift = (await a.shift()).body;
    expect(shift).toMatchObject({ state: 'on_break', breakReason: { name: 'Missed calls' }, incoming: null });
    expect((await history(one.inboundCallId)).map((e) => e.type)).toEqual([
      'queued',
      'ringing',
      'no_answer',
      'ringing',
      'no_answer',
      'ringing',
      'declined',
    ]);
    // On break, never rung.
    expect(await offer(l.number)).toMatchObject({ action: 'queue' });
  });
});

describe('an agent the phone system rings itself', () => {
  it('has the line ring time: with no answer the sweep passes the call on, so neither stays ringing', async () => {
    const { agents, team } = await floor(2);
    const [a, b] = agents as [Agent, Agent];
    const l = await line([team.id]);
    const rung = await offer(l.number);
    expect(rung).toMatchObject({ action: 'ring', agentId: a.user.id });
    const externalId = (await callRow(rung.inboundCallId)).externalId;
    // The phone system rings B itself (A's ring ends), then no event comes for B.
    await event({ callId: externalId, type: 'ringing', agentId: b.user.id });
    expect(await callRow(rung.inboundCallId)).toMatchObject({
      status: 'ringing',
      ringingAgentId: b.user.id,
      ringDeadline: new Date(clock.now().getTime() + 5_000),
    });
    clock.advance(6_000);
    await t.app.inbound.sweep();
    // B's miss is recorded and the call goes to whoever is free: A again (A was not passed over).
    expect(await callRow(rung.inboundCallId)).toMatchObject({ status: 'ringing', ringingAgentId: a.user.id });
    expect((await history(rung.inboundCallId)).slice(-3)).toEqual([
      { type: 'ringing', agentId: b.user.id },
      { type: 'no_answer', agentId: b.user.id },
      { type: 'ringing', agentId: a.user.id },
    ]);
  });
});

describe('inbound comes before outbound', () => {
  it('a blended agent previewing an outbound donor is rung, and that donor goes back to the pool at once', async () => {
    const { agents, team } = await floor(1, { donors: 1 });
    const [a] = agents as [Agent];
    const next = await a.next();
    expect(next.body.status).toBe('offered');
    const donorId = next.body.offer.donor.id as number;
    const l = await line([team.id]);
    const rung = await offer(l.number);
    expect(rung).toMatchObject({ action: 'ring', agentId: a.user.id });

    const [o] = await t.database.db.select().from(offers).where(eq(offers.id, next.body.offer.id));
    expect(o!.status).toBe('released');
    const [queued] = await t.database.db.select().from(campaignDonors).where(eq(campaignDonors.donorId, donorId));
    expect(queued!.heldByShiftId).toBeNull();
    expect(await t.database.db.select().from(donorHolds).where(eq(donorHolds.donorId, donorId))).toEqual([]);
    expect((await a.shift()).body).toMatchObject({
      state: 'ready',
      offer: null,
      incoming: { inboundCallId: rung.inboundCallId },
    });
    // While it rings, no outbound donor is taken.
    const refused = await a.next();
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/inbound call is ringing for you: Answer or Decline it/);
    expect((await a.shift()).body).toMatchObject({ state: 'ready', offer: null });
  });
});

describe('the queue', () => {
  it('a queued caller who hangs up is never rung afterwards', async () => {
    const { agents, team } = await floor(1);
    const [a] = agents as [Agent];
    expect((await a.call('POST', '/api/shift/break', { breakReasonId: settings.breakReasonId })).status).toBe(200);
    const l = await line([team.id]);
    const gone = await offer(l.number);
    expect(gone).toMatchObject({ action: 'queue', position: 1 });
    const waiting = await offer(l.number);
    expect(waiting).toMatchObject({ action: 'queue', position: 2 });
    await event({ callId: (await callRow(gone.inboundCallId)).externalId, type: 'abandoned' });
    // The agent comes back from break: at once (no sweep) they are rung for the caller still
    // waiting, never for the one who hung up; nor by a sweep afterwards.
    expect((await a.call('POST', '/api/shift/resume')).status).toBe(200);
    expect(await callRow(waiting.inboundCallId)).toMatchObject({ status: 'ringing', ringingAgentId: a.user.id });
    await t.app.inbound.sweep();
    expect(await callRow(gone.inboundCallId)).toMatchObject({ status: 'abandoned', ringingAgentId: null });
    expect((await history(gone.inboundCallId)).map((e) => e.type)).toEqual(['queued', 'abandoned']);
    expect(await callRow(waiting.inboundCallId)).toMatchObject({ status: 'ringing', ringingAgentId: a.user.id });
  });

  it('closed hours answer the closed action; a wait longer than the line allows takes the overflow action', async () => {
    const team = await createTeam(t.database.db, []);
    const l = await line([team.id], { maxWaitSeconds: 30, overflowAction: 'callback', closedAction: 'voicemail' });
    const q = await offer(l.number);
    expect(q).toMatchObject({ action: 'queue' });
    clock.advance(29_000);
    await t.app.inbound.sweep();
    expect((await callRow(q.inboundCallId)).status).toBe('queued');
    clock.advance(1_000);
    expect((await t.app.inbound.sweep()).overflowed).toBeGreaterThanOrEqual(1);
    expect(await callRow(q.inboundCallId)).toMatchObject({
      status: 'overflow',
      offerAnswer: { inboundCallId: q.inboundCallId, action: 'overflow', then: 'callback' },
    });
    expect((await history(q.inboundCallId)).map((e) => e.type)).toEqual(['queued', 'overflow', 'callback_requested']);

    const saved = clock.now();
    clock.set(new Date('2026-03-10T19:00:00Z')); // 19:00 in London: closed
    expect(await offer(l.number)).toMatchObject({ action: 'closed', then: 'voicemail' });
    clock.set(saved);
  });
});

describe('state lives in PostgreSQL', () => {
  it('a call offered on one instance is answered on another', async () => {
    const { agents, team } = await floor(1, { app: t2 });
    const [a] = agents as [Agent];
    const l = await line([team.id]);
    const rung = await offer(l.number, t);
    expect(rung).toMatchObject({ action: 'ring', agentId: a.user.id });
    // The agent's screen talks to the second instance.
    expect((await a.shift()).body.incoming).toMatchObject({ inboundCallId: rung.inboundCallId });
    const answered = await answer(a, rung.inboundCallId);
    expect(answered.status).toBe(200);
    expect(await callRow(rung.inboundCallId)).toMatchObject({ status: 'answered', answeredBy: a.user.id });
  });

  it('200 calls at once for 50 agents: none rung to two agents, no agent rung twice, none lost, each answered by exactly one agent', async () => {
    const { agents, team } = await floor(50);
    const l = await line([team.id], { maxWaitSeconds: 3600 });
    const answers = await Promise.all(Array.from({ length: 200 }, () => offer(l.number)));
    const rings = answers.filter((x) => x.action === 'ring');
    expect(rings).toHaveLength(50);
    expect(new Set(rings.map((x) => x.agentId)).size).toBe(50);
    expect(answers.filter((x) => x.action === 'queue')).toHaveLength(150);
    const ids = answers.map((x) => x.inboundCallId);
    expect(new Set(ids).size).toBe(200);

    const byAgent = new Map(agents.map((a) => [a.user.id, a]));
    for (let round = 0; round < 10; round++) {
      const ringing = await t.database.db
        .select({ id: inboundCalls.id, agentId: inboundCalls.ringingAgentId })
        .from(inboundCalls)
        .where(and(inArray(inboundCalls.id, ids), eq(inboundCalls.status, 'ringing')));
      if (ringing.length === 0) break;
      expect(new Set(ringing.map((r) => r.agentId)).size).toBe(ringing.length);
      // Every ringing agent answers and ends the call, all at once.
      await Promise.all(
        ringing.map(async (r) => {
          const a = byAgent.get(r.agentId!)!;
          const res = await answer(a, r.id);
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          expect((await a.end(res.body.call.id, { endReasonId: settings.end.final })).status).toBe(200);
        }),
      );
      await t.app.inbound.sweep();
    }
    const final = await t.database.db
      .select({ status: inboundCalls.status, answeredBy: inboundCalls.answeredBy, callId: inboundCalls.callId })
      .from(inboundCalls)
      .where(inArray(inboundCalls.id, ids));
    // Answered, then ended by the agent's End Call (which ends the inbound call too).
    expect(final.filter((r) => r.status === 'ended' && r.answeredBy !== null)).toHaveLength(200);
    const records = await t.database.db
      .select({ id: calls.id, agentId: calls.agentId })
      .from(calls)
      .where(
        inArray(
          calls.id,
          final.map((r) => r.callId!),
        ),
      );
    // One call record per inbound call, by the agent who answered it.
    expect(records).toHaveLength(200);
    for (const r of final) expect(records.find((c) => c.id === r.callId)!.agentId).toBe(r.answeredBy);
  }, 120_000);
});
