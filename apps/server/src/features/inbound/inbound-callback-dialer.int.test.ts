import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiUser, type ApiUser } from '../../../test/admin-factories';
import { signedIn } from '../../../test/agent';
import { createTestApp, testClock, type TestApp } from '../../../test/app';
import { createCampaign, createDonors, createSettings, createTeam } from '../../../test/dialer-factories';
import { uniqueSuffix } from '../../../test/factories';
import { appointments, campaignDonors, campaigns } from '../../db/schema';
import { signPhoneSystemBody } from './phone-system-auth';

/**
 * A call-back a caller asks a closed line for is offered by the dialer: it is booked in the line's
 * "General enquiries" campaign (no lists: its donors are its lines' call-backs), which is active
 * and worked by the line's teams, and the donor is in its queue, so an agent of the line's team
 * Ready on it is offered the donor once the call-back is due; before then, Out of Data says why.
 * Its own database: no other test's call-backs are due in the shared campaign.
 */
// Tuesday 10 March 2026, 12:00 UTC; the line (Europe/London, Mon-Fri 09:00-17:00) closes at 17:00.
const NOON = new Date('2026-03-10T12:00:00Z');
const EVENING = new Date('2026-03-10T19:00:00Z');
const clock = testClock(NOON);
let t: TestApp;
let admin: ApiUser;
let token: string;
let s: Awaited<ReturnType<typeof createSettings>>;

beforeAll(async () => {
  t = await createTestApp({ now: clock.now, env: { LEASE_SECONDS: '3600' } });
  admin = await apiUser(t.app, t.database, 'admin');
  token = (await admin.post('/api/phone-system-tokens', { name: 'Callback dialer PBX' })).body.token;
  s = await createSettings(t.database.db);
}, 60_000);

async function offerCall(to: string, from: string) {
  const payload = JSON.stringify({ callId: `pbx-${uniqueSuffix()}`, from, to });
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
  return res.json<{ inboundCallId: number; action: string; then?: string }>();
}

const statusOf = async (campaignId: number) =>
  (await t.database.db.select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, campaignId)))[0]!
    .status;

describe("a call-back booked on a closed line's General enquiries campaign", () => {
  it('is offered by Next donor to an agent of the line’s team once due; before then Out of Data says it is waiting', async () => {
    const early = await signedIn(t.app, t.database);
    const team = await createTeam(t.database.db, [early.user.id]);
    const [donor] = await createDonors(t.database.db, [{ phone: '+442079465123' }]);
    const created = await admin.post<{ id: number; number: string; campaign: { id: number; name: string } }>(
      '/api/inbound/lines',
      {
        number: '020 7946 3777',
        country: 'GB',
        name: `Care ${uniqueSuffix()}`,
        timeZone: 'Europe/London',
        teamIds: [team.id],
        closedAction: 'callback',
      },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const line = created.body;
    expect(line.campaign.name).toBe('General enquiries');
    // A General enquiries campaign made a draft (before call-backs were offered) is made active when first needed.
    await t.database.db.update(campaigns).set({ status: 'draft' }).where(eq(campaigns.id, line.campaign.id));

    // The donor rings at 19:00, the line is closed: a call-back for when it opens, Wednesday 09:00 London.
    clock.set(EVENING);
    const answer = await offerCall(line.number, donor!.phone!.replace('+44', '0'));
    clock.set(NOON);
    expect(answer).toMatchObject({ action: 'closed', then: 'callback' });
    const [booked] = await t.database.db.select().from(appointments).where(eq(appointments.donorId, donor!.id));
    expect(booked).toMatchObject({ campaignId: line.campaign.id, status: 'scheduled' });
    const due = booked!.scheduledAt;
    expect(due.toISOString()).toBe('2026-03-11T09:00:00.000Z');
    expect(await statusOf(line.campaign.id)).toBe('active');
    // The donor is in the campaign's queue with the call-back, as the dialer's claim reads it.
    const [queued] = await t.database.db
      .select()
      .from(campaignDonors)
      .where(eq(campaignDonors.campaignId, line.campaign.id));
    expect(queued).toMatchObject({
      donorId: donor!.id,
      state: 'queued',
      appointmentId: booked!.id,
      nextAttemptAt: due,
    });

    // Tuesday noon: the campaign shows in the agent's campaigns, Ready is allowed, and nothing is due yet.
    const mine = (await early.call('GET', '/api/me/campaigns')).body as { campaignId: number }[];
    expect(mine.map((c) => c.campaignId)).toContain(line.campaign.id);
    expect((await early.openShift(s.jobRoleId)).status).toBe(201);
    const ready = await early.ready(team.id, line.campaign.id);
    expect(ready.status, JSON.stringify(ready.body)).toBe(200);
    const none = await early.next();
    expect(none.status, JSON.stringify(none.body)).toBe(200);
    expect(none.body).toMatchObject({
      status: 'out_of_data',
      campaign: { id: line.campaign.id },
      reasons: { total: 1, waitingRetry: 1 },
      nextAvailableAt: due.toISOString(),
    });
    expect(none.body.message).toBe(
      'No donor in "General enquiries" can be called right now. 1 donor is waiting for a retry or call-back time. More donors from 2026-03-11 09:00 UTC.',
    );

    // Wednesday 09:05: an agent of the team goes Ready on General enquiries; Next donor offers the caller.
    clock.set(new Date(due.getTime() + 5 * 60_000));
    const agent = await signedIn(t.app, t.database);
    await t.database.db.execute(
      sql`insert into team_members (team_id, user_id, is_leader) values (${team.id}, ${agent.user.id}, false)`,
    );
    expect((await agent.openShift(s.jobRoleId)).status).toBe(201);
    expect((await agent.ready(team.id, line.campaign.id)).status).toBe(200);
    const next = await agent.next();
    expect(next.status, JSON.stringify(next.body)).toBe(200);
    expect(next.body).toMatchObject({
      status: 'offered',
      offer: {
        donor: { id: donor!.id },
        campaign: { id: line.campaign.id, purpose: 'inbound_line' },
        appointment: { id: booked!.id, scheduledAt: due.toISOString() },
      },
    });
    clock.set(NOON);
  });

  it('a campaign of an inbound line is activated without lists; any other still needs one (campaignNeedsLists)', async () => {
    const team = await createTeam(t.database.db, []);
    const inbound = await createCampaign(t.database, { teamIds: [team.id], lists: [], status: 'paused' });
    await t.database.db.update(campaigns).set({ purpose: 'inbound_line' }).where(eq(campaigns.id, inbound.id));
    const resumed = await admin.patch(`/api/campaigns/${inbound.id}`, { status: 'active' });
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200);
    expect(resumed.body.status).toBe('active');

    const outbound = await createCampaign(t.database, { teamIds: [team.id], lists: [], status: 'paused' });
    const refused = await admin.patch(`/api/campaigns/${outbound.id}`, { status: 'active' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/has no donor list connected\. Connect a list, then activate it\./);
  });
});
