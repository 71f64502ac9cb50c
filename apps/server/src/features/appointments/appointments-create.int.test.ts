import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, testClock, type TestApp } from '../../../test/app';
import { signedIn, type Agent } from '../../../test/agent';
import { createTestDatabase } from '../../../test/db';
import {
  createCampaign,
  createDonors,
  createSettings,
  createTeam,
  setLegalWindow,
} from '../../../test/dialer-factories';
import { instantFromLocal } from '../dialer/dialer.rules';

/** createAppointment: agents and managers book call-backs, from the queue or during a call. */
const clock = testClock(new Date('2026-06-10T12:00:00Z'));
let t: TestApp;
let s: Awaited<ReturnType<typeof createSettings>>;

beforeAll(async () => {
  const database = await createTestDatabase({ poolSize: 20 });
  t = await createTestApp({
    database,
    now: clock.now,
    env: { SESSION_IDLE_MINUTES: '1000000', SESSION_ABSOLUTE_HOURS: '100000', LOGIN_SLOWDOWN_AFTER_FAILURES: '1000' },
  });
  s = await createSettings(t.database.db);
});

async function queueRow(campaignId: number, donorId: number) {
  const r = await t.database.db.execute(
    sql`select state, appointment_id, appointment_owner_id, held_by_shift_id,
               to_char(next_attempt_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as next_attempt_at
          from campaign_donors where campaign_id = ${campaignId} and donor_id = ${donorId}`,
  );
  return r.rows[0] as {
    state: string;
    appointment_id: number | null;
    appointment_owner_id: number | null;
    next_attempt_at: string;
    held_by_shift_id: number | null;
  };
}

async function appointmentsOf(campaignId: number) {
  const r = await t.database.db.execute(
    sql`select id, status, booked_call_id from appointments where campaign_id = ${campaignId} order by id`,
  );
  return r.rows as { id: number; status: string; booked_call_id: number | null }[];
}

/**
 * A team (two agents and a manager who leads it) working a fresh campaign (hours 09:00-21:00
 * unless told) whose donors are in Europe/London unless told.
 */
async function setup(opts: { donors?: { timeZone?: string }[]; hours?: [string, string] } = {}) {
  clock.set(new Date('2026-06-10T12:00:00Z'));
  const agent = await signedIn(t.app, t.database);
  const colleague = await signedIn(t.app, t.database);
  const manager = await signedIn(t.app, t.database, 'manager');
  const team = await createTeam(t.database.db, [agent.user.id, colleague.user.id]);
  await t.database.db.execute(
    sql`insert into team_members (team_id, user_id, is_leader) values (${team.id}, ${manager.user.id}, true)`,
  );
  const donors = await createDonors(t.database.db, opts.donors ?? [{}, {}]);
  const campaign = await createCampaign(t.database, {
    teamIds: [team.id],
    lists: [{ donorIds: donors.map((d) => d.id) }],
    hours: opts.hours ?? ['09:00', '21:00'],
  });
  return { agent, colleague, manager, team, donors, campaign };
}

function book(who: Agent, body: Record<string, unknown>, key: string = randomUUID()) {
  return who.call('POST', '/api/appointments', body, { 'idempotency-key': key });
}

async function ready(a: Agent, teamId: number, campaignId: number) {
  expect((await a.openShift(s.jobRoleId)).status).toBe(201);
  expect((await a.ready(teamId, campaignId)).status).toBe(200);
}

describe('createAppointment from the queue', () => {
  it('books a call-back for anyone: 201, queued first for its time, audited; the due call-back is offered first', async () => {
    const x = await setup();
    const donor = x.donors[1]!;
    const res = await book(x.agent, {
      donorId: donor.id,
      campaignId: x.campaign.id,
      scheduledAt: '2026-06-11T09:00:00Z',
      notes: 'Asked to be called tomorrow',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      donor: { id: donor.id, timeZone: 'Europe/London' },
      campaign: { id: x.campaign.id, callingHoursStart: '09:00', callingHoursEnd: '21:00' },
      scheduledAt: '2026-06-11T09:00:00.000Z',
      owner: null,
      notes: 'Asked to be called tomorrow',
      status: 'scheduled',
      bookedCallId: null,
    });
    expect(await queueRow(x.campaign.id, donor.id)).toMatchObject({
      appointment_id: res.body.id,
      appointment_owner_id: null,
      next_attempt_at: '2026-06-11T09:00:00Z',
    });
    const audit = await x.manager.call('GET', `/api/audit?entityType=appointment&entityId=${res.body.id}`);
    expect(audit.body.entries).toHaveLength(1);
    expect(audit.body.entries[0]).toMatchObject({
      action: 'create',
      after: { donorId: donor.id, scheduledAt: '2026-06-11T09:00:00.000Z', ownerAgentId: null },
    });

    // When it is due, the colleague is offered it before the ordinary queue.
    clock.set(new Date('2026-06-11T09:01:00Z'));
    await ready(x.colleague, x.team.id, x.campaign.id);
    const next = await x.colleague.next();
    expect(next.body.offer.donor.id).toBe(donor.id);
    expect(next.body.offer.appointment).toMatchObject({ id: res.body.id, personal: false });
  });

  it('the same Idempotency-Key twice creates one appointment and answers it again', async () => {
    const x = await setup();
    const body = { donorId: x.donors[0]!.id, campaignId: x.campaign.id, scheduledAt: '2026-06-11T10:00:00Z' };
    const key = randomUUID();
    const first = await book(x.agent, body, key);
    const again = await book(x.agent, body, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await appointmentsOf(x.campaign.id)).toHaveLength(1);
    // The key with another request is refused.
    const other = await book(x.agent, { ...body, scheduledAt: '2026-06-11T11:00:00Z' }, key);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
  });

  it('refuses a time in the past, outside calling hours (saying which are allowed), or after the campaign ends', async () => {
    const x = await setup({ hours: ['09:00', '17:00'] });
    const base = { donorId: x.donors[0]!.id, campaignId: x.campaign.id };
    const past = await book(x.agent, { ...base, scheduledAt: '2026-06-10T11:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.code).toBe('appointment_not_allowed');
    // 19:00 in London (BST) = 18:00 UTC.
    const late = await book(x.agent, { ...base, scheduledAt: '2026-06-11T18:00:00Z' });
    expect(late.status).toBe(400);
    expect(late.body.message).toContain('19:00 for the donor (Europe/London)');
    expect(late.body.message).toContain('between 09:00 and 17:00');
    const tooLate = await book(x.agent, { ...base, scheduledAt: '2100-01-04T10:00:00Z' });
    expect(tooLate.status).toBe(400);
    expect(tooLate.body.message).toContain('ends on 2099-12-31');
    expect(await appointmentsOf(x.campaign.id)).toHaveLength(0);
  });

  it('refuses a donor not in the queue (404), a finished donor (409) and a second call-back (409 naming its time)', async () => {
    const x = await setup();
    const [outsider] = await createDonors(t.database.db, [{}]);
    const notQueued = await book(x.agent, {
      donorId: outsider!.id,
      campaignId: x.campaign.id,
      scheduledAt: '2026-06-11T10:00:00Z',
    });
    expect(notQueued.status).toBe(404);

    await t.database.db.execute(
      sql`update campaign_donors set state = 'finished', finish_reason = 'final'
           where campaign_id = ${x.campaign.id} and donor_id = ${x.donors[0]!.id}`,
    );
    const finished = await book(x.agent, {
      donorId: x.donors[0]!.id,
      campaignId: x.campaign.id,
      scheduledAt: '2026-06-11T10:00:00Z',
    });
    expect(finished.status).toBe(409);
    expect(finished.body.code).toBe('invalid_transition');

    const body = { donorId: x.donors[1]!.id, campaignId: x.campaign.id };
    expect((await book(x.agent, { ...body, scheduledAt: '2026-06-11T10:00:00Z' })).status).toBe(201);
    const twice = await book(x.colleague, { ...body, scheduledAt: '2026-06-12T10:00:00Z' });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('conflict');
    expect(twice.body.message).toContain('2026-06-11 10:00 UTC');
    expect(twice.body.message).toContain('11:00 Europe/London');
    expect(twice.body.message).toContain('reschedule it instead');
  });

  it('an agent: only in a team working the campaign, and only themselves or nobody as owner', async () => {
    const x = await setup();
    const outsider = await signedIn(t.app, t.database);
    const base = { donorId: x.donors[0]!.id, campaignId: x.campaign.id, scheduledAt: '2026-06-11T10:00:00Z' };
    // Another team's campaign answers exactly as one that does not exist, and names nothing.
    const notTheirs = await book(outsider, base);
    const missing = await book(outsider, { ...base, campaignId: x.campaign.id + 1_000_000 });
    expect(notTheirs.status).toBe(404);
    expect({ ...notTheirs.body, requestId: null }).toEqual({ ...missing.body, requestId: null });
    expect(notTheirs.body.message).not.toContain(x.campaign.name);
    const forColleague = await book(x.agent, { ...base, ownerAgentId: x.colleague.user.id });
    expect(forColleague.status).toBe(403);
    const personal = await book(x.agent, { ...base, ownerAgentId: x.agent.user.id });
    expect(personal.status).toBe(201);
    expect(personal.body.owner).toEqual({ id: x.agent.user.id, name: x.agent.user.name });
    expect(await queueRow(x.campaign.id, x.donors[0]!.id)).toMatchObject({ appointment_owner_id: x.agent.user.id });
  });

  it('a manager: the campaign in scope (404 otherwise), any member of its teams as owner', async () => {
    const x = await setup();
    const stranger = await signedIn(t.app, t.database, 'manager');
    const base = { donorId: x.donors[0]!.id, campaignId: x.campaign.id, scheduledAt: '2026-06-11T10:00:00Z' };
    expect((await book(stranger, base)).status).toBe(404);
    const notMember = await book(x.manager, { ...base, ownerAgentId: stranger.user.id });
    expect(notMember.status).toBe(400);
    expect(notMember.body.code).toBe('validation_failed');
    const res = await book(x.manager, { ...base, ownerAgentId: x.colleague.user.id });
    expect(res.status).toBe(201);
    expect(res.body.owner.id).toBe(x.colleague.user.id);
    const admin = await signedIn(t.app, t.database, 'admin');
    expect((await book(admin, { ...base, donorId: x.donors[1]!.id })).status).toBe(201);
  });

  it('refuses a donor who is with another agent right now', async () => {
    const x = await setup({ donors: [{}] });
    await ready(x.colleague, x.team.id, x.campaign.id);
    const offer = (await x.colleague.next()).body.offer;
    const base = { donorId: offer.donor.id, campaignId: x.campaign.id, scheduledAt: '2026-06-11T10:00:00Z' };
    const res = await book(x.agent, base);
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('with another agent right now; try again in a few minutes');
    const call = (await x.colleague.start(offer.id)).body.call;
    expect((await book(x.agent, base)).status).toBe(409);
    expect((await x.colleague.end(call.id, { endReasonId: s.end.retry })).status).toBe(200);
    expect((await book(x.agent, base)).status).toBe(201);
  });
});

describe('createAppointment during the call', () => {
  async function onCall(opts: { personal?: boolean } = {}) {
    const x = await setup({ donors: [{}] });
    await ready(x.agent, x.team.id, x.campaign.id);
    const offer = (await x.agent.next()).body.offer;
    const call = (await x.agent.start(offer.id)).body.call;
    const res = await book(x.agent, {
      donorId: offer.donor.id,
      campaignId: x.campaign.id,
      scheduledAt: '2026-06-12T10:00:00Z',
      ownerAgentId: opts.personal ? x.agent.user.id : null,
    });
    expect(res.status).toBe(201);
    expect(res.body.bookedCallId).toBe(call.id);
    // The queue row stays the call's until it ends.
    const row = await queueRow(x.campaign.id, offer.donor.id);
    expect(row.appointment_id).toBeNull();
    expect(row.held_by_shift_id).not.toBeNull();
    return { ...x, donorId: offer.donor.id as number, call, appointment: res.body };
  }

  it('ending with a final reason keeps the donor queued for the call-back', async () => {
    const x = await onCall({ personal: true });
    expect((await x.agent.end(x.call.id, { endReasonId: s.end.final })).status).toBe(200);
    expect(await queueRow(x.campaign.id, x.donorId)).toEqual({
      state: 'queued',
      appointment_id: x.appointment.id,
      appointment_owner_id: x.agent.user.id,
      held_by_shift_id: null,
      next_attempt_at: '2026-06-12T10:00:00Z',
    });
    expect((await appointmentsOf(x.campaign.id))[0]).toMatchObject({ status: 'scheduled', booked_call_id: x.call.id });
  });

  it('a manager ending the call applies the system reason as End Call would: the donor stays queued for the call-back', async () => {
    const x = await onCall({ personal: true });
    const shiftId = (await x.agent.shift()).body.id as number;
    expect((await x.manager.call('POST', `/api/floor/shifts/${shiftId}/end-call`)).status).toBe(204);
    expect(await queueRow(x.campaign.id, x.donorId)).toEqual({
      state: 'queued',
      appointment_id: x.appointment.id,
      appointment_owner_id: x.agent.user.id,
      held_by_shift_id: null,
      next_attempt_at: '2026-06-12T10:00:00Z',
    });
    expect((await appointmentsOf(x.campaign.id))[0]).toMatchObject({ status: 'scheduled', booked_call_id: x.call.id });
  });

  it("a manager ending a call without a call-back retries the donor after the system reason's minutes", async () => {
    const x = await setup({ donors: [{}] });
    await ready(x.agent, x.team.id, x.campaign.id);
    const offer = (await x.agent.next()).body.offer;
    expect((await x.agent.start(offer.id)).status).toBe(200);
    const shiftId = (await x.agent.shift()).body.id as number;
    expect((await x.manager.call('POST', `/api/floor/shifts/${shiftId}/end-call`)).status).toBe(204);
    expect(await queueRow(x.campaign.id, offer.donor.id)).toEqual({
      state: 'queued',
      appointment_id: null,
      appointment_owner_id: null,
      held_by_shift_id: null,
      next_attempt_at: '2026-06-10T12:05:00Z', // "Ended by a manager": retry after 5 minutes
    });
  });

  it('a retry reason does not move the call-back', async () => {
    const x = await onCall();
    expect((await x.agent.end(x.call.id, { endReasonId: s.end.retry })).status).toBe(200);
    expect(await queueRow(x.campaign.id, x.donorId)).toMatchObject({
      state: 'queued',
      appointment_id: x.appointment.id,
      appointment_owner_id: null,
      next_attempt_at: '2026-06-12T10:00:00Z',
    });
  });

  it('a call-back end reason accepts the booking without another time; another time is refused', async () => {
    const x = await onCall();
    const twice = await x.agent.end(x.call.id, {
      endReasonId: s.end.appointment,
      appointment: { scheduledAt: '2026-06-13T10:00:00Z', personal: true },
    });
    expect(twice.status).toBe(409);
    expect(twice.body.message).toContain('already booked on this call for 2026-06-12 10:00 UTC');
    expect((await x.agent.end(x.call.id, { endReasonId: s.end.appointment })).status).toBe(200);
    expect(await queueRow(x.campaign.id, x.donorId)).toMatchObject({
      appointment_id: x.appointment.id,
      next_attempt_at: '2026-06-12T10:00:00Z',
    });
    expect(await appointmentsOf(x.campaign.id)).toHaveLength(1);
  });

  it('do not call cancels the booking', async () => {
    const x = await onCall();
    expect((await x.agent.end(x.call.id, { endReasonId: s.end.dnc })).status).toBe(200);
    expect((await appointmentsOf(x.campaign.id))[0]!.status).toBe('cancelled');
    expect(await queueRow(x.campaign.id, x.donorId)).toMatchObject({ state: 'finished', appointment_id: null });
  });

  it('booked before Start Call (the donor only offered): refused, start the call first', async () => {
    const x = await setup({ donors: [{}] });
    await ready(x.agent, x.team.id, x.campaign.id);
    const offer = (await x.agent.next()).body.offer;
    const res = await book(x.agent, {
      donorId: offer.donor.id,
      campaignId: x.campaign.id,
      scheduledAt: '2026-06-12T10:00:00Z',
    });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('offered to you');
  });
});

describe('time zones', () => {
  it('an agent in America/New_York books for a donor in Europe/London: the hours are the donor’s', async () => {
    const x = await setup({
      donors: [{ timeZone: 'Europe/London' }, { timeZone: 'America/New_York' }],
      hours: ['09:00', '17:00'],
    });
    // The agent picks 08:30 New York (EDT, UTC-4) = 12:30 UTC = 13:30 London (BST): inside the London donor's hours.
    const ok = await book(x.agent, {
      donorId: x.donors[0]!.id,
      campaignId: x.campaign.id,
      scheduledAt: '2026-06-11T08:30:00-04:00',
    });
    expect(ok.status).toBe(201);
    expect(ok.body.scheduledAt).toBe('2026-06-11T12:30:00.000Z');
    // The same instant is 08:30 for the New York donor: outside their hours.
    const early = await book(x.agent, {
      donorId: x.donors[1]!.id,
      campaignId: x.campaign.id,
      scheduledAt: '2026-06-11T08:30:00-04:00',
    });
    expect(early.status).toBe(400);
    expect(early.body.message).toContain('08:30 for the donor (America/New_York)');
    // 14:00 New York = 19:00 London: outside the London donor's hours though inside the agent's day.
    const other = await setup({ hours: ['09:00', '17:00'] });
    const late = await book(other.agent, {
      donorId: other.donors[0]!.id,
      campaignId: other.campaign.id,
      scheduledAt: '2026-06-11T14:00:00-04:00',
    });
    expect(late.status).toBe(400);
    expect(late.body.message).toContain('19:00 for the donor (Europe/London)');
  });
});

describe('daylight saving (donor in Europe/London)', () => {
  // Night-time campaign hours, to land on the clock changes: a legal window as wide as the day.
  beforeEach(() => setLegalWindow(t.database, '00:00', '24:00'));
  afterEach(() => setLegalWindow(t.database));

  it('spring forward: 01:30 on 2026-03-29 does not exist; 02:30 BST does and is booked inside the hours', async () => {
    const x = await setup({ hours: ['02:00', '03:00'] });
    clock.set(new Date('2026-03-01T12:00:00Z'));
    expect(() => instantFromLocal('2026-03-29', '01:30', 'Europe/London')).toThrow(
      '01:30 does not exist on 2026-03-29 in Europe/London: the clocks go forward; choose 02:00 or later',
    );
    const at = instantFromLocal('2026-03-29', '02:30', 'Europe/London').at;
    expect(at.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    const res = await book(x.agent, {
      donorId: x.donors[0]!.id,
      campaignId: x.campaign.id,
      scheduledAt: at.toISOString(),
    });
    expect(res.status).toBe(201);
    // 00:30 UTC that morning is 00:30 GMT for the donor: outside 02:00-03:00.
    const early = await book(x.agent, {
      donorId: x.donors[1]!.id,
      campaignId: x.campaign.id,
      scheduledAt: '2026-03-29T00:30:00Z',
    });
    expect(early.status).toBe(400);
    expect(early.body.message).toContain('00:30 for the donor (Europe/London)');
  });

  it('autumn: 01:30 on 2026-10-25 happens twice; the first (BST) is booked, and the second is inside the hours too', async () => {
    const x = await setup({ hours: ['01:00', '02:00'] });
    clock.set(new Date('2026-10-01T12:00:00Z'));
    const first = instantFromLocal('2026-10-25', '01:30', 'Europe/London');
    expect(first.note).toContain('this is the first one');
    const res = await book(x.agent, {
      donorId: x.donors[0]!.id,
      campaignId: x.campaign.id,
      scheduledAt: first.at.toISOString(),
    });
    expect(res.status).toBe(201);
    expect(res.body.scheduledAt).toBe('2026-10-25T00:30:00.000Z');
    const second = await book(x.agent, {
      donorId: x.donors[1]!.id,
      campaignId: x.campaign.id,
      scheduledAt: '2026-10-25T01:30:00Z',
    });
    expect(second.status).toBe(201);
  });
});

describe('concurrency', () => {
  it('two agents asking at the same moment while one call-back for anyone is due: exactly one gets it', async () => {
    for (let round = 0; round < 5; round++) {
      const x = await setup({ donors: [{}, {}, {}] });
      const donor = x.donors[2]!;
      const res = await book(x.manager, {
        donorId: donor.id,
        campaignId: x.campaign.id,
        scheduledAt: '2026-06-10T13:00:00Z',
      });
      expect(res.status).toBe(201);
      await ready(x.agent, x.team.id, x.campaign.id);
      await ready(x.colleague, x.team.id, x.campaign.id);
      clock.set(new Date('2026-06-10T13:00:30Z'));
      const answers = await Promise.all([x.agent.next(), x.colleague.next()]);
      const ids = answers.map((a) => a.body.offer.donor.id as number);
      expect(ids.filter((id) => id === donor.id)).toHaveLength(1);
      expect(new Set(ids).size).toBe(2);
      const withAppointment = answers.filter((a) => a.body.offer.appointment !== null);
      expect(withAppointment).toHaveLength(1);
      expect(withAppointment[0]!.body.offer.appointment.id).toBe(res.body.id);
    }
  });
});
