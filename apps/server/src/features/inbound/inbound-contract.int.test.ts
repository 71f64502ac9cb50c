import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiUser, type ApiUser } from '../../../test/admin-factories';
import { signedIn, type Agent } from '../../../test/agent';
import { createTestApp, testClock, type TestApp } from '../../../test/app';
import { createCampaign, createSettings, createTeam } from '../../../test/dialer-factories';
import { uniqueSuffix } from '../../../test/factories';
import { inboundKit } from '../../../test/inbound-factories';
import { calls, inboundCalls } from '../../db/schema';

/**
 * Holes in the phone-system contract found by review (issue 11): a queued caller handed to the
 * phone system by polling the offer, a late `ringing` that must not undo routing, a call the phone
 * system gives to an agent itself, and the team an inbound call is recorded under.
 */
// Tuesday 10 March 2026, 12:00 in London: the lines below are open (Mon-Fri 09:00-17:00).
const clock = testClock(new Date('2026-03-10T12:00:00Z'));
let t: TestApp;
let admin: ApiUser;
let token: string;
let settings: Awaited<ReturnType<typeof createSettings>>;

beforeAll(async () => {
  t = await createTestApp({ now: clock.now, env: { LEASE_SECONDS: '3600' } });
  admin = await apiUser(t.app, t.database, 'admin');
  token = (await admin.post('/api/phone-system-tokens', { name: 'Contract PBX' })).body.token;
  settings = await createSettings(t.database.db);
}, 60_000);

const kit = inboundKit(() => ({ t, admin, token }), {
  clock,
  numberPrefix: '020 7946 4',
  lineDefaults: { ringSeconds: 5 },
});
const { line, callRow, history } = kit;

async function send(path: string, body: unknown) {
  const res = await kit.request(path, body);
  return { status: res.statusCode, body: res.json<Record<string, any>>() };
}
const offerBody = (to: string) => ({ callId: `pbx-${uniqueSuffix()}`, from: '+44 7400 555999', to });
const offer = (body: { callId: string; from: string; to: string }) => send('/api/phone-system/calls', body);
const event = (body: { callId: string; type: string; agentId?: number }) =>
  send('/api/phone-system/calls/events', body);

/** Agents signed in under the inbound job role and Ready in one team, one minute apart (first: idle longest). */
const floor = (n: number) => kit.floor(n, { jobRoleId: settings.jobRoleId });

const takeBreak = (a: Agent) => a.call('POST', '/api/shift/break', { breakReasonId: settings.breakReasonId });

describe('B1: the same offer again answers the call’s current instruction (the phone system polls a queued caller)', () => {
  it('queued, then rung by a freed agent, then passed on by the sweep, then answered: each re-sent offer says so and writes nothing', async () => {
    const { agents, team } = await floor(2);
    const [a, b] = agents as [Agent, Agent];
    expect((await takeBreak(a)).status).toBe(200);
    expect((await takeBreak(b)).status).toBe(200);
    const l = await line([team.id]);
    const body = offerBody(l.number);
    const first = await offer(body);
    expect(first.body).toMatchObject({ action: 'queue', position: 1 });
    const id = first.body.inboundCallId as number;

    /** Re-sends the offer, and checks it wrote nothing. */
    async function poll() {
      const before = { row: await callRow(id), events: await history(id) };
      const res = await offer(body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(await callRow(id)).toEqual(before.row);
      expect(await history(id)).toEqual(before.events);
      return res.body;
    }

    expect(await poll()).toEqual({ inboundCallId: id, action: 'queue', position: 1 });
    // A comes back from break: the queued caller rings them at once (ringQueuedFor), and the next poll says so.
    expect((await a.call('POST', '/api/shift/resume')).status).toBe(200);
    expect(await poll()).toEqual({
      inboundCallId: id,
      action: 'ring',
      agentId: a.user.id,
      agentName: a.user.name,
      ringSeconds: 5,
      sipUri: null,
    });
    // B is free too; A lets it ring out: the sweep passes it to B, and the poll names B.
    expect((await b.call('POST', '/api/shift/resume')).status).toBe(200);
    clock.advance(6_000);
    await t.app.inbound.sweep();
    expect(await poll()).toMatchObject({ action: 'ring', agentId: b.user.id, agentName: b.user.name });
    // B answers in Engage: the poll names the agent who has the caller.
    expect((await b.call('POST', `/api/inbound/calls/${id}/answer`)).status).toBe(200);
    expect(await poll()).toMatchObject({ action: 'ring', agentId: b.user.id });
    // The stored offer_answer stays the offer's first answer.
    expect((await callRow(id)).offerAnswer).toEqual(first.body);
  });

  it('overflow after the longest wait is answered to the poll; an abandoned call answers 409 saying there is nothing to do', async () => {
    const l = await line([(await createTeam(t.database.db, [])).id], {
      maxWaitSeconds: 30,
      overflowAction: 'callback',
    });
    const body = offerBody(l.number);
    const q = await offer(body);
    expect(q.body).toMatchObject({ action: 'queue', position: 1 });
    clock.advance(31_000);
    await t.app.inbound.sweep();
    expect((await offer(body)).body).toEqual({
      inboundCallId: q.body.inboundCallId,
      action: 'overflow',
      then: 'callback',
    });

    const gone = offerBody(l.number);
    expect((await offer(gone)).body).toMatchObject({ action: 'queue' });
    expect((await event({ callId: gone.callId, type: 'abandoned' })).status).toBe(200);
    const again = await offer(gone);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/abandoned.*nothing more to do.*own id/);
  });
});

describe('B3: a late or repeated ringing does not undo routing', () => {
  it('ringing(A) after A’s time-out, while B is rung, records nothing: B stays rung, A stays free', async () => {
    const { agents, team } = await floor(2);
    const [a, b] = agents as [Agent, Agent];
    const l = await line([team.id]);
    const body = offerBody(l.number);
    const rung = await offer(body);
    expect(rung.body).toMatchObject({ action: 'ring', agentId: a.user.id });
    const id = rung.body.inboundCallId as number;
    clock.advance(6_000);
    await t.app.inbound.sweep();
    expect(await callRow(id)).toMatchObject({ status: 'ringing', ringingAgentId: b.user.id });
    const before = await history(id);

    const late = await event({ callId: body.callId, type: 'ringing', agentId: a.user.id });
    expect(late.status, JSON.stringify(late.body)).toBe(200);
    expect(late.body).toMatchObject({ recorded: false, status: 'ringing' });
    expect(await callRow(id)).toMatchObject({ status: 'ringing', ringingAgentId: b.user.id });
    expect(await history(id)).toEqual(before);
    expect((await b.shift()).body.incoming).toMatchObject({ inboundCallId: id });
    expect((await a.shift()).body).toMatchObject({ state: 'ready', incoming: null });
  });
});

describe('B5: a call the phone system gives to an agent itself', () => {
  it('answered by a free agent Engage did not ring: their inbound call starts as Answer starts it, and the agent Engage rang is freed', async () => {
    const { agents, team } = await floor(2);
    const [a, b] = agents as [Agent, Agent];
    const l = await line([team.id]);
    const body = offerBody(l.number);
    const rung = await offer(body);
    expect(rung.body).toMatchObject({ action: 'ring', agentId: a.user.id });
    const id = rung.body.inboundCallId as number;

    const res = await event({ callId: body.callId, type: 'answered', agentId: b.user.id });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ recorded: true, status: 'answered' });
    const row = await callRow(id);
    expect(row).toMatchObject({ status: 'answered', answeredBy: b.user.id, ringingAgentId: null });
    expect(row.callId).not.toBeNull();
    const [record] = await t.database.db.select().from(calls).where(eq(calls.id, row.callId!));
    expect(record).toMatchObject({ agentId: b.user.id, direction: 'inbound', teamId: team.id });
    expect((await b.shift()).body).toMatchObject({ state: 'on_call', call: { id: row.callId } });
    expect((await a.shift()).body).toMatchObject({ state: 'ready', incoming: null });

    // B is on that call now: another call handed to B is recorded as answered, and 409 says why.
    const second = offerBody(l.number);
    expect((await offer(second)).body).toMatchObject({ action: 'ring', agentId: a.user.id });
    const refused = await event({ callId: second.callId, type: 'answered', agentId: b.user.id });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/Recorded .* answered .* no call for them: they are on another call/);
    const secondRow = await t.database.db.select().from(inboundCalls).where(eq(inboundCalls.externalId, second.callId));
    expect(secondRow[0]).toMatchObject({ status: 'answered', answeredBy: b.user.id, callId: null });
    expect((await history(secondRow[0]!.id)).at(-1)).toEqual({ type: 'answered', agentId: b.user.id });
    expect((await a.shift()).body.incoming).toBeNull();
    // Sent again: already recorded, nothing more.
    expect((await event({ callId: second.callId, type: 'answered', agentId: b.user.id })).body).toMatchObject({
      recorded: false,
    });
  });

  it("answered by an agent in none of the line's teams: the call record keeps their shift's team, so their manager sees it", async () => {
    const { team } = await floor(1);
    const outsider = await floor(1);
    const [o] = outsider.agents as [Agent];
    const l = await line([team.id]);
    const body = offerBody(l.number);
    expect((await offer(body)).body).toMatchObject({ action: 'ring' });
    const res = await event({ callId: body.callId, type: 'answered', agentId: o.user.id });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [row] = await t.database.db.select().from(inboundCalls).where(eq(inboundCalls.externalId, body.callId));
    const [record] = await t.database.db.select().from(calls).where(eq(calls.id, row!.callId!));
    expect(record).toMatchObject({ agentId: o.user.id, direction: 'inbound', teamId: outsider.team.id });
  });

  it('answered by an agent with no shift: recorded, 409 naming why; nothing started', async () => {
    const { agents, team } = await floor(1);
    const [a] = agents as [Agent];
    const off = await signedIn(t.app, t.database);
    await t.database.db.execute(sql`insert into team_members (team_id, user_id) values (${team.id}, ${off.user.id})`);
    const l = await line([team.id]);
    const body = offerBody(l.number);
    expect((await offer(body)).body).toMatchObject({ action: 'ring', agentId: a.user.id });
    const res = await event({ callId: body.callId, type: 'answered', agentId: off.user.id });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/not signed into a shift/);
    expect((await t.database.db.select().from(calls).where(eq(calls.agentId, off.user.id))).length).toBe(0);
  });

  it('ringing an agent already rung for another call: 409 naming that call, never a 500, nothing written', async () => {
    const { agents, team } = await floor(1);
    const [a] = agents as [Agent];
    const l = await line([team.id]);
    const first = offerBody(l.number);
    expect((await offer(first)).body).toMatchObject({ action: 'ring', agentId: a.user.id });
    const second = offerBody(l.number);
    const queued = await offer(second);
    expect(queued.body).toMatchObject({ action: 'queue' });
    const before = await history(queued.body.inboundCallId as number);
    const res = await event({ callId: second.callId, type: 'ringing', agentId: a.user.id });
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body.message).toContain(`already ringing for call "${first.callId}"`);
    expect(await callRow(queued.body.inboundCallId as number)).toMatchObject({
      status: 'queued',
      ringingAgentId: null,
    });
    expect(await history(queued.body.inboundCallId as number)).toEqual(before);
  });
});

describe('B4: an inbound call is recorded under a team the agent shares with the line', () => {
  it("answered while Ready for another team's campaign: the line team's manager sees it in Calls, the other team's does not; a desk-phone call logged while only signed in too", async () => {
    const outboundLead = await apiUser(t.app, t.database, 'manager');
    const lineLead = await apiUser(t.app, t.database, 'manager');
    const agent = await signedIn(t.app, t.database);
    const deskAgent = await signedIn(t.app, t.database);
    // The outbound team is made first (lower id): the line's team must still be chosen.
    const outbound = await createTeam(t.database.db, [agent.user.id, deskAgent.user.id]);
    const lineTeam = await createTeam(t.database.db, [agent.user.id, deskAgent.user.id]);
    await t.database.db.execute(
      sql`insert into team_members (team_id, user_id, is_leader) values (${outbound.id}, ${outboundLead.user.id}, true), (${lineTeam.id}, ${lineLead.user.id}, true)`,
    );
    const campaign = await createCampaign(t.database, { teamIds: [outbound.id], lists: [{ donorIds: [] }] });
    expect((await agent.openShift(settings.jobRoleId)).status).toBe(201);
    expect((await agent.ready(outbound.id, campaign.id)).status).toBe(200);
    const l = await line([lineTeam.id]);

    const rung = await offer(offerBody(l.number));
    expect(rung.body).toMatchObject({ action: 'ring', agentId: agent.user.id });
    const answered = await agent.call('POST', `/api/inbound/calls/${rung.body.inboundCallId}/answer`);
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    const callId = answered.body.call.id as number;
    const [record] = await t.database.db.select().from(calls).where(eq(calls.id, callId));
    expect(record!.teamId).toBe(lineTeam.id);
    const ids = async (m: ApiUser): Promise<number[]> =>
      (await m.get<{ calls: { id: number }[] }>('/api/calls')).body.calls.map((c) => c.id);
    expect(await ids(lineLead)).toContain(callId);
    expect(await ids(outboundLead)).not.toContain(callId);

    // A desk-phone call logged while only signed in (no team chosen): the line's team all the same.
    expect((await deskAgent.openShift(settings.jobRoleId)).status).toBe(201);
    const logged = await deskAgent.call('POST', '/api/inbound/calls/log', { lineId: l.id, from: '+44 7400 555888' });
    expect(logged.status, JSON.stringify(logged.body)).toBe(201);
    const [desk] = await t.database.db.select().from(calls).where(eq(calls.id, logged.body.call.id));
    expect(desk!.teamId).toBe(lineTeam.id);
    expect(await ids(lineLead)).toContain(logged.body.call.id);
    expect(await ids(outboundLead)).not.toContain(logged.body.call.id);
  });
});
