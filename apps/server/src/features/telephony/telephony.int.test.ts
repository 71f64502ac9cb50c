import { createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedIn, type Agent } from '../../../test/agent';
import { createTestApp, testClock, type TestApp } from '../../../test/app';
import { createCampaign, createDonors, createSettings, createTeam } from '../../../test/dialer-factories';
import { calls } from '../../db/schema';

const SECRET = 'a-secret-shared-with-kamailio-0123456789';
const clock = testClock(new Date('2026-03-10T12:00:00Z'));
let sip: TestApp;
let none: TestApp;
let settings: Awaited<ReturnType<typeof createSettings>>;

beforeAll(async () => {
  sip = await createTestApp({
    now: clock.now,
    env: {
      TELEPHONY: 'sip',
      TELEPHONY_WS_URL: 'wss://sip.charity.example:8443',
      TELEPHONY_SECRET: SECRET,
      TELEPHONY_CREDENTIAL_TTL_SECONDS: '900',
      TELEPHONY_ICE_SERVERS: '[{"urls":"stun:stun.charity.example:3478"}]',
    },
  });
  none = await createTestApp({ database: sip.database, now: clock.now });
  settings = await createSettings(sip.database.db);
});

/** An agent on an outbound call (Start Call) to a fresh donor. */
async function agentOnCall(app: TestApp = sip): Promise<{ agent: Agent; callId: number }> {
  const agent = await signedIn(app.app, app.database);
  const team = await createTeam(app.database.db, [agent.user.id]);
  const [donor] = await createDonors(app.database.db, [{}]);
  const camp = await createCampaign(app.database, { teamIds: [team.id], lists: [{ donorIds: [donor!.id] }] });
  expect((await agent.openShift(settings.jobRoleId)).status).toBe(201);
  expect((await agent.ready(team.id, camp.id)).status).toBe(200);
  const next = await agent.next();
  expect(next.body.status).toBe('offered');
  const started = await agent.start(next.body.offer.id);
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  return { agent, callId: started.body.call.id };
}

const signal = (agent: Agent, callId: number, body: object) => agent.call('POST', `/api/calls/${callId}/signals`, body);

describe('getTelephony: which phone system the screens use', () => {
  it('says sip with the WebSocket URL and the SIP domain (the URL host unless set), or none', async () => {
    const agent = await signedIn(sip.app, sip.database);
    expect((await agent.call('GET', '/api/telephony')).body).toEqual({
      mode: 'sip',
      wsUrl: 'wss://sip.charity.example:8443',
      sipDomain: 'sip.charity.example',
    });
    const other = await signedIn(none.app, none.database);
    expect((await other.call('GET', '/api/telephony')).body).toEqual({ mode: 'none' });
  });

  it("lets the page connect to the SIP server's WebSocket (Content-Security-Policy), and nowhere else", async () => {
    const csp = async (app: TestApp) =>
      String((await app.app.inject({ method: 'GET', url: '/api/health' })).headers['content-security-policy']);
    expect(await csp(sip)).toContain("connect-src 'self' wss://sip.charity.example:8443;");
    expect(await csp(none)).toContain("connect-src 'self';");
  });

  it('is for signed-in users only', async () => {
    expect((await sip.app.inject({ method: 'GET', url: '/api/telephony' })).statusCode).toBe(401);
  });
});

describe('createSoftphoneCredentials: short-lived, per agent, only during a shift', () => {
  it('issues HMAC-SHA256 ephemeral credentials for sip:agent-<id>, good for the TTL, never cached', async () => {
    const agent = await signedIn(sip.app, sip.database);
    const refused = await agent.call('POST', '/api/telephony/credentials');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'no_open_shift', message: expect.stringMatching(/Sign in to a shift/) });

    expect((await agent.openShift(settings.jobRoleId)).status).toBe(201);
    const res = await sip.app.inject({
      method: 'POST',
      url: '/api/telephony/credentials',
      headers: { cookie: agent.cookie },
      payload: {},
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const creds = res.json();
    const expiry = Math.floor(clock.now().getTime() / 1000) + 900;
    expect(creds).toEqual({
      wsUrl: 'wss://sip.charity.example:8443',
      sipUri: `sip:agent-${agent.user.id}@sip.charity.example`,
      authorizationUser: `${expiry}:agent-${agent.user.id}`,
      password: createHmac('sha256', SECRET).update(`${expiry}:agent-${agent.user.id}`).digest('base64'),
      expiresAt: new Date(expiry * 1000).toISOString(),
      iceServers: [{ urls: 'stun:stun.charity.example:3478' }],
    });
  });

  it('issues nothing with no phone system, and says what to do instead', async () => {
    const agent = await signedIn(none.app, none.database);
    expect((await agent.openShift(settings.jobRoleId)).status).toBe(201);
    const res = await agent.call('POST', '/api/telephony/credentials');
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'telephony_off', message: expect.stringMatching(/tel: link/) });
  });
});

describe('recordCallSignal: what the softphone saw becomes the call record', () => {
  it('records dialled, answered and the donor hanging up, with talk seconds from the server clock', async () => {
    const { agent, callId } = await agentOnCall();
    expect((await signal(agent, callId, { type: 'dialled' })).body).toMatchObject({
      answeredAt: null,
      talkSeconds: null,
    });
    clock.advance(4_000);
    const answered = await signal(agent, callId, { type: 'answered' });
    expect(answered.status).toBe(200);
    clock.advance(3_000);
    const ended = await signal(agent, callId, { type: 'ended', originator: 'remote', cause: 'Terminated' });
    expect(ended.body).toMatchObject({ talkSeconds: 3, hangupSide: 'donor', hangupCause: 'normal', sipStatus: null });
    expect(Date.parse(ended.body.answeredAt) - Date.parse(ended.body.dialledAt)).toBe(4_000);

    // The same signal again, or a late one, changes nothing.
    clock.advance(5_000);
    const again = await signal(agent, callId, { type: 'ended', originator: 'local', cause: 'Terminated' });
    expect(again.body).toEqual(ended.body);
    expect((await signal(agent, callId, { type: 'answered' })).body).toEqual(ended.body);
    const [row] = await sip.database.db.select().from(calls).where(eq(calls.id, callId));
    expect(row).toMatchObject({ hangupSide: 'donor', hangupCause: 'normal' });
    expect(row!.hungUpAt!.getTime() - row!.answeredAt!.getTime()).toBe(3_000);
  });

  it('records busy and no answer from the SIP status of a call never answered', async () => {
    const busy = await agentOnCall();
    await signal(busy.agent, busy.callId, { type: 'dialled' });
    expect(
      (await signal(busy.agent, busy.callId, { type: 'ended', statusCode: 486, originator: 'remote', cause: 'Busy' }))
        .body,
    ).toMatchObject({ answeredAt: null, talkSeconds: null, hangupSide: 'donor', hangupCause: 'busy', sipStatus: 486 });

    const unanswered = await agentOnCall();
    await signal(unanswered.agent, unanswered.callId, { type: 'dialled' });
    expect(
      (
        await signal(unanswered.agent, unanswered.callId, {
          type: 'ended',
          statusCode: 408,
          originator: 'remote',
          cause: 'Unavailable',
        })
      ).body,
    ).toMatchObject({ hangupCause: 'no_answer', sipStatus: 408 });
  });

  it('counts a hang-up reported after End Call from End Call, so talk time cannot be stretched', async () => {
    const { agent, callId } = await agentOnCall();
    await signal(agent, callId, { type: 'dialled' });
    await signal(agent, callId, { type: 'answered' });
    clock.advance(10_000);
    const ended = await agent.end(callId, { endReasonId: settings.end.final });
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    clock.advance(30_000);
    const late = await signal(agent, callId, { type: 'ended', originator: 'local', cause: 'Terminated' });
    expect(late.body).toMatchObject({ talkSeconds: 10, hangupSide: 'agent', hangupCause: 'normal' });
  });

  it('refuses reports more than a minute after End Call (they could only rewrite history)', async () => {
    const { agent, callId } = await agentOnCall();
    expect((await agent.end(callId, { endReasonId: settings.end.final })).status).toBe(200);
    clock.advance(61_000);
    const res = await signal(agent, callId, { type: 'ended', statusCode: 486, originator: 'remote', cause: 'Busy' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'call_already_ended',
      message: expect.stringMatching(/more than 60 s ago/),
    });
    const [row] = await sip.database.db.select().from(calls).where(eq(calls.id, callId));
    expect(row).toMatchObject({ hungUpAt: null, hangupCause: null });
  });

  it("refuses another agent's call, and any call with no phone system", async () => {
    const { callId } = await agentOnCall();
    const other = await signedIn(sip.app, sip.database);
    const res = await signal(other, callId, { type: 'answered' });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('call_not_found');

    const offline = await signedIn(none.app, none.database);
    expect((await signal(offline, callId, { type: 'answered' })).body.code).toBe('telephony_off');
    const [row] = await sip.database.db.select().from(calls).where(eq(calls.id, callId));
    expect(row).toMatchObject({ answeredAt: null, dialledAt: null, hungUpAt: null });
  });

  it('refuses a signal it does not know (400), writing nothing', async () => {
    const { agent, callId } = await agentOnCall();
    const res = await signal(agent, callId, { type: 'picked_up' });
    expect(res.status).toBe(400);
    const bad = await signal(agent, callId, { type: 'ended', statusCode: 42 });
    expect(bad.status).toBe(400);
    const [row] = await sip.database.db.select().from(calls).where(eq(calls.id, callId));
    expect(row).toMatchObject({ dialledAt: null, hungUpAt: null });
  });
});
