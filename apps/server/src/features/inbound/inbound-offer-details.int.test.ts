import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiUser, type ApiUser } from '../../../test/admin-factories';
import { signedIn } from '../../../test/agent';
import { createTestApp, testClock, type TestApp } from '../../../test/app';
import { createCampaign, createSettings, createTeam } from '../../../test/dialer-factories';
import { uniqueSuffix } from '../../../test/factories';
import { signedPhoneSystemRequest } from '../../../test/inbound-factories';
import { inboundCallEvents, inboundCalls } from '../../db/schema';
import { believedArrival } from './inbound.service';

/** The offer's arrival time and the ring instruction's "how to reach them" (issue 11, point 2). */
// Tuesday 10 March 2026, 12:00 in London: the lines below are open (Mon-Fri 09:00-17:00).
const clock = testClock(new Date('2026-03-10T12:00:00Z'));
let sip: TestApp;
let plain: TestApp;
let admin: ApiUser;
let token: string;
let settings: Awaited<ReturnType<typeof createSettings>>;

beforeAll(async () => {
  sip = await createTestApp({
    now: clock.now,
    env: {
      LEASE_SECONDS: '3600',
      TELEPHONY: 'sip',
      TELEPHONY_WS_URL: 'wss://sip.charity.example',
      TELEPHONY_SECRET: 'a-secret-of-sixteen-or-more',
    },
  });
  plain = await createTestApp({ database: sip.database, now: clock.now, env: { LEASE_SECONDS: '3600' } });
  admin = await apiUser(sip.app, sip.database, 'admin');
  token = (await admin.post('/api/phone-system-tokens', { name: 'Details PBX' })).body.token;
  settings = await createSettings(sip.database.db);
}, 60_000);

let seq = 100;
/** A line answered by one Ready agent (outbound campaign chosen, blended role). */
async function lineWithAgent() {
  const agent = await signedIn(sip.app, sip.database);
  const team = await createTeam(sip.database.db, [agent.user.id]);
  const campaign = await createCampaign(sip.database, { teamIds: [team.id], lists: [{ donorIds: [] }] });
  expect((await agent.openShift(settings.jobRoleId)).status).toBe(201);
  expect((await agent.ready(team.id, campaign.id)).status).toBe(200);
  const res = await admin.post<{ id: number; number: string }>('/api/inbound/lines', {
    number: `020 7946 5${String(seq++).padStart(3, '0')}`,
    country: 'GB',
    name: `Line ${uniqueSuffix()}`,
    timeZone: 'Europe/London',
    teamIds: [team.id],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { agent, line: res.body };
}

async function offer(app: TestApp, body: Record<string, unknown>) {
  const res = await signedPhoneSystemRequest(app, { token, path: '/api/phone-system/calls', body, at: clock.now() });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Record<string, any>>();
}

describe('the ring instruction says how to reach the agent', () => {
  it("with a SIP server: the agent's softphone address, on the first answer and when the offer is polled", async () => {
    const { agent, line } = await lineWithAgent();
    const body = { callId: `pbx-${uniqueSuffix()}`, from: '+44 7400 120900', to: line.number };
    const first = await offer(sip, body);
    expect(first).toMatchObject({
      action: 'ring',
      agentId: agent.user.id,
      sipUri: `sip:agent-${agent.user.id}@sip.charity.example`,
    });
    expect(await offer(sip, body)).toEqual(first);
  });

  it('without one: null (the phone system rings the agent as it knows them)', async () => {
    const { agent, line } = await lineWithAgent();
    const answer = await offer(plain, { callId: `pbx-${uniqueSuffix()}`, from: '+44 7400 120901', to: line.number });
    expect(answer).toMatchObject({ action: 'ring', agentId: agent.user.id, sipUri: null });
  });
});

describe("the offer's arrival time", () => {
  it("is the phone system's when believable: the wait counts from then", async () => {
    const { agent, line } = await lineWithAgent();
    const arrivedAt = new Date(clock.now().getTime() - 40_000);
    const answer = await offer(sip, {
      callId: `pbx-${uniqueSuffix()}`,
      from: '+44 7400 120902',
      to: line.number,
      arrivedAt: arrivedAt.toISOString(),
    });
    const [row] = await sip.database.db
      .select({ arrivedAt: inboundCalls.arrivedAt })
      .from(inboundCalls)
      .where(eq(inboundCalls.id, answer.inboundCallId));
    expect(row!.arrivedAt.toISOString()).toBe(arrivedAt.toISOString());
    const [queued] = await sip.database.db
      .select({ at: inboundCallEvents.at })
      .from(inboundCallEvents)
      .where(eq(inboundCallEvents.inboundCallId, answer.inboundCallId))
      .orderBy(inboundCallEvents.id)
      .limit(1);
    expect(queued!.at.toISOString()).toBe(arrivedAt.toISOString());
    expect((await agent.shift()).body.incoming).toMatchObject({ waitedSeconds: 40 });
  });

  it("is Engage's clock for a time in the future or older than the signature window", () => {
    const at = new Date('2026-03-10T12:00:00Z');
    expect(believedArrival(undefined, at)).toEqual(at);
    expect(believedArrival('2026-03-10T11:59:00Z', at)).toEqual(new Date('2026-03-10T11:59:00Z'));
    expect(believedArrival('2026-03-10T11:55:00Z', at)).toEqual(new Date('2026-03-10T11:55:00Z'));
    expect(believedArrival('2026-03-10T11:54:59Z', at)).toEqual(at);
    expect(believedArrival('2026-03-10T12:00:01Z', at)).toEqual(at);
    expect(believedArrival('2026-03-10T13:00:00+01:00', at)).toEqual(at);
  });
});
