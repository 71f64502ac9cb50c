import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { END_REASON_FIT_CASES } from '@engage/contracts';
import { apiUser, type ApiUser } from '../../../test/admin-factories';
import { signedIn, type Agent } from '../../../test/agent';
import { createTestApp, testClock, type TestApp } from '../../../test/app';
import { createCampaign, createDonors, createSettings, createTeam } from '../../../test/dialer-factories';
import { uniqueSuffix } from '../../../test/factories';
import { calls, endReasons, inboundCalls } from '../../db/schema';
import { signPhoneSystemBody } from '../inbound/phone-system-auth';

/**
 * Issue 11, items 5 and 6 for managers: end reasons per direction (End Call and a correction refuse
 * the other direction's), inbound calls on the Calls list (with or without a donor, their line,
 * filtered by it), every inbound call answered or not, and each one's history.
 */
// Tuesday 10 March 2026, 12:00 in London: the lines below are open (Mon-Fri 09:00-17:00).
const clock = testClock(new Date('2026-03-10T12:00:00Z'));
let t: TestApp;
let admin: ApiUser;
let token: string;
let s: Awaited<ReturnType<typeof createSettings>>;
/** End reasons for one direction only. */
let inboundOnly: { id: number; name: string };
let outboundOnly: { id: number; name: string };

beforeAll(async () => {
  t = await createTestApp({ now: clock.now, env: { LEASE_SECONDS: '3600' } });
  admin = await apiUser(t.app, t.database, 'admin');
  token = (await admin.post('/api/phone-system-tokens', { name: 'Calls PBX' })).body.token;
  s = await createSettings(t.database.db);
  const [i, o] = await t.database.db
    .insert(endReasons)
    .values([
      { name: `Enquiry answered ${uniqueSuffix()}`, outcome: 'final', direction: 'inbound' },
      { name: `Busy ${uniqueSuffix()}`, outcome: 'retry', retryMinutes: 30, direction: 'outbound' },
    ])
    .returning({ id: endReasons.id, name: endReasons.name });
  inboundOnly = i!;
  outboundOnly = o!;
}, 60_000);

const newManager = () => apiUser(t.app, t.database, 'manager');

async function send(path: string, body: unknown) {
  const payload = JSON.stringify(body);
  const ts = Math.floor(clock.now().getTime() / 1000);
  const res = await t.app.inject({
    method: 'POST',
    url: path,
    payload,
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'x-engage-signature': `t=${ts},v1=${signPhoneSystemBody(token, ts, payload)}`,
    },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ inboundCallId: number; action?: string; agentId?: number }>();
}

let seq = 300;
/** A team led by a fresh manager, `n` agents Ready in it (first: idle longest), and a line the team answers. */
async function floor(n: number) {
  const lead = await newManager();
  const agents: Agent[] = [];
  for (let i = 0; i < n; i++) agents.push(await signedIn(t.app, t.database));
  const team = await createTeam(
    t.database.db,
    agents.map((a) => a.user.id),
  );
  await t.database.db.execute(
    sql`insert into team_members (team_id, user_id, is_leader) values (${team.id}, ${lead.user.id}, true)`,
  );
  const campaign = await createCampaign(t.database, { teamIds: [team.id], lists: [{ donorIds: [] }] });
  for (const a of agents) {
    expect((await a.openShift(s.jobRoleId)).status).toBe(201);
    expect((await a.ready(team.id, campaign.id)).status).toBe(200);
    clock.advance(60_000);
  }
  const line = await admin.post<{ id: number; number: string; name: string }>('/api/inbound/lines', {
    number: `020 7946 3${String(seq++).padStart(3, '0')}`,
    country: 'GB',
    name: `Line ${uniqueSuffix()}`,
    timeZone: 'Europe/London',
    teamIds: [team.id],
    ringSeconds: 5,
  });
  expect(line.status, JSON.stringify(line.body)).toBe(201);
  return { manager: lead, agents, team, campaign, line: line.body };
}

/** A caller (not a donor) rings the line; the agent it rings answers: the inbound call and its call record. */
async function answeredCall(line: { number: string }, agent: Agent, from = '+44 7400 555123') {
  const offered = await send('/api/phone-system/calls', { callId: `pbx-${uniqueSuffix()}`, from, to: line.number });
  expect(offered).toMatchObject({ action: 'ring', agentId: agent.user.id });
  clock.advance(4_000);
  const answered = await agent.call('POST', `/api/inbound/calls/${offered.inboundCallId}/answer`);
  expect(answered.status, JSON.stringify(answered.body)).toBe(200);
  return { inboundCallId: offered.inboundCallId, callId: answered.body.call.id as number };
}

describe('end reasons per direction', () => {
  it('endReasonFits and its SQL twin (engage_end_reason_fits, which End Call asks) agree on every case', async () => {
    for (const [reason, call, fits] of END_REASON_FIT_CASES) {
      const r = await t.database.db.execute<{ fits: boolean }>(
        sql`select engage_end_reason_fits(${reason}::end_reason_direction, ${call}::call_direction) as fits`,
      );
      expect(r.rows[0]!.fits, `${reason} on ${call}`).toBe(fits);
    }
  });

  it('admins set and change the calls a reason ends; existing reasons end both; the agents’ list says it', async () => {
    const created = await admin.post('/api/settings/end-reasons', {
      name: `Complaint handled ${uniqueSuffix()}`,
      outcome: 'final',
      direction: 'inbound',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.direction).toBe('inbound');
    const plain = await admin.post('/api/settings/end-reasons', { name: `Plain ${uniqueSuffix()}`, outcome: 'final' });
    expect(plain.body.direction).toBe('both');
    const changed = await admin.patch(`/api/settings/end-reasons/${created.body.id}`, { direction: 'outbound' });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({ direction: 'outbound', outcome: 'final' });
    const bad = await admin.patch(`/api/settings/end-reasons/${created.body.id}`, { direction: 'sideways' });
    expect(bad.status).toBe(400);
    const agent = await signedIn(t.app, t.database);
    const listed = (await agent.call('GET', '/api/end-reasons')).body as { id: number; direction: string }[];
    expect(listed.find((r) => r.id === created.body.id)?.direction).toBe('outbound');
    expect(listed.find((r) => r.id === s.end.final)?.direction).toBe('both');
  });

  it('End Call refuses a reason of the other direction, naming the fix, and keeps the call open; a fitting one ends it', async () => {
    const { agents, line } = await floor(1);
    const [a] = agents as [Agent];
    const { callId } = await answeredCall(line, a);

    const refused = await a.end(callId, { endReasonId: outboundOnly.id });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'reason_not_available',
      message: `"${outboundOnly.name}" does not apply to inbound calls. Choose an end reason for inbound calls from the list.`,
    });
    const [open] = await t.database.db.select().from(calls).where(eq(calls.id, callId));
    expect(open).toMatchObject({ endedAt: null, endReasonId: null });

    const ended = await a.end(callId, { endReasonId: inboundOnly.id });
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    expect(ended.body.endReason).toMatchObject({ id: inboundOnly.id });
  });

  it('an outbound call refuses an inbound-only reason and takes an outbound-only one', async () => {
    const agent = await signedIn(t.app, t.database);
    const team = await createTeam(t.database.db, [agent.user.id]);
    const donors = await createDonors(t.database.db, [{}]);
    const campaign = await createCampaign(t.database, {
      teamIds: [team.id],
      lists: [{ donorIds: donors.map((d) => d.id) }],
    });
    expect((await agent.openShift(s.jobRoleId)).status).toBe(201);
    expect((await agent.ready(team.id, campaign.id)).status).toBe(200);
    const next = await agent.next();
    expect(next.body.status).toBe('offered');
    const started = await agent.start(next.body.offer.id);
    const refused = await agent.end(started.body.call.id, { endReasonId: inboundOnly.id });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/does not apply to outbound calls\. Choose an end reason for outbound calls/);
    expect((await agent.end(started.body.call.id, { endReasonId: outboundOnly.id })).status).toBe(200);
  });

  it('a manager correcting a call gets the same rule', async () => {
    const { manager, agents, line } = await floor(1);
    const [a] = agents as [Agent];
    const { callId } = await answeredCall(line, a);
    expect((await a.end(callId, { endReasonId: s.end.final })).status).toBe(200);

    const wrong = await manager.patch(`/api/calls/${callId}`, { endReasonId: outboundOnly.id });
    expect(wrong.status).toBe(409);
    expect(wrong.body).toMatchObject({
      code: 'reason_not_available',
      message: expect.stringContaining('does not apply to inbound calls'),
      issues: [{ path: 'body.endReasonId' }],
    });
    const [still] = await t.database.db.select().from(calls).where(eq(calls.id, callId));
    expect(still!.endReasonId).toBe(s.end.final);

    const right = await manager.patch(`/api/calls/${callId}`, { endReasonId: inboundOnly.id });
    expect(right.status, JSON.stringify(right.body)).toBe(200);
    expect(right.body.endReason).toMatchObject({ id: inboundOnly.id });
  });
});

describe('inbound calls on the Calls list', () => {
  it('lists an inbound caller with no donor, with the direction and the line; filters by direction and line; keeps scope', async () => {
    const { manager, agents, line, team } = await floor(1);
    const [a] = agents as [Agent];
    const { callId, inboundCallId } = await answeredCall(line, a, '07400 555987');
    expect((await a.end(callId, { endReasonId: inboundOnly.id })).status).toBe(200);

    const listed = await manager.get(`/api/calls?direction=inbound&inboundLineId=${line.id}`);
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    expect(listed.body.calls).toEqual([
      expect.objectContaining({
        id: callId,
        direction: 'inbound',
        donor: null,
        line: { id: line.id, name: line.name },
        inboundCallId,
        phoneDialled: '+447400555987',
        team: { id: team.id, name: expect.any(String) },
        endReason: expect.objectContaining({ id: inboundOnly.id }),
      }),
    ]);
    // Unfiltered, the call is there too; outbound only, it is not.
    expect((await manager.get('/api/calls')).body.calls.map((c: { id: number }) => c.id)).toContain(callId);
    expect(
      (await manager.get('/api/calls?direction=outbound')).body.calls.map((c: { id: number }) => c.id),
    ).not.toContain(callId);

    // Another line's filter: nothing of this line.
    const other = await floor(1);
    const otherCall = await answeredCall(other.line, other.agents[0]!);
    expect(
      (await admin.get(`/api/calls?inboundLineId=${other.line.id}`)).body.calls.map((c: { id: number }) => c.id),
    ).toEqual([otherCall.callId]);
    // The other team's manager does not see this call; the admin does.
    expect((await other.manager.get('/api/calls')).body.calls.map((c: { id: number }) => c.id)).not.toContain(callId);
    expect(
      (await admin.get(`/api/calls?inboundLineId=${line.id}`)).body.calls.map((c: { id: number }) => c.id),
    ).toEqual([callId]);
  });
});

describe("inbound calls, answered or not, and each one's history", () => {
  it('shows who was rung and when, who declined, who answered, the end reason; abandoned calls too; another team’s manager gets 404', async () => {
    const { manager, agents, line } = await floor(2);
    const [a, b] = agents as [Agent, Agent];
    const arrived = clock.now();
    const offered = await send('/api/phone-system/calls', {
      callId: `pbx-${uniqueSuffix()}`,
      from: '+44 7400 555111',
      to: line.number,
    });
    expect(offered).toMatchObject({ action: 'ring', agentId: a.user.id });
    clock.advance(3_000);
    expect((await a.call('POST', `/api/inbound/calls/${offered.inboundCallId}/decline`)).status).toBe(204);
    const [rung] = await t.database.db.select().from(inboundCalls).where(eq(inboundCalls.id, offered.inboundCallId));
    expect(rung!.ringingAgentId).toBe(b.user.id);
    clock.advance(2_000);
    const answered = await b.call('POST', `/api/inbound/calls/${offered.inboundCallId}/answer`);
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    clock.advance(60_000);
    expect((await b.end(answered.body.call.id, { endReasonId: inboundOnly.id })).status).toBe(200);

    const history = await manager.get(`/api/calls/inbound/${offered.inboundCallId}`);
    expect(history.status, JSON.stringify(history.body)).toBe(200);
    expect(history.body.call).toMatchObject({
      id: offered.inboundCallId,
      line: { id: line.id, name: line.name },
      fromE164: '+447400555111',
      arrivedAt: arrived.toISOString(),
      status: 'ended',
      answeredBy: { id: b.user.id, name: b.user.name },
      endedAt: new Date(arrived.getTime() + 65_000).toISOString(),
      waitedSeconds: 5,
      callId: answered.body.call.id,
      donor: null,
      endReason: { id: inboundOnly.id, name: inboundOnly.name },
    });
    expect(
      history.body.events.map((e: { type: string; agent: { id: number } | null }) => [e.type, e.agent?.id ?? null]),
    ).toEqual([
      ['queued', null],
      ['ringing', a.user.id],
      ['declined', a.user.id],
      ['ringing', b.user.id],
      ['answered', b.user.id],
      ['ended', b.user.id], // the agent's End Call
    ]);
    expect(history.body.events[3].at).toBe(new Date(arrived.getTime() + 3_000).toISOString());

    // A caller who hangs up while queued (both agents rung for others) has no call record, but is listed with their wait.
    const busy: number[] = [];
    for (const agent of [a, b]) {
      const rung = await send('/api/phone-system/calls', {
        callId: `pbx-${uniqueSuffix()}`,
        from: '+44 7400 555222',
        to: line.number,
      });
      expect(rung).toMatchObject({ action: 'ring', agentId: agent.user.id });
      busy.push(rung.inboundCallId);
    }
    const queuedExt = `pbx-${uniqueSuffix()}`;
    const queued = await send('/api/phone-system/calls', { callId: queuedExt, from: 'anonymous', to: line.number });
    expect(queued.action).toBe('queue');
    clock.advance(42_000);
    await send('/api/phone-system/calls/events', { callId: queuedExt, type: 'abandoned' });

    const abandoned = await manager.get(`/api/calls/inbound?lineId=${line.id}&status=abandoned`);
    expect(abandoned.status, JSON.stringify(abandoned.body)).toBe(200);
    expect(abandoned.body.inboundCalls).toEqual([
      expect.objectContaining({
        id: queued.inboundCallId,
        status: 'abandoned',
        waitedSeconds: 42,
        callId: null,
        from: 'anonymous',
      }),
    ]);
    const all = await manager.get(`/api/calls/inbound?lineId=${line.id}`);
    expect(all.body.inboundCalls.map((c: { id: number }) => c.id)).toEqual([
      queued.inboundCallId,
      busy[1],
      busy[0],
      offered.inboundCallId,
    ]);
    // Ended by the agent counts as ended (the phone system has not said so); the two still ringing as ringing.
    const endedList = await manager.get(`/api/calls/inbound?lineId=${line.id}&status=ended`);
    expect(endedList.body.inboundCalls.map((c: { id: number }) => c.id)).toEqual([offered.inboundCallId]);
    expect((await manager.get(`/api/calls/inbound?lineId=${line.id}&status=answered`)).body.inboundCalls).toEqual([]);
    expect(
      (await manager.get(`/api/calls/inbound?lineId=${line.id}&status=ringing`)).body.inboundCalls.map(
        (c: { id: number }) => c.id,
      ),
    ).toEqual([busy[1], busy[0]]);
    const abandonedHistory = await manager.get(`/api/calls/inbound/${queued.inboundCallId}`);
    expect(abandonedHistory.body.events.map((e: { type: string }) => e.type)).toEqual(['queued', 'abandoned']);

    // Another team's manager: not found, and not listed; an agent: 403.
    const stranger = await newManager();
    const notMine = await stranger.get(`/api/calls/inbound/${offered.inboundCallId}`);
    expect(notMine.status).toBe(404);
    expect(notMine.body.message).toMatch(/No such inbound call on the lines your teams answer/);
    expect((await stranger.get(`/api/calls/inbound?lineId=${line.id}`)).body.inboundCalls).toEqual([]);
    expect((await a.call('GET', `/api/calls/inbound/${offered.inboundCallId}`)).status).toBe(403);
    expect((await admin.get(`/api/calls/inbound/${offered.inboundCallId}`)).status).toBe(200);
  });

  it("an overflowed caller's wait is until the line's action took them, not until the phone system's later 'ended'", async () => {
    const { manager, agents, line } = await floor(1);
    // The only agent is on a break: the caller queues, and waits past the line's longest wait.
    const breaks = (await agents[0]!.call('GET', '/api/break-reasons')).body as { id: number }[];
    expect((await agents[0]!.call('POST', '/api/shift/break', { breakReasonId: breaks[0]!.id })).status).toBeLessThan(
      300,
    );
    const ext = `pbx-${uniqueSuffix()}`;
    const queued = await send('/api/phone-system/calls', { callId: ext, from: '+44 7400 555444', to: line.number });
    expect(queued.action).toBe('queue');
    await admin.patch(`/api/inbound/lines/${line.id}`, { maxWaitSeconds: 30 });
    clock.advance(31_000);
    await t.app.inbound.sweep();
    const listed = async () =>
      (await manager.get(`/api/calls/inbound?lineId=${line.id}&status=overflow`)).body.inboundCalls as {
        id: number;
        waitedSeconds: number;
      }[];
    expect(await listed()).toEqual([expect.objectContaining({ id: queued.inboundCallId, waitedSeconds: 31 })]);
    // The voicemail lasts two minutes; then the phone system says the call ended.
    clock.advance(120_000);
    await send('/api/phone-system/calls/events', { callId: ext, type: 'ended' });
    expect(await listed()).toEqual([expect.objectContaining({ id: queued.inboundCallId, waitedSeconds: 31 })]);
  });
});
