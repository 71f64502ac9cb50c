import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, testClock, type TestApp } from '../../../test/app';
import { signedIn, type Agent } from '../../../test/agent';
import {
  createCampaign,
  createDonors,
  createSettings,
  createTeam,
  setCampaignStatus,
  setLegalWindow,
} from '../../../test/dialer-factories';

const clock = testClock(new Date('2026-06-10T12:00:00Z'));
let t: TestApp;
let s: Awaited<ReturnType<typeof createSettings>>;

beforeAll(async () => {
  t = await createTestApp({
    now: clock.now,
    env: { LEASE_SECONDS: '45', SESSION_IDLE_MINUTES: '1000000', SESSION_ABSOLUTE_HOURS: '100000' },
  });
  s = await createSettings(t.database.db);
});

async function queueRow(campaignId: number, donorId: number) {
  const r = await t.database.db.execute(
    sql`select state, finish_reason, attempts, next_attempt_at, held_by_shift_id, hold_expires_at, blocked, appointment_id
        from campaign_donors where campaign_id = ${campaignId} and donor_id = ${donorId}`,
  );
  return r.rows[0] as {
    state: string;
    finish_reason: string | null;
    attempts: number;
    next_attempt_at: Date;
    blocked: boolean;
    appointment_id: number | null;
  };
}

/** An agent in a fresh team working a fresh campaign of `n` donors, ready for calls. */
async function setup(n: number, opts: Parameters<typeof createCampaign>[1] extends infer O ? Partial<O> : never = {}) {
  const agent = await signedIn(t.app, t.database);
  const team = await createTeam(t.database.db, [agent.user.id]);
  const donors = await createDonors(
    t.database.db,
    Array.from({ length: n }, () => ({})),
  );
  const campaign = await createCampaign(t.database, {
    teamIds: [team.id],
    lists: [{ donorIds: donors.map((d) => d.id) }],
    ...opts,
  });
  expect((await agent.openShift(s.jobRoleId)).status).toBe(201);
  expect((await agent.ready(team.id, campaign.id)).status).toBe(200);
  return { agent, team, campaign, donors };
}

async function offerAndStart(agent: Agent) {
  const next = await agent.next();
  expect(next.status).toBe(200);
  expect(next.body.status).toBe('offered');
  const started = await agent.start(next.body.offer.id);
  expect(started.status).toBe(200);
  return { offer: next.body.offer, call: started.body.call };
}

describe('the shift, step by step', () => {
  it('Sign In, Ready for Call, a donor, Start Call, End Call, break, resume, Sign Out', async () => {
    const agent = await signedIn(t.app, t.database);
    const team = await createTeam(t.database.db, [agent.user.id]);
    const donors = await createDonors(t.database.db, [{ firstName: 'Siobhán' }, {}]);
    const campaign = await createCampaign(t.database, {
      teamIds: [team.id],
      lists: [{ donorIds: donors.map((d) => d.id) }],
      purpose: 'thank_you',
    });

    expect((await agent.shift()).body).toBeNull();
    const opened = await agent.openShift(s.jobRoleId);
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ state: 'signed_in', team: null, campaign: null, offer: null, call: null });

    const again = await agent.openShift(s.jobRoleId);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('shift_already_open');

    const mine = await agent.call('GET', '/api/me/campaigns');
    expect(mine.body).toEqual([
      expect.objectContaining({ teamId: team.id, campaignId: campaign.id, campaignName: campaign.name }),
    ]);

    const ready = await agent.ready(team.id, campaign.id);
    expect(ready.body).toMatchObject({ state: 'ready', team: { id: team.id }, campaign: { id: campaign.id } });

    const next = await agent.next();
    expect(next.body.status).toBe('offered');
    const offer = next.body.offer;
    expect(offer.donor).toEqual({
      id: donors[0]!.id,
      name: `Siobhán ${donors[0]!.lastName}`,
      reference: donors[0]!.reference,
      phone: donors[0]!.phone,
      timeZone: 'Europe/London',
      country: null,
    });
    expect(offer).toMatchObject({ attempts: 0, maxAttempts: 5, lastContact: null, appointment: null });
    expect(new Date(offer.expiresAt).getTime()).toBe(clock.now().getTime() + 300_000);
    expect((await agent.shift()).body).toMatchObject({ state: 'previewing', offer: { id: offer.id } });

    const started = await agent.start(offer.id);
    expect(started.body.call).toMatchObject({
      donorId: donors[0]!.id,
      campaignId: campaign.id,
      endedAt: null,
      direction: 'outbound',
    });
    expect((await agent.shift()).body).toMatchObject({ state: 'on_call', call: { id: started.body.call.id } });
    expect(await queueRow(campaign.id, donors[0]!.id)).toMatchObject({ attempts: 1 });

    clock.advance(95_000);
    const ended = await agent.end(started.body.call.id, { endReasonId: s.end.final, notes: 'Thanked her' });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({
      durationSeconds: 95,
      notes: 'Thanked her',
      endReason: { id: s.end.final, outcome: 'final' },
    });
    expect((await agent.shift()).body.state).toBe('ready');
    expect(await queueRow(campaign.id, donors[0]!.id)).toMatchObject({ state: 'finished', finish_reason: 'final' });

    const onBreak = await agent.call('POST', '/api/shift/break', { breakReasonId: s.breakReasonId });
    expect(onBreak.body).toMatchObject({ state: 'on_break', breakReason: { id: s.breakReasonId } });
    const resumed = await agent.call('POST', '/api/shift/resume');
    expect(resumed.body).toMatchObject({ state: 'ready', breakReason: null, campaign: { id: campaign.id } });

    const calls = await agent.call('GET', '/api/me/calls?scope=shift');
    expect(calls.body).toHaveLength(1);
    expect(calls.body[0]).toMatchObject({ donorReference: donors[0]!.reference, endReason: { outcome: 'final' } });

    expect((await agent.call('POST', '/api/shift/close')).status).toBe(204);
    expect((await agent.shift()).body).toBeNull();
    expect((await agent.next()).body.code).toBe('no_open_shift');
  });
});

describe('a phone system that sends no body', () => {
  it('asks for the next donor, starts the call, resumes and signs out with no body, or an empty JSON one', async () => {
    const { agent, team, campaign } = await setup(1);
    /** `curl -X POST` with no body at all, or with `Content-Type: application/json` and nothing after it. */
    const post = async (url: string, json: boolean) => {
      const res = await t.app.inject({
        method: 'POST',
        url,
        headers: { cookie: agent.cookie, ...(json ? { 'content-type': 'application/json' } : {}) },
      });
      return { status: res.statusCode, body: res.body ? res.json() : undefined };
    };

    const next = await post('/api/shift/next', false);
    expect(next).toMatchObject({ status: 200, body: { status: 'offered' } });
    const started = await post(`/api/offers/${next.body.offer.id}/start`, true);
    expect(started).toMatchObject({ status: 200, body: { call: { campaignId: campaign.id } } });
    expect(await post('/api/shift/heartbeat', false)).toEqual({ status: 204, body: undefined });
    expect((await agent.end(started.body.call.id, { endReasonId: s.end.final })).status).toBe(200);
    expect((await agent.call('POST', '/api/shift/break', { breakReasonId: s.breakReasonId })).status).toBe(200);
    expect(await post('/api/shift/resume', true)).toMatchObject({
      status: 200,
      body: { state: 'ready', team: { id: team.id } },
    });
    expect(await post('/api/shift/close', false)).toEqual({ status: 204, body: undefined });
    expect((await agent.shift()).body).toBeNull();
  });

  it('an operation that needs a body still says which fields are missing', async () => {
    const agent = await signedIn(t.app, t.database);
    for (const json of [false, true]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/shift',
        headers: { cookie: agent.cookie, ...(json ? { 'content-type': 'application/json' } : {}) },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'validation_failed', issues: [{ path: 'body' }] });
    }
  });
});

describe('more transitions', () => {
  it('Take Break and Sign Out while a donor is on screen give the donor back, with no attempt counted', async () => {
    const { agent, campaign, donors } = await setup(1);
    const offered = await agent.next();
    const onBreak = await agent.call('POST', '/api/shift/break', { breakReasonId: s.breakReasonId });
    expect(onBreak.body).toMatchObject({ state: 'on_break', offer: null });
    expect(await queueRow(campaign.id, donors[0]!.id)).toMatchObject({ attempts: 0, held_by_shift_id: null });
    const late = await agent.start(offered.body.offer.id);
    expect(late.body.code).toBe('offer_expired');

    await agent.call('POST', '/api/shift/resume');
    const again = await agent.next();
    expect(again.body.offer.donor.id).toBe(donors[0]!.id);
    expect((await agent.call('POST', '/api/shift/close')).status).toBe(204);
    expect(await queueRow(campaign.id, donors[0]!.id)).toMatchObject({ attempts: 0, held_by_shift_id: null });
    const held = await t.database.db.execute(
      sql`select count(*)::int as n from donor_holds where donor_id = ${donors[0]!.id}`,
    );
    expect(held.rows[0]).toEqual({ n: 0 });
  });

  it('Out of Data, then another campaign: Ready again and a donor from it', async () => {
    const { agent, team } = await setup(0);
    const out = await agent.next();
    expect(out.body).toMatchObject({ status: 'out_of_data', reasons: { total: 0 } });
    expect(out.body.message).toMatch(/no donors yet/);
    const [d] = await createDonors(t.database.db, [{}]);
    const other = await createCampaign(t.database, { teamIds: [team.id], lists: [{ donorIds: [d!.id] }] });
    expect((await agent.ready(team.id, other.id)).body.state).toBe('ready');
    expect((await agent.next()).body.offer.donor.id).toBe(d!.id);
  });

  it('a break before choosing a campaign resumes to signed in', async () => {
    const agent = await signedIn(t.app, t.database);
    await agent.openShift(s.jobRoleId);
    await agent.call('POST', '/api/shift/break', { breakReasonId: s.breakReasonId });
    expect((await agent.call('POST', '/api/shift/resume')).body.state).toBe('signed_in');
  });

  it('a reload on a call gets the call and the offer it came from (script, why)', async () => {
    const { agent } = await setup(1);
    const { offer, call } = await offerAndStart(agent);
    const shift = await agent.shift();
    expect(shift.body).toMatchObject({
      state: 'on_call',
      call: { id: call.id },
      offer: { id: offer.id, why: offer.why },
    });
  });
});

describe('refusals, each with its code', () => {
  it('Ready with a team the agent is not in, a campaign the team does not work, or one not active', async () => {
    const { agent, team, campaign } = await setup(1);
    const otherTeam = await createTeam(t.database.db, []);
    const notMine = await agent.ready(otherTeam.id, campaign.id);
    expect(notMine.status).toBe(403);
    expect(notMine.body.code).toBe('not_team_member');

    const otherCampaign = await createCampaign(t.database, { teamIds: [otherTeam.id], lists: [{ donorIds: [] }] });
    const notWorked = await agent.ready(team.id, otherCampaign.id);
    expect(notWorked.status).toBe(409);
    expect(notWorked.body.code).toBe('campaign_not_worked_by_team');

    const paused = await createCampaign(t.database, {
      teamIds: [team.id],
      lists: [{ donorIds: [] }],
      status: 'paused',
    });
    expect((await agent.ready(team.id, paused.id)).body.code).toBe('campaign_not_active');
    const past = await createCampaign(t.database, {
      teamIds: [team.id],
      lists: [{ donorIds: [] }],
      startsOn: '2025-01-01',
      endsOn: '2025-12-31',
    });
    const outOfDates = await agent.ready(team.id, past.id);
    expect(outOfDates.body.code).toBe('campaign_not_active');
    expect(outOfDates.body.message).toMatch(/2025-12-31/);
    const noLists = await createCampaign(t.database, { teamIds: [team.id], lists: [] });
    expect((await agent.ready(team.id, noLists.id)).body.code).toBe('campaign_not_active');

    // A campaign paused during the shift stops the next donor, with a clear message.
    await setCampaignStatus(t.database.db, campaign.id, 'paused');
    const next = await agent.next();
    expect(next.status).toBe(409);
    expect(next.body).toMatchObject({ code: 'campaign_not_active' });
    expect(next.body.message).toMatch(/paused.*Choose another campaign/);
  });

  it("another team's campaign or team answers exactly as one that does not exist, and names nothing", async () => {
    const { agent, team, campaign } = await setup(1);
    const otherTeam = await createTeam(t.database.db, []);
    const [d] = await createDonors(t.database.db, [{}]);
    const theirs = await createCampaign(t.database, { teamIds: [otherTeam.id], lists: [{ donorIds: [d!.id] }] });
    const missingTeam = otherTeam.id + 1_000_000;
    const missingCampaign = theirs.id + 1_000_000;
    const answer = (r: { status: number; body: { code: string; message: string } }) => ({
      status: r.status,
      code: r.body.code,
      message: r.body.message,
    });

    // My team, a campaign it does not work: as a campaign that does not exist.
    const theirCampaign = answer(await agent.ready(team.id, theirs.id));
    expect(theirCampaign).toEqual(answer(await agent.ready(team.id, missingCampaign)));
    expect(theirCampaign.code).toBe('campaign_not_worked_by_team');
    // A team I am not in: the same answer whatever the campaign, and as a team that does not exist.
    const theirTeam = answer(await agent.ready(otherTeam.id, theirs.id));
    for (const [teamId, campaignId] of [
      [otherTeam.id, campaign.id],
      [otherTeam.id, missingCampaign],
      [missingTeam, theirs.id],
      [missingTeam, missingCampaign],
    ] as const) {
      expect(answer(await agent.ready(teamId, campaignId))).toEqual(theirTeam);
    }
    expect(theirTeam.code).toBe('not_team_member');
    for (const a of [theirCampaign, theirTeam]) {
      expect(a.message).not.toContain(theirs.name);
      expect(a.message).not.toContain(otherTeam.name);
      expect(a.message).not.toContain(team.name);
    }
    const mine = await agent.call('GET', '/api/me/campaigns');
    expect(JSON.stringify(mine.body)).not.toContain(theirs.name);
    // Nothing changed: the shift still works its own campaign.
    expect((await agent.shift()).body).toMatchObject({ state: 'ready', campaign: { id: campaign.id } });
  });

  it('next donor before Ready, while holding an offer, on a call, or on a break', async () => {
    const agent = await signedIn(t.app, t.database);
    expect((await agent.next()).body.code).toBe('no_open_shift');
    await agent.openShift(s.jobRoleId);
    expect((await agent.next()).body.code).toBe('not_ready');

    const team = await createTeam(t.database.db, [agent.user.id]);
    const donors = await createDonors(t.database.db, [{}, {}, {}]);
    const campaign = await createCampaign(t.database, {
      teamIds: [team.id],
      lists: [{ donorIds: donors.map((d) => d.id) }],
    });
    await agent.ready(team.id, campaign.id);
    const offered = await agent.next();
    expect((await agent.next()).body.code).toBe('offer_pending');
    expect((await agent.ready(team.id, campaign.id)).body.code).toBe('offer_pending');
    const started = await agent.start(offered.body.offer.id);
    expect((await agent.next()).body.code).toBe('call_open');
    expect((await agent.call('POST', '/api/shift/break', { breakReasonId: s.breakReasonId })).body.code).toBe(
      'call_open',
    );
    const signOut = await agent.call('POST', '/api/shift/close');
    expect(signOut.status).toBe(409);
    expect(signOut.body).toMatchObject({ code: 'call_open' });
    expect(signOut.body.message).toMatch(/End Call/);
    await agent.end(started.body.call.id, { endReasonId: s.end.final });
    expect((await agent.call('POST', '/api/shift/resume')).body.code).toBe('not_on_break');
    await agent.call('POST', '/api/shift/break', { breakReasonId: s.breakReasonId });
    expect((await agent.next()).body.code).toBe('on_break');
    expect((await agent.call('POST', '/api/shift/break', { breakReasonId: s.breakReasonId })).body.code).toBe(
      'on_break',
    );
  });

  it("acting on another agent's offer or call", async () => {
    const { agent, team, campaign } = await setup(3);
    const other = await signedIn(t.app, t.database);
    await t.database.db.execute(sql`insert into team_members (team_id, user_id) values (${team.id}, ${other.user.id})`);
    await other.openShift(s.jobRoleId);
    await other.ready(team.id, campaign.id);

    const mine = await agent.next();
    const theirs = await other.next();
    expect(theirs.body.offer.donor.id).not.toBe(mine.body.offer.donor.id);
    // Another agent's offer or call answers exactly as one that does not exist.
    const answer = (r: { status: number; body: { code: string; message: string } }) => ({
      status: r.status,
      code: r.body.code,
      message: r.body.message,
    });
    const noOffer = answer(await agent.start(999_999));
    expect(noOffer).toMatchObject({ status: 404, code: 'offer_not_found' });
    expect(answer(await agent.start(theirs.body.offer.id))).toEqual(noOffer);
    expect(answer(await agent.skip(theirs.body.offer.id, s.skip.requeue))).toEqual(noOffer);
    const { call } = { call: (await other.start(theirs.body.offer.id)).body.call };
    const noCall = answer(await agent.end(999_999, { endReasonId: s.end.final }));
    expect(noCall).toMatchObject({ status: 404, code: 'call_not_found' });
    expect(answer(await agent.end(call.id, { endReasonId: s.end.final }))).toEqual(noCall);
    expect((await agent.call('GET', `/api/donors/${theirs.body.offer.donor.id}`)).status).toBe(200); // same campaign: reachable
    // The other agent's call is untouched.
    expect((await other.shift()).body).toMatchObject({ state: 'on_call', call: { id: call.id, endedAt: null } });
  });

  it('a retired reason is refused', async () => {
    const { agent } = await setup(1);
    const next = await agent.next();
    await t.database.db.execute(sql`update skip_reasons set retired_at = now() where id = ${s.skip.remove}`);
    const res = await agent.skip(next.body.offer.id, s.skip.remove);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('reason_not_available');
    await t.database.db.execute(sql`update skip_reasons set retired_at = null where id = ${s.skip.remove}`);
  });
});

describe('outcomes of skip and end reasons', () => {
  it('skip requeue: the donor goes to the back of the queue; skip remove: never offered again', async () => {
    const { agent, campaign, donors } = await setup(3);
    const first = await agent.next();
    expect(first.body.offer.donor.id).toBe(donors[0]!.id);
    expect((await agent.skip(first.body.offer.id, s.skip.requeue, 'busy voice')).status).toBe(204);
    expect((await agent.shift()).body.state).toBe('ready');
    clock.advance(1000);
    const second = await agent.next();
    expect(second.body.offer.donor.id).toBe(donors[1]!.id);
    await agent.skip(second.body.offer.id, s.skip.remove);
    expect(await queueRow(campaign.id, donors[1]!.id)).toMatchObject({ state: 'finished', finish_reason: 'removed' });
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      const n = await agent.next();
      seen.push(n.body.offer.donor.id);
      await agent.skip(n.body.offer.id, s.skip.requeue);
      clock.advance(1000);
    }
    expect(seen).toEqual([donors[2]!.id, donors[0]!.id, donors[2]!.id, donors[0]!.id]);
    expect(await queueRow(campaign.id, donors[0]!.id)).toMatchObject({ attempts: 0 }); // a skip is not an attempt
  });

  it('retry after N minutes: not offered before its time, offered after', async () => {
    const { agent, campaign, donors } = await setup(1);
    const { call } = await offerAndStart(agent);
    await agent.end(call.id, { endReasonId: s.end.retry });
    const row = await queueRow(campaign.id, donors[0]!.id);
    expect(row).toMatchObject({ state: 'queued', attempts: 1 });
    expect(new Date(row.next_attempt_at).getTime()).toBe(clock.now().getTime() + 60 * 60_000);

    const early = await agent.next();
    expect(early.body.status).toBe('out_of_data');
    expect(early.body.reasons).toMatchObject({ total: 1, waitingRetry: 1 });
    expect(early.body.nextAvailableAt).toBe(new Date(row.next_attempt_at).toISOString());
    clock.advance(60 * 60_000);
    const later = await agent.next();
    expect(later.body.status).toBe('offered');
    expect(later.body.offer.attempts).toBe(1);
    expect(later.body.offer.lastContact).toMatchObject({ endReason: expect.stringMatching(/No answer/) });
  });

  it('maximum attempts: a donor is not offered once reached', async () => {
    const { agent } = await setup(1, { maxAttempts: 2 });
    for (let i = 0; i < 2; i++) {
      const { call } = await offerAndStart(agent);
      await agent.end(call.id, { endReasonId: s.end.retry });
      clock.advance(61 * 60_000);
    }
    const res = await agent.next();
    expect(res.body.status).toBe('out_of_data');
    expect(res.body.reasons).toMatchObject({ total: 1, maxAttempts: 1, waitingRetry: 0 });
    expect(res.body.nextAvailableAt).toBeNull();
    expect((await agent.shift()).body.state).toBe('out_of_data');
  });

  it('do not call: marks the donor everywhere, in the same transaction as the call record', async () => {
    const { agent, team, campaign, donors } = await setup(1);
    const other = await createCampaign(t.database, { teamIds: [team.id], lists: [{ donorIds: [donors[0]!.id] }] });
    const { call } = await offerAndStart(agent);
    await agent.end(call.id, { endReasonId: s.end.dnc, notes: 'Asked not to be called' });
    const flags = await t.database.db.execute(sql`select do_not_call from donors where id = ${donors[0]!.id}`);
    expect(flags.rows[0]).toEqual({ do_not_call: true });
    expect(await queueRow(campaign.id, donors[0]!.id)).toMatchObject({
      state: 'finished',
      finish_reason: 'do_not_call',
    });
    expect(await queueRow(other.id, donors[0]!.id)).toMatchObject({ state: 'queued', blocked: true });
    await agent.ready(team.id, other.id);
    const res = await agent.next();
    expect(res.body.status).toBe('out_of_data');
    expect(res.body.reasons.doNotCall).toBe(1);
  });

  it('deceased, do-not-call and phoneless donors are never offered', async () => {
    const agent = await signedIn(t.app, t.database);
    const team = await createTeam(t.database.db, [agent.user.id]);
    const donors = await createDonors(t.database.db, [{ deceased: true }, { doNotCall: true }, { phone: null }]);
    const campaign = await createCampaign(t.database, {
      teamIds: [team.id],
      lists: [{ donorIds: donors.map((d) => d.id) }],
    });
    await agent.openShift(s.jobRoleId);
    await agent.ready(team.id, campaign.id);
    const res = await agent.next();
    expect(res.body).toMatchObject({ status: 'out_of_data', reasons: { total: 3, doNotCall: 2, noPhone: 1 } });
  });

  it('a call-back booking needs a time inside the calling hours in the donor’s zone', async () => {
    const { agent, campaign, donors } = await setup(1, { hours: ['09:00', '21:00'] });
    const { call } = await offerAndStart(agent);
    const missing = await agent.end(call.id, { endReasonId: s.end.appointment });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('appointment_required');
    const late = await agent.end(call.id, {
      endReasonId: s.end.appointment,
      appointment: { scheduledAt: '2026-06-10T21:30:00Z', personal: true },
    });
    expect(late.body.code).toBe('appointment_not_allowed');
    expect(late.body.message).toMatch(/22:30 for the donor \(Europe\/London\).*between 09:00 and 21:00/);
    const past = await agent.end(call.id, {
      endReasonId: s.end.appointment,
      appointment: { scheduledAt: '2026-06-10T08:00:00Z' },
    });
    expect(past.body.code).toBe('appointment_not_allowed');
    const ok = await agent.end(call.id, {
      endReasonId: s.end.appointment,
      notes: 'Wants to talk to her husband first',
      appointment: { scheduledAt: '2026-06-11T09:00:00Z', personal: true, notes: 'Ring after 10 her time' },
    });
    expect(ok.status).toBe(200);
    expect(await queueRow(campaign.id, donors[0]!.id)).toMatchObject({
      state: 'queued',
      appointment_id: expect.any(Number),
    });
    const appts = await agent.call('GET', '/api/me/appointments');
    expect(appts.body[0]).toMatchObject({
      donorId: donors[0]!.id,
      status: 'scheduled',
      scheduledAt: '2026-06-11T09:00:00.000Z',
      ownerAgentId: agent.user.id,
    });
  });
});

describe('the order of the queue', () => {
  it('own due call-backs, then the campaign’s due call-backs, then list priority, fewest attempts, longest waiting', async () => {
    const agent = await signedIn(t.app, t.database);
    const colleague = await signedIn(t.app, t.database);
    const team = await createTeam(t.database.db, [agent.user.id, colleague.user.id]);
    const d = await createDonors(
      t.database.db,
      Array.from({ length: 6 }, () => ({})),
    );
    // List priority: d0 on the low-priority list, d1..d3 on the high-priority one.
    const campaign = await createCampaign(t.database, {
      teamIds: [team.id],
      lists: [
        { donorIds: [d[0]!.id], priority: 200 },
        { donorIds: [d[1]!.id, d[2]!.id, d[3]!.id, d[4]!.id, d[5]!.id], priority: 10 },
      ],
    });
    const base = clock.now().getTime();
    const set = (donor: number, fields: ReturnType<typeof sql>) =>
      t.database.db.execute(
        sql`update campaign_donors set ${fields} where campaign_id = ${campaign.id} and donor_id = ${donor}`,
      );
    // d1: waiting longest among 0 attempts; d2: 0 attempts, queued later; d3: 1 attempt.
    await set(d[1]!.id, sql`next_attempt_at = ${new Date(base - 3_600_000)}`);
    await set(d[2]!.id, sql`next_attempt_at = ${new Date(base - 60_000)}`);
    await set(d[3]!.id, sql`attempts = 1, next_attempt_at = ${new Date(base - 7_200_000)}`);
    // d4: a due call-back for anyone; d5: a due call-back that is the agent's own.
    await set(
      d[4]!.id,
      sql`appointment_id = 1, appointment_owner_id = null, next_attempt_at = ${new Date(base - 600_000)}`,
    );
    await set(
      d[5]!.id,
      sql`appointment_id = 2, appointment_owner_id = ${agent.user.id}, next_attempt_at = ${new Date(base - 60_000)}`,
    );

    await agent.openShift(s.jobRoleId);
    await agent.ready(team.id, campaign.id);
    const order: number[] = [];
    for (let i = 0; i < 6; i++) {
      const n = await agent.next();
      order.push(n.body.offer.donor.id);
      const started = await agent.start(n.body.offer.id);
      await agent.end(started.body.call.id, { endReasonId: s.end.final });
    }
    expect(order).toEqual([d[5]!.id, d[4]!.id, d[1]!.id, d[2]!.id, d[3]!.id, d[0]!.id]);
  });

  it('a personal call-back goes to its owner only, until the grace period has passed', async () => {
    const owner = await signedIn(t.app, t.database);
    const colleague = await signedIn(t.app, t.database);
    const team = await createTeam(t.database.db, [owner.user.id, colleague.user.id]);
    const d = await createDonors(t.database.db, [{}, {}]);
    const campaign = await createCampaign(t.database, {
      teamIds: [team.id],
      lists: [{ donorIds: d.map((x) => x.id) }],
    });
    const due = clock.now();
    await t.database.db.execute(
      sql`update campaign_donors set appointment_id = 7, appointment_owner_id = ${owner.user.id}, next_attempt_at = ${due}
          where campaign_id = ${campaign.id} and donor_id = ${d[0]!.id}`,
    );
    await t.database.db.execute(
      sql`update campaign_donors set state = 'finished' where campaign_id = ${campaign.id} and donor_id = ${d[1]!.id}`,
    );
    await colleague.openShift(s.jobRoleId);
    await colleague.ready(team.id, campaign.id);
    const before = await colleague.next();
    expect(before.body.status).toBe('out_of_data');
    clock.advance(31 * 60_000); // grace 30 minutes
    const after = await colleague.next();
    expect(after.body.status).toBe('offered');
    expect(after.body.offer.donor.id).toBe(d[0]!.id);
  });
});

describe('holds', () => {
  it('a hold not started in time goes back to the pool; the late Start Call is refused', async () => {
    const { agent, team, campaign } = await setup(1, { holdSeconds: 60 });
    const other = await signedIn(t.app, t.database);
    await t.database.db.execute(sql`insert into team_members (team_id, user_id) values (${team.id}, ${other.user.id})`);
    await other.openShift(s.jobRoleId);
    await other.ready(team.id, campaign.id);

    const mine = await agent.next();
    expect((await other.next()).body).toMatchObject({ status: 'out_of_data', reasons: { heldByOthers: 1 } });
    clock.advance(61_000);
    const theirs = await other.next();
    expect(theirs.body.offer.donor.id).toBe(mine.body.offer.donor.id);
    const late = await agent.start(mine.body.offer.id);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('offer_expired');
    expect(late.body.message).toMatch(/Ask for the next donor/);
    expect((await agent.shift()).body.state).toBe('ready');
    expect((await other.start(theirs.body.offer.id)).status).toBe(200);
  });

  it("a lost lease (the agent's browser is gone) returns the donor at the next sweep", async () => {
    const { agent, team, campaign } = await setup(1, { holdSeconds: 600 });
    const other = await signedIn(t.app, t.database);
    await t.database.db.execute(sql`insert into team_members (team_id, user_id) values (${team.id}, ${other.user.id})`);
    await other.openShift(s.jobRoleId);
    await other.ready(team.id, campaign.id);
    const mine = await agent.next();

    clock.advance(30_000);
    expect((await agent.call('POST', '/api/shift/heartbeat')).status).toBe(204);
    clock.advance(30_000); // 60 s after the offer, 30 s after the heartbeat: lease still good
    await t.app.dialer.sweep();
    expect((await other.next()).body.status).toBe('out_of_data');

    clock.advance(20_000); // 50 s without a heartbeat > 45 s lease
    const swept = await t.app.dialer.sweep();
    expect(swept.expiredOffers).toBeGreaterThanOrEqual(1);
    const theirs = await other.next();
    expect(theirs.body.offer.donor.id).toBe(mine.body.offer.donor.id);
    expect((await agent.shift()).body).toMatchObject({ state: 'ready', offer: null });
  });

  it('one donor on two campaigns is held for one agent at a time', async () => {
    const a = await signedIn(t.app, t.database);
    const b = await signedIn(t.app, t.database);
    const teamA = await createTeam(t.database.db, [a.user.id]);
    const teamB = await createTeam(t.database.db, [b.user.id]);
    const [shared] = await createDonors(t.database.db, [{}]);
    const c1 = await createCampaign(t.database, { teamIds: [teamA.id], lists: [{ donorIds: [shared!.id] }] });
    const c2 = await createCampaign(t.database, { teamIds: [teamB.id], lists: [{ donorIds: [shared!.id] }] });
    await a.openShift(s.jobRoleId);
    await a.ready(teamA.id, c1.id);
    await b.openShift(s.jobRoleId);
    await b.ready(teamB.id, c2.id);
    const offerA = await a.next();
    expect(offerA.body.offer.donor.id).toBe(shared!.id);
    expect((await b.next()).body.status).toBe('out_of_data');
    const { body } = await a.start(offerA.body.offer.id);
    await a.end(body.call.id, { endReasonId: s.end.final });
    clock.advance(61_000); // the bumped row's minute passes
    const offerB = await b.next();
    expect(offerB.body.offer.donor.id).toBe(shared!.id); // final in c1 only
  });
});

describe('calling hours in the donor’s local time, on a daylight-saving change day', () => {
  it('London (clocks go forward that morning), New York and Sydney', async () => {
    const agents = [
      await signedIn(t.app, t.database),
      await signedIn(t.app, t.database),
      await signedIn(t.app, t.database),
    ];
    const team = await createTeam(
      t.database.db,
      agents.map((a) => a.user.id),
    );
    const [london, newYork, sydney] = await createDonors(t.database.db, [
      { timeZone: 'Europe/London' },
      { timeZone: 'America/New_York' },
      { timeZone: 'Australia/Sydney' },
    ]);
    const campaign = await createCampaign(t.database, {
      teamIds: [team.id],
      lists: [{ donorIds: [london!.id, newYork!.id, sydney!.id] }],
      hours: ['09:00', '21:00'],
    });
    for (const a of agents) {
      await a.openShift(s.jobRoleId);
      await a.ready(team.id, campaign.id);
    }
    /** Every agent asks once: the donors offered are exactly those callable at that instant. */
    const callableAt = async (iso: string) => {
      clock.set(new Date(iso));
      const answers = [];
      for (const a of agents) answers.push(await a.next());
      const got = answers.filter((n) => n.body.status === 'offered').map((n) => n.body.offer.donor.id as number);
      const out = answers.find((n) => n.body.status === 'out_of_data')?.body;
      for (const [i, n] of answers.entries())
        if (n.body.status === 'offered') await agents[i]!.skip(n.body.offer.id, s.skip.requeue);
      return { got: new Set(got), out };
    };
    // 2026-03-29 07:59Z: London 08:59 BST (it would be 07:59 without daylight saving), New York 03:59, Sydney 18:59.
    let r = await callableAt('2026-03-29T07:59:00Z');
    expect(r.got).toEqual(new Set([sydney!.id]));
    expect(r.out.reasons.outsideCallingHours).toBe(2);
    expect(r.out.nextAvailableAt).toBe('2026-03-29T08:00:00.000Z'); // 09:00 BST in London
    // 08:30Z: London 09:30 BST (callable only if daylight saving is applied), Sydney 19:30.
    r = await callableAt('2026-03-29T08:30:00Z');
    expect(r.got).toEqual(new Set([london!.id, sydney!.id]));
    // 13:00Z: New York 09:00 EDT (exactly the start), London 14:00, Sydney 00:00 the next day.
    r = await callableAt('2026-03-29T13:00:00Z');
    expect(r.got).toEqual(new Set([london!.id, newYork!.id]));
    // 2026-04-05 09:30Z: Sydney's clocks went back that night (AEST, UTC+10): 19:30, still callable;
    // 10:30Z is 20:30 and 11:00Z is 21:00, the end (not callable).
    r = await callableAt('2026-04-05T10:30:00Z');
    expect(r.got.has(sydney!.id)).toBe(true);
    r = await callableAt('2026-04-05T11:00:00Z');
    expect(r.got.has(sydney!.id)).toBe(false);
    clock.set(new Date('2026-06-10T12:00:00Z'));
  });
});

describe('the legal calling window and the campaign’s week', () => {
  // The shipped window, 08:00-21:00 (the test template calls around the clock).
  beforeEach(() => setLegalWindow(t.database));
  afterEach(async () => {
    await setLegalWindow(t.database);
    clock.set(new Date('2026-06-10T12:00:00Z'));
  });

  /** An agent ready on a fresh campaign of the given donors (whole day every day unless told). */
  async function ready(
    donorSpecs: Parameters<typeof createDonors>[1],
    opts: Partial<Parameters<typeof createCampaign>[1]> = {},
  ) {
    const agent = await signedIn(t.app, t.database);
    const team = await createTeam(t.database.db, [agent.user.id]);
    const donors = await createDonors(t.database.db, donorSpecs);
    const campaign = await createCampaign(t.database, {
      teamIds: [team.id],
      lists: [{ donorIds: donors.map((d) => d.id) }],
      ...opts,
    });
    await agent.openShift(s.jobRoleId);
    await agent.ready(team.id, campaign.id);
    return { agent, donors, campaign };
  }

  it('a donor at 01:28 in Seoul is never offered, even by a campaign open 00:00-24:00; at 08:00 their time they are', async () => {
    // 2026-06-10 16:28Z is Thursday 01:28 in Seoul (UTC+9).
    clock.set(new Date('2026-06-10T16:28:00Z'));
    const { agent, donors } = await ready([{ timeZone: 'Asia/Seoul', country: 'KR' }], { hours: ['00:00', '24:00'] });
    const night = await agent.next();
    expect(night.body).toMatchObject({
      status: 'out_of_data',
      reasons: { outsideCallingHours: 1 },
      nextAvailableAt: '2026-06-10T23:00:00.000Z', // 08:00 in Seoul
    });
    expect(night.body.message).toContain('1 donor is outside calling hours until 08:00 their time');
    clock.set(new Date('2026-06-10T22:59:00Z'));
    expect((await agent.next()).body.status).toBe('out_of_data');
    clock.set(new Date('2026-06-10T23:00:00Z'));
    const morning = await agent.next();
    expect(morning.body).toMatchObject({ status: 'offered', offer: { donor: { id: donors[0]!.id } } });
  });

  it("a country's own window applies to its donors: France 09:00-20:00 and closed on Sundays", async () => {
    await setLegalWindow(t.database, '08:00', '21:00', {
      countries: [{ country: 'FR', start: '09:00', end: '20:00', closedWeekdays: [7] }],
    });
    // Both in Paris; the Belgian donor has the default window (08:00-21:00).
    const { agent, donors } = await ready([
      { timeZone: 'Europe/Paris', country: 'FR' },
      { timeZone: 'Europe/Paris', country: 'BE' },
    ]);
    const belgian = donors[1]!;
    const offeredAt = async (iso: string) => {
      clock.set(new Date(iso));
      const got: number[] = [];
      for (;;) {
        const n = await agent.next();
        if (n.body.status !== 'offered') return { got, out: n.body };
        got.push(n.body.offer.donor.id as number);
        await agent.skip(n.body.offer.id, s.skip.remove);
      }
    };
    // Wednesday 08:30 in Paris: only the Belgian donor (France opens at 09:00).
    const r = await offeredAt('2026-06-10T06:30:00Z');
    expect(r.got).toEqual([belgian.id]);
    expect(r.out.reasons.outsideCallingHours).toBe(1);
    expect(r.out.message).toContain('outside calling hours until 09:00 their time');
    // Nobody is left for Wednesday 09:00 in this campaign (the Belgian was removed): a fresh one.
    const sunday = await ready(
      [
        { timeZone: 'Europe/Paris', country: 'FR' },
        { timeZone: 'Europe/Paris', country: 'BE' },
      ],
      {},
    );
    clock.set(new Date('2026-06-14T10:00:00Z')); // Sunday 12:00 in Paris
    const first = await sunday.agent.next();
    expect(first.body).toMatchObject({ status: 'offered', offer: { donor: { id: sunday.donors[1]!.id } } });
    await sunday.agent.skip(first.body.offer.id, s.skip.remove);
    const then = await sunday.agent.next();
    expect(then.body).toMatchObject({ status: 'out_of_data', reasons: { outsideCallingHours: 1 } });
    expect(then.body.message).toContain('until Monday 09:00 their time');
  });

  it('a weekday without hours and a closed date offer nobody; Out of Data says when calling resumes', async () => {
    const weekdays = Array.from({ length: 5 }, () => ({ start: '09:00', end: '20:00' }));
    clock.set(new Date('2026-06-12T10:00:00Z')); // Friday 11:00 in London, a closed date
    const { agent, donors } = await ready([{ timeZone: 'Europe/London', country: 'GB' }], {
      weekdayHours: [...weekdays, null, null],
      closedDates: ['2026-06-12'],
    });
    const friday = await agent.next();
    expect(friday.body).toMatchObject({
      status: 'out_of_data',
      reasons: { outsideCallingHours: 1 },
      nextAvailableAt: '2026-06-15T08:00:00.000Z', // Monday 09:00 BST
    });
    expect(friday.body.message).toContain('1 donor is outside calling hours until Monday 09:00 their time');
    clock.set(new Date('2026-06-13T12:00:00Z')); // Saturday 13:00: no hours on Saturdays
    const saturday = await agent.next();
    expect(saturday.body.status).toBe('out_of_data');
    expect(saturday.body.message).toContain('until Monday 09:00 their time');
    clock.set(new Date('2026-06-15T07:59:00Z'));
    expect((await agent.next()).body.message).toContain('until 09:00 their time');
    clock.set(new Date('2026-06-15T08:00:00Z'));
    expect((await agent.next()).body).toMatchObject({ status: 'offered', offer: { donor: { id: donors[0]!.id } } });
  });

  it("the screens that mark a call-back time get the whole rule: the campaign's week and closed dates, the donor's country, the legal windows", async () => {
    await setLegalWindow(t.database, '08:00', '21:00', {
      countries: [{ country: 'FR', start: '09:00', end: '20:00', closedWeekdays: [7] }],
    });
    const week = [
      ...Array.from({ length: 5 }, () => ({ start: '09:00', end: '20:00' })),
      { start: '10:00', end: '16:00' },
      null,
    ];
    clock.set(new Date('2026-06-10T09:00:00Z')); // Wednesday 11:00 in Paris
    const { agent, campaign, donors } = await ready([{ timeZone: 'Europe/Paris', country: 'FR' }], {
      weekdayHours: week,
      closedDates: ['2026-07-14', '2026-12-25'],
    });
    // The end-call panel and Book appointment: the agent's campaign and the organisation's windows.
    const mine = await agent.call('GET', '/api/me/campaigns');
    expect(mine.body.find((c: { campaignId: number }) => c.campaignId === campaign.id)).toMatchObject({
      weekdayHours: week,
      closedDates: ['2026-07-14', '2026-12-25'],
    });
    const settings = await agent.call('GET', '/api/settings/organisation');
    expect(settings.status).toBe(200);
    expect(settings.body).toMatchObject({
      legalWindow: { start: '08:00', end: '21:00', closedWeekdays: [] },
      countryWindows: [{ country: 'FR', start: '09:00', end: '20:00', closedWeekdays: [7] }],
    });
    // The offer names the donor's country.
    const { offer, call } = await offerAndStart(agent);
    expect(offer.donor).toMatchObject({ id: donors[0]!.id, timeZone: 'Europe/Paris', country: 'FR' });
    const ended = await agent.end(call.id, {
      endReasonId: s.end.appointment,
      appointment: { scheduledAt: '2026-06-11T08:00:00Z', personal: true }, // Thursday 10:00 in Paris
    });
    expect(ended.status).toBe(200);
    // The reschedule modal: the appointment's campaign rules and donor country.
    const admin = await signedIn(t.app, t.database, 'admin');
    const list = await admin.call('GET', `/api/appointments?campaignId=${campaign.id}`);
    expect(list.body.appointments).toHaveLength(1);
    expect(list.body.appointments[0]).toMatchObject({
      donor: { id: donors[0]!.id, timeZone: 'Europe/Paris', country: 'FR' },
      campaign: { id: campaign.id, weekdayHours: week, closedDates: ['2026-07-14', '2026-12-25'] },
    });
  });

  it("a call-back on a short day is missed at the end of that day's hours, and cannot be booked on a day without calls", async () => {
    clock.set(new Date('2026-06-12T09:00:00Z')); // Friday 10:00 in London
    const { agent, campaign, donors } = await ready([{ timeZone: 'Europe/London', country: 'GB' }], {
      weekdayHours: [
        ...Array.from({ length: 5 }, () => ({ start: '09:00', end: '20:00' })),
        { start: '10:00', end: '16:00' },
        null,
      ],
    });
    const { call } = await offerAndStart(agent);
    // Sunday 12:00 in London: no calls on Sundays.
    const sunday = await agent.end(call.id, {
      endReasonId: s.end.appointment,
      appointment: { scheduledAt: '2026-06-14T11:00:00Z', personal: true },
    });
    expect(sunday.status).toBe(400);
    expect(sunday.body.message).toContain('calls nobody there that day');
    // Saturday 11:00 in London: inside Saturday's 10:00-16:00.
    const ended = await agent.end(call.id, {
      endReasonId: s.end.appointment,
      appointment: { scheduledAt: '2026-06-13T10:00:00Z', personal: true },
    });
    expect(ended.status).toBe(200);
    const status = async () =>
      (
        (await t.database.db.execute(sql`select status from appointments where booked_call_id = ${call.id}`))
          .rows[0] as { status: string }
      ).status;
    clock.set(new Date('2026-06-13T14:59:00Z')); // 15:59 BST
    await t.app.dialer.sweep();
    expect(await status()).toBe('scheduled');
    clock.set(new Date('2026-06-13T15:00:00Z')); // 16:00 BST: Saturday's hours are over
    await t.app.dialer.sweep();
    expect(await status()).toBe('missed');
    expect(await queueRow(campaign.id, donors[0]!.id)).toMatchObject({ state: 'queued', appointment_id: null });
  });
});

describe('idempotency', () => {
  it('endCall with the same key and body answers the first result and writes nothing new; another body gets 422', async () => {
    const { agent } = await setup(2);
    const { call } = await offerAndStart(agent);
    const key = 'end-call-key-0001';
    const first = await agent.end(call.id, { endReasonId: s.end.final, notes: 'one' }, key);
    clock.advance(5000);
    const again = await agent.end(call.id, { endReasonId: s.end.final, notes: 'one' }, key);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const other = await agent.end(call.id, { endReasonId: s.end.final, notes: 'two' }, key);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    const noKey = await agent.call('POST', `/api/calls/${call.id}/end`, { endReasonId: s.end.final });
    expect(noKey.body.code).toBe('call_already_ended');
  });

  it('a refused End Call keeps nothing, not even its key: the same key then ends the call', async () => {
    const { agent } = await setup(1);
    const { call } = await offerAndStart(agent);
    const key = 'end-call-key-0002';
    // A call-back reason without a time is refused after the key was taken inside the routine.
    const refused = await agent.end(call.id, { endReasonId: s.end.appointment }, key);
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('appointment_required');
    const stored = await t.database.db.execute(sql`select count(*)::int as n from idempotency_keys where key = ${key}`);
    expect(stored.rows[0]).toEqual({ n: 0 });
    const shift = await agent.call('GET', '/api/shift');
    expect(shift.body.state).toBe('on_call');

    const ended = await agent.end(call.id, { endReasonId: s.end.retry }, key);
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ id: call.id, endReason: { id: s.end.retry, outcome: 'retry' } });
    expect((await agent.call('GET', '/api/shift')).body.state).toBe('ready');
  });

  it('recordDonation with the same key records one donation', async () => {
    const { agent } = await setup(1);
    const { offer, call } = await offerAndStart(agent);
    const body = { amount: 2500, currency: 'gbp', purpose: 'Clean water', callId: call.id };
    const headers = { 'idempotency-key': 'donation-key-0001' };
    const a = await agent.call('POST', `/api/donors/${offer.donor.id}/donations`, body, headers);
    const b = await agent.call('POST', `/api/donors/${offer.donor.id}/donations`, body, headers);
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ amountMinor: 2500, currency: 'GBP', callId: call.id });
    expect(b.body).toEqual(a.body);
    const count = await t.database.db.execute(
      sql`select count(*)::int as n from donations where donor_id = ${offer.donor.id}`,
    );
    expect(count.rows[0]).toEqual({ n: 1 });
    const bad = await agent.call('POST', `/api/donors/${offer.donor.id}/donations`, { ...body, amount: 3000 }, headers);
    expect(bad.status).toBe(422);
    const card = await agent.call('POST', `/api/donors/${offer.donor.id}/donations`, {
      ...body,
      paymentReference: '4111 1111 1111 1111',
    });
    expect(card.status).toBe(400);
    expect(JSON.stringify(card.body.issues)).toMatch(/card number/);
  });

  it('an agent cannot record a donation for a donor they are not calling', async () => {
    const { agent, donors } = await setup(2);
    const res = await agent.call('POST', `/api/donors/${donors[1]!.id}/donations`, { amount: 100, currency: 'GBP' });
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/only while you are on a call/);
    const stranger = await signedIn(t.app, t.database);
    expect((await stranger.call('GET', `/api/donors/${donors[0]!.id}`)).status).toBe(404);
  });
});

describe('call-backs: reminders and missed', () => {
  it('the owner is reminded once when a call-back is due; one not kept by the end of the donor’s calling day becomes missed and the donor returns to the queue', async () => {
    clock.set(new Date('2026-06-10T12:00:00Z'));
    const { agent, team, campaign, donors } = await setup(1, { hours: ['09:00', '21:00'] });
    const { call } = await offerAndStart(agent);
    await agent.end(call.id, {
      endReasonId: s.end.appointment,
      appointment: { scheduledAt: '2026-06-10T15:00:00Z', personal: true },
    });
    const appt = async () =>
      (await t.database.db.execute(sql`select status, reminded_at from appointments where booked_call_id = ${call.id}`))
        .rows[0] as {
        status: string;
        reminded_at: string | null;
      };

    clock.set(new Date('2026-06-10T14:59:00Z'));
    await t.app.dialer.sweep();
    expect((await appt()).reminded_at).toBeNull();
    clock.set(new Date('2026-06-10T15:00:00Z'));
    expect((await t.app.dialer.sweep()).reminded).toBeGreaterThanOrEqual(1);
    expect((await appt()).reminded_at).not.toBeNull();
    expect((await t.app.dialer.sweep()).reminded).toBe(0); // once only

    // 20:59Z is 21:59 in London (BST): after the campaign's 21:00 end of the donor's day.
    clock.set(new Date('2026-06-10T19:59:00Z'));
    await t.app.dialer.sweep();
    expect((await appt()).status).toBe('scheduled');
    clock.set(new Date('2026-06-10T20:00:00Z'));
    expect((await t.app.dialer.sweep()).missed).toBeGreaterThanOrEqual(1);
    expect((await appt()).status).toBe('missed');
    expect(await queueRow(campaign.id, donors[0]!.id)).toMatchObject({ state: 'queued', appointment_id: null });
    clock.set(new Date('2026-06-11T08:00:00Z')); // 09:00 BST the next morning: back in the ordinary queue
    // (the sweeps closed the shift: no heartbeat came for hours) — a new shift
    expect((await agent.shift()).body).toBeNull();
    await agent.openShift(s.jobRoleId);
    await agent.ready(team.id, campaign.id);
    const next = await agent.next();
    expect(next.body, JSON.stringify(next.body)).toMatchObject({ status: 'offered' });
    expect(next.body.offer).toMatchObject({ donor: { id: donors[0]!.id }, appointment: null, attempts: 1 });
    clock.set(new Date('2026-06-10T12:00:00Z'));
  });
});
