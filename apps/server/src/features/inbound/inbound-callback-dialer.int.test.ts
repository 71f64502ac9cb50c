import { readFileSync } from 'node:fs';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiUser, type ApiUser } from '../../../test/admin-factories';
import { signedIn } from '../../../test/agent';
import { createTestApp, testClock, type TestApp } from '../../../test/app';
import { createCampaign, createDonors, createSettings, createTeam } from '../../../test/dialer-factories';
import { uniqueSuffix } from '../../../test/factories';
import { inboundKit } from '../../../test/inbound-factories';
import { appointments, campaignDonors, campaigns } from '../../db/schema';

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

const kit = inboundKit(() => ({ t, admin, token }), { clock, numberPrefix: '020 7946 5' });
const offerCall = (to: string, from: string) => kit.offer(to, { from });

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

describe('the migration 0030_inbound_callbacks_queued (call-backs booked before they were queued)', () => {
  it('queues the donor of each scheduled call-back of an inbound line campaign with no queue row, and activates a draft General enquiries with teams', async () => {
    const team = await createTeam(t.database.db, []);
    const [asked, finished, cancelled, blocked, outbound] = await createDonors(t.database.db, [
      { phone: '+442079465201' },
      { phone: '+442079465202' },
      { phone: '+442079465203' },
      { phone: '+442079465204', doNotCall: true },
      { phone: '+442079465205' },
    ]);
    const created = await admin.post<{ id: number; number: string; campaign: { id: number } }>('/api/inbound/lines', {
      number: '020 7946 3778',
      country: 'GB',
      name: `Old care ${uniqueSuffix()}`,
      timeZone: 'Europe/London',
      teamIds: [team.id],
      closedAction: 'callback',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const campaignId = created.body.campaign.id;
    // Four call-backs booked at 19:00 (closed), as before the fix: no queue row, the campaign a draft.
    clock.set(EVENING);
    for (const d of [asked, finished, cancelled, blocked]) {
      expect(await offerCall(created.body.number, d!.phone!.replace('+44', '0'))).toMatchObject({ then: 'callback' });
    }
    clock.set(NOON);
    const bookedFor = async (donorId: number) =>
      (
        await t.database.db
          .select()
          .from(appointments)
          .where(and(eq(appointments.donorId, donorId), eq(appointments.campaignId, campaignId)))
      )[0]!;
    const due = (await bookedFor(asked!.id)).scheduledAt;
    expect(due.toISOString()).toBe('2026-03-11T09:00:00.000Z');
    await t.database.db
      .update(appointments)
      .set({ status: 'cancelled' })
      .where(eq(appointments.donorId, cancelled!.id));
    await t.database.db
      .delete(campaignDonors)
      .where(and(eq(campaignDonors.campaignId, campaignId), sql`${campaignDonors.donorId} <> ${finished!.id}`));
    // One donor was already in the queue, finished there: the migration leaves that row alone.
    await t.database.db
      .update(campaignDonors)
      .set({ state: 'finished', finishReason: 'final', appointmentId: null })
      .where(and(eq(campaignDonors.campaignId, campaignId), eq(campaignDonors.donorId, finished!.id)));
    await t.database.db.update(campaigns).set({ status: 'draft' }).where(eq(campaigns.id, campaignId));
    // Not an inbound line's campaign: its call-backs are queued by its lists, never by this migration.
    const other = await createCampaign(t.database, { teamIds: [team.id], lists: [], status: 'draft' });
    await t.database.db.insert(appointments).values({
      donorId: outbound!.id,
      campaignId: other.id,
      scheduledAt: due,
      createdAt: NOON,
      updatedAt: NOON,
    });
    // A General enquiries draft no call-back gave teams stays a draft.
    const teamless = await createCampaign(t.database, { teamIds: [], lists: [], status: 'draft' });
    await t.database.db.update(campaigns).set({ purpose: 'inbound_line' }).where(eq(campaigns.id, teamless.id));

    const migration = readFileSync(
      new URL('../../db/migrations/0030_inbound_callbacks_queued.sql', import.meta.url),
      'utf8',
    );
    await t.database.pool.query(migration);

    const mine = [asked, finished, cancelled, blocked].map((d) => d!.id);
    const queueOfMine = () =>
      t.database.db
        .select()
        .from(campaignDonors)
        .where(and(eq(campaignDonors.campaignId, campaignId), inArray(campaignDonors.donorId, mine)))
        .orderBy(campaignDonors.donorId);
    const queue = await queueOfMine();
    expect(queue.map((r) => r.donorId)).toEqual([asked!.id, finished!.id, blocked!.id]);
    expect(queue.find((r) => r.donorId === asked!.id)).toMatchObject({
      state: 'queued',
      priority: 100,
      attempts: 0,
      nextAttemptAt: due,
      appointmentId: (await bookedFor(asked!.id)).id,
      appointmentOwnerId: null,
      timeZone: 'Europe/London',
      blocked: false,
    });
    expect(queue.find((r) => r.donorId === blocked!.id)).toMatchObject({ state: 'queued', blocked: true });
    expect(queue.find((r) => r.donorId === finished!.id)).toMatchObject({ state: 'finished', appointmentId: null });
    expect(await t.database.db.select().from(campaignDonors).where(eq(campaignDonors.campaignId, other.id))).toEqual(
      [],
    );
    expect(await statusOf(campaignId)).toBe('active');
    expect(await statusOf(other.id)).toBe('draft');
    expect(await statusOf(teamless.id)).toBe('draft');

    // Run again (as on a database migrated twice by hand): nothing more changes.
    await t.database.pool.query(migration);
    expect(await queueOfMine()).toEqual(queue);

    // Once due, an agent of the line's team Ready on it is offered the caller (the first test's caller,
    // due at the same time, is still held by that test's agent).
    clock.set(new Date(due.getTime() + 60_000));
    const agent = await signedIn(t.app, t.database);
    await t.database.db.execute(
      sql`insert into team_members (team_id, user_id, is_leader) values (${team.id}, ${agent.user.id}, false)`,
    );
    expect((await agent.openShift(s.jobRoleId)).status).toBe(201);
    expect((await agent.ready(team.id, campaignId)).status).toBe(200);
    const next = await agent.next();
    expect(next.body).toMatchObject({ status: 'offered', offer: { donor: { id: asked!.id } } });
    clock.set(NOON);
  });
});
