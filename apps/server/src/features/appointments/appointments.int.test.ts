import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@engage/contracts';
import { createTestApp, testClock, type TestApp } from '../../../test/app';
import { signedIn, type Agent } from '../../../test/agent';
import { createCampaign, createDonors, createSettings, createTeam } from '../../../test/dialer-factories';

const clock = testClock(new Date('2026-06-10T12:00:00Z'));
let t: TestApp;
let s: Awaited<ReturnType<typeof createSettings>>;

beforeAll(async () => {
  t = await createTestApp({
    now: clock.now,
    env: { SESSION_IDLE_MINUTES: '1000000', SESSION_ABSOLUTE_HOURS: '100000' },
  });
  s = await createSettings(t.database.db);
});

/** A signed-in manager or admin (or agent) calling the API. */
const as = (role: Role) => signedIn(t.app, t.database, role);
type Manager = Awaited<ReturnType<typeof as>>;

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

/**
 * Through the real agent flow: `owner` calls the first donor of a fresh campaign (calling hours
 * 09:00-21:00, donors in Europe/London) and books a personal call-back for 10:00 London time
 * tomorrow. A manager leads the team; `colleague` is in it too.
 */
async function booked(nDonors: number) {
  clock.set(new Date('2026-06-10T12:00:00Z'));
  const manager = await as('manager');
  const owner = await signedIn(t.app, t.database);
  const colleague = await signedIn(t.app, t.database);
  const team = await createTeam(t.database.db, [owner.user.id, colleague.user.id]);
  await t.database.db.execute(
    sql`insert into team_members (team_id, user_id, is_leader) values (${team.id}, ${manager.user.id}, true)`,
  );
  const donors = await createDonors(
    t.database.db,
    Array.from({ length: nDonors }, () => ({})),
  );
  const campaign = await createCampaign(t.database, {
    teamIds: [team.id],
    lists: [{ donorIds: donors.map((d) => d.id) }],
    hours: ['09:00', '21:00'],
  });
  for (const a of [owner, colleague]) {
    expect((await a.openShift(s.jobRoleId)).status).toBe(201);
    expect((await a.ready(team.id, campaign.id)).status).toBe(200);
  }
  const next = await owner.next();
  expect(next.body.offer.donor.id).toBe(donors[0]!.id);
  const call = (await owner.start(next.body.offer.id)).body.call;
  const ended = await owner.end(call.id, {
    endReasonId: s.end.appointment,
    notes: 'Wants to talk to her husband first',
    appointment: { scheduledAt: '2026-06-11T09:00:00Z', personal: true, notes: 'Ring after 10 her time' },
  });
  expect(ended.status).toBe(200);
  const list = await manager.call('GET', `/api/appointments?campaignId=${campaign.id}`);
  expect(list.body.appointments).toHaveLength(1);
  const appointment = list.body.appointments[0];
  return { manager, owner, colleague, team, campaign, donors, donor: donors[0]!, call, appointment };
}

async function trail(manager: Manager, id: number): Promise<any[]> {
  const res = await manager.call('GET', `/api/audit?entityType=appointment&entityId=${id}`);
  expect(res.status).toBe(200);
  return res.body.entries as any[];
}

/** The donor id of the next offer, then skips it back into the queue. */
async function nextDonorId(agent: Agent): Promise<number | null> {
  const next = await agent.next();
  if (next.body.status !== 'offered') return null;
  expect((await agent.skip(next.body.offer.id, s.skip.requeue)).status).toBe(204);
  return next.body.offer.donor.id as number;
}

describe('listAppointments', () => {
  it('lists call-backs with donor, zones, campaign hours, owner and the call that booked it; scoped to the teams led', async () => {
    const b = await booked(1);
    expect(b.appointment).toEqual({
      id: expect.any(Number),
      donor: {
        id: b.donor.id,
        name: `${b.donor.firstName} ${b.donor.lastName}`,
        reference: b.donor.reference,
        timeZone: 'Europe/London',
        country: null,
      },
      campaign: {
        id: b.campaign.id,
        name: b.campaign.name,
        callingHoursStart: '09:00',
        callingHoursEnd: '21:00',
        weekdayHours: Array.from({ length: 7 }, () => ({ start: '09:00', end: '21:00' })),
        closedDates: [],
      },
      scheduledAt: '2026-06-11T09:00:00.000Z',
      owner: { id: b.owner.user.id, name: b.owner.user.name },
      notes: 'Ring after 10 her time',
      status: 'scheduled',
      bookedCallId: b.call.id,
      keptCallId: null,
      createdAt: '2026-06-10T12:00:00.000Z',
    });

    const ids = async (m: Manager, query: string) =>
      (await m.call('GET', `/api/appointments?${query}`)).body.appointments.map(
        (a: { id: number }) => a.id,
      ) as number[];
    const id = b.appointment.id;
    expect(await ids(b.manager, '')).toEqual([id]);
    expect(await ids(b.manager, `teamId=${b.team.id}`)).toEqual([id]);
    expect(await ids(b.manager, `ownerAgentId=${b.owner.user.id}`)).toEqual([id]);
    expect(await ids(b.manager, `ownerAgentId=${b.colleague.user.id}`)).toEqual([]);
    expect(await ids(b.manager, 'ownerAgentId=anyone')).toEqual([]);
    expect(await ids(b.manager, 'status=scheduled')).toEqual([id]);
    expect(await ids(b.manager, 'status=cancelled')).toEqual([]);
    expect(await ids(b.manager, 'from=2026-06-11&to=2026-06-11')).toEqual([id]);
    expect(await ids(b.manager, 'from=2026-06-12')).toEqual([]);
    expect(await ids(b.manager, 'to=2026-06-11T09:00:00Z')).toEqual([]);

    // Another manager's teams do not work this campaign: nothing to see, and 404 on every action.
    const other = await booked(1);
    expect(await ids(other.manager, '')).toEqual([other.appointment.id]);
    const url = `/api/appointments/${id}`;
    expect((await other.manager.call('PATCH', url, { notes: 'x' })).status).toBe(404);
    expect((await other.manager.call('POST', `${url}/cancel`)).status).toBe(404);
    expect((await other.manager.call('GET', `${url}/owner-options`)).status).toBe(404);
    expect((await other.manager.call('GET', `/api/audit?entityType=appointment&entityId=${id}`)).status).toBe(404);

    const admin = await as('admin');
    expect(await ids(admin, `campaignId=${b.campaign.id}`)).toEqual([id]);

    // Agents: 403 everywhere here.
    for (const [method, path] of [
      ['GET', '/api/appointments'],
      ['PATCH', url],
      ['POST', `${url}/cancel`],
      ['GET', `${url}/owner-options`],
    ] as const) {
      const res = await b.owner.call(method, path, method === 'GET' ? undefined : { notes: 'x' });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
  });
});

describe('updateAppointment: reschedule', () => {
  it('refuses the past and times outside the calling hours (naming them); a valid time moves the dialer', async () => {
    const b = await booked(3);
    const url = `/api/appointments/${b.appointment.id}`;

    const late = await b.manager.call('PATCH', url, { scheduledAt: '2026-06-10T21:30:00Z' });
    expect(late.status).toBe(400);
    expect(late.body.code).toBe('appointment_not_allowed');
    expect(late.body.message).toMatch(/22:30 for the donor \(Europe\/London\).*between 09:00 and 21:00/);
    expect(late.body.issues).toEqual([{ path: 'body.scheduledAt', message: 'Between 09:00 and 21:00 donor time' }]);
    const past = await b.manager.call('PATCH', url, { scheduledAt: '2026-06-10T11:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.message).toMatch(/future/);
    expect((await trail(b.manager, b.appointment.id)).length).toBe(0);

    const moved = await b.manager.call('PATCH', url, { scheduledAt: '2026-06-10T15:00:00Z' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      scheduledAt: '2026-06-10T15:00:00.000Z',
      owner: { id: b.owner.user.id },
      status: 'scheduled',
    });
    expect(await queueRow(b.campaign.id, b.donor.id)).toMatchObject({
      appointment_id: b.appointment.id,
      appointment_owner_id: b.owner.user.id,
      next_attempt_at: '2026-06-10T15:00:00Z',
    });

    // Before the new time, the owner gets the ordinary queue; at it, the call-back comes first.
    const before = await nextDonorId(b.owner);
    expect(before).not.toBe(b.donor.id);
    expect(before).not.toBeNull();
    clock.set(new Date('2026-06-10T15:00:00Z'));
    const due = await b.owner.next();
    expect(due.body.offer).toMatchObject({
      donor: { id: b.donor.id },
      appointment: { id: b.appointment.id, scheduledAt: '2026-06-10T15:00:00.000Z', personal: true },
    });

    // On the agent's screen now: moving it is refused until the hold ends.
    const onScreen = await b.manager.call('PATCH', url, { scheduledAt: '2026-06-10T16:00:00Z' });
    expect(onScreen.status).toBe(409);
    expect(onScreen.body.code).toBe('conflict');
    // Notes do not touch the queue, so they can change even now.
    expect((await b.manager.call('PATCH', url, { notes: 'Ask about the new card' })).status).toBe(200);

    // Started: the call-back is kept (done) and can no longer change.
    await b.owner.start(due.body.offer.id);
    const done = await b.manager.call('PATCH', url, { notes: 'too late' });
    expect(done.status).toBe(409);
    expect(done.body.code).toBe('invalid_transition');

    const entries = await trail(b.manager, b.appointment.id);
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'update',
        before: { notes: 'Ring after 10 her time' },
        after: { notes: 'Ask about the new card' },
      }),
      {
        id: expect.any(Number),
        at: '2026-06-10T12:00:00.000Z',
        action: 'reschedule',
        actor: { id: b.manager.user.id, name: b.manager.user.name },
        before: { scheduledAt: '2026-06-11T09:00:00.000Z' },
        after: { scheduledAt: '2026-06-10T15:00:00.000Z' },
      },
    ]);
  });

  it('resets the due reminder, so the owner is reminded again at the new time', async () => {
    const b = await booked(1);
    await t.database.db.execute(sql`update appointments set reminded_at = now() where id = ${b.appointment.id}`);
    await b.manager.call('PATCH', `/api/appointments/${b.appointment.id}`, { scheduledAt: '2026-06-11T10:00:00Z' });
    const r = await t.database.db.execute(sql`select reminded_at from appointments where id = ${b.appointment.id}`);
    expect(r.rows[0]).toEqual({ reminded_at: null });
  });
});

describe('updateAppointment: reassign', () => {
  it('gives the call-back to another agent of the campaign (who then gets it first), or to anyone; refuses outsiders', async () => {
    const b = await booked(3);
    const url = `/api/appointments/${b.appointment.id}`;
    await b.manager.call('PATCH', url, { scheduledAt: '2026-06-10T15:00:00Z' });

    const options = await b.manager.call('GET', `${url}/owner-options`);
    expect(options.status).toBe(200);
    expect(options.body.agents).toEqual(
      expect.arrayContaining([
        { id: b.owner.user.id, name: b.owner.user.name },
        { id: b.colleague.user.id, name: b.colleague.user.name },
      ]),
    );

    const outsider = await signedIn(t.app, t.database);
    const refused = await b.manager.call('PATCH', url, { ownerAgentId: outsider.user.id });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/not in a team that works/);

    const given = await b.manager.call('PATCH', url, { ownerAgentId: b.colleague.user.id });
    expect(given.status).toBe(200);
    expect(given.body.owner).toEqual({ id: b.colleague.user.id, name: b.colleague.user.name });
    expect(await queueRow(b.campaign.id, b.donor.id)).toMatchObject({
      appointment_owner_id: b.colleague.user.id,
      next_attempt_at: '2026-06-10T15:00:00Z',
    });

    clock.set(new Date('2026-06-10T15:00:00Z'));
    // The former owner no longer gets it (a personal call-back of someone else, within its grace).
    expect(await nextDonorId(b.owner)).not.toBe(b.donor.id);
    const due = await b.colleague.next();
    expect(due.body.offer).toMatchObject({ donor: { id: b.donor.id }, appointment: { id: b.appointment.id } });
    expect((await b.colleague.skip(due.body.offer.id, s.skip.requeue)).status).toBe(204);

    // To anyone in the campaign: the queue row has no owner.
    const anyone = await b.manager.call('PATCH', url, { ownerAgentId: null });
    expect(anyone.status).toBe(200);
    expect(anyone.body.owner).toBeNull();
    expect(await queueRow(b.campaign.id, b.donor.id)).toMatchObject({
      appointment_id: b.appointment.id,
      appointment_owner_id: null,
    });
    expect(
      (await b.manager.call('GET', `/api/appointments?campaignId=${b.campaign.id}&ownerAgentId=anyone`)).body
        .appointments,
    ).toHaveLength(1);

    const entries = await trail(b.manager, b.appointment.id);
    expect(entries.map((e: { action: string }) => e.action)).toEqual(['reassign', 'reassign', 'reschedule']);
    expect(entries[0]).toMatchObject({
      before: { ownerAgentId: b.colleague.user.id, ownerName: b.colleague.user.name },
      after: { ownerAgentId: null, ownerName: null },
    });
    expect(entries[1]).toMatchObject({
      actor: { id: b.manager.user.id, name: b.manager.user.name },
      before: { ownerAgentId: b.owner.user.id, ownerName: b.owner.user.name },
      after: { ownerAgentId: b.colleague.user.id, ownerName: b.colleague.user.name },
    });
  });
});

describe('cancelAppointment', () => {
  it('cancels: the call-back leaves the dialer and the donor is back in the normal queue; no second change', async () => {
    const b = await booked(1);
    const url = `/api/appointments/${b.appointment.id}`;
    // The only donor waits for tomorrow's call-back: nothing to call now.
    expect((await b.owner.next()).body.status).toBe('out_of_data');

    clock.set(new Date('2026-06-10T12:30:00Z'));
    const cancelled = await b.manager.call('POST', `${url}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: b.appointment.id, status: 'cancelled' });
    expect(await queueRow(b.campaign.id, b.donor.id)).toMatchObject({
      state: 'queued',
      appointment_id: null,
      appointment_owner_id: null,
      next_attempt_at: '2026-06-10T12:30:00Z',
    });
    const next = await b.owner.next();
    expect(next.body.offer).toMatchObject({ donor: { id: b.donor.id }, appointment: null, attempts: 1 });

    const again = await b.manager.call('POST', `${url}/cancel`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('invalid_transition');
    expect(again.body.message).toMatch(/cancelled/);
    expect((await b.manager.call('PATCH', url, { scheduledAt: '2026-06-11T10:00:00Z' })).body.code).toBe(
      'invalid_transition',
    );
    expect(
      (await b.manager.call('GET', `/api/appointments?campaignId=${b.campaign.id}&status=cancelled`)).body.appointments,
    ).toHaveLength(1);

    expect(await trail(b.manager, b.appointment.id)).toEqual([
      {
        id: expect.any(Number),
        at: '2026-06-10T12:30:00.000Z',
        action: 'cancel',
        actor: { id: b.manager.user.id, name: b.manager.user.name },
        before: { status: 'scheduled' },
        after: { status: 'cancelled' },
      },
    ]);
  });
});
