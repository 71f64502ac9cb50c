import { and, asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiUser, type ApiUser } from '../../../test/admin-factories';
import { signedIn, type Agent } from '../../../test/agent';
import { createTestApp, testClock, type TestApp } from '../../../test/app';
import { createDonors, createTeam } from '../../../test/dialer-factories';
import { uniqueSuffix } from '../../../test/factories';
import { inboundKit } from '../../../test/inbound-factories';
import { appointments, auditLog, campaignTeams, inboundCallEvents } from '../../db/schema';
import type { Tx } from '../../db/client';
import { withTransaction } from '../../lib/tx';
import { createAppointmentsService } from '../appointments/appointments.service';

/**
 * The `callback` action of a line (issue 11, item 1): when the line is closed or the wait runs
 * out, the caller's request becomes a call-back appointment for anyone in the line's teams (the
 * number being exactly one donor's), due when the line next opens; otherwise it is recorded on
 * the call for managers. A withheld number gets voicemail.
 */
// Tuesday 10 March 2026, 12:00 UTC (13:00 in Paris): lines open Mon-Fri 09:00-17:00 are open.
const NOON = new Date('2026-03-10T12:00:00Z');
const clock = testClock(NOON);
let t: TestApp;
let admin: ApiUser;
let token: string;

beforeAll(async () => {
  t = await createTestApp({ now: clock.now, env: { LEASE_SECONDS: '3600' } });
  admin = await apiUser(t.app, t.database, 'admin');
  token = (await admin.post('/api/phone-system-tokens', { name: 'Callback PBX' })).body.token;
}, 60_000);

let phones = 100;
/** A London number of the range kept for drama (valid, dialled by nobody), one per call. */
const testPhone = () => `+442079464${String(phones++).padStart(3, '0')}`;

const kit = inboundKit(() => ({ t, admin, token }), {
  clock,
  numberPrefix: '020 7946 3',
  lineDefaults: {
    timeZone: 'Europe/Paris',
    closedAction: 'callback',
    overflowAction: 'callback',
    maxWaitSeconds: 30,
    // Wednesday is a holiday: a caller on Tuesday evening is called back on Thursday.
    closedDates: ['2026-03-11'],
  },
});
const line = (teamIds: number[], over: Record<string, unknown> = {}) =>
  kit.line(teamIds, { name: `Care ${uniqueSuffix()}`, ...over });

/** 20:00 in Paris on Tuesday 10 March: the lines are closed. */
const EVENING = new Date('2026-03-10T19:00:00Z');

/**
 * The phone system offers a call (at `at`, the clock then set back: the signed-in users'
 * sessions were made at noon and would lapse at 19:00).
 */
async function offer(to: string, from: string, callId = `pbx-${uniqueSuffix()}`, at: Date | null = null) {
  const saved = clock.now();
  if (at) clock.set(at);
  try {
    return await send(to, from, callId);
  } finally {
    clock.set(saved);
  }
}

async function send(to: string, from: string, callId: string) {
  return { callId, answer: await kit.offer(to, { from, callId }) };
}

const { callRow } = kit;

async function eventTypes(id: number) {
  const rows = await t.database.db
    .select({ type: inboundCallEvents.type })
    .from(inboundCallEvents)
    .where(eq(inboundCallEvents.inboundCallId, id))
    .orderBy(asc(inboundCallEvents.id));
  return rows.map((r) => r.type);
}

const appointmentsOf = (donorId: number) =>
  t.database.db.select().from(appointments).where(eq(appointments.donorId, donorId));

/** A team with one agent in it, a donor with a number of their own, a callback line answered by the team. */
async function setUp(over: Record<string, unknown> = {}) {
  const agent: Agent = await signedIn(t.app, t.database);
  const team = await createTeam(t.database.db, [agent.user.id]);
  const [donor] = await createDonors(t.database.db, [{ phone: testPhone() }]);
  const l = await line([team.id], over);
  return { agent, team, donor: donor!, line: l };
}

async function managerView(lineId: number, inboundCallId: number) {
  const res = await admin.get<{ inboundCalls: { id: number; from: string; callback: unknown }[] }>(
    `/api/calls/inbound?lineId=${lineId}`,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.inboundCalls.find((c) => c.id === inboundCallId);
}

describe('a closed line with the callback action', () => {
  it("books one call-back for the matched donor at the line's next opening, for anyone in its team; the same offer again books nothing more", async () => {
    const { agent, team, donor, line: l } = await setUp();
    // The caller's number as the phone system sends it, national format on a GB line.
    const national = donor.phone!.replace('+44', '0');
    const first = await offer(l.number, national, undefined, EVENING);
    expect(first.answer).toEqual({ inboundCallId: first.answer.inboundCallId, action: 'closed', then: 'callback' });

    const rows = await appointmentsOf(donor.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      campaignId: l.campaign.id,
      ownerAgentId: null,
      status: 'scheduled',
      createdBy: null,
      // Wednesday 11 is closed: Thursday 12 March, 09:00 in Paris.
      scheduledAt: new Date('2026-03-12T08:00:00Z'),
      notes: `Call-back requested on ${l.name} at 2026-03-10 20:00 (Europe/Paris) from ${donor.phone}`,
    });
    const call = await callRow(first.answer.inboundCallId);
    expect(call.callbackAppointmentId).toBe(rows[0]!.id);
    expect(call.offerAnswer).toEqual(first.answer);
    expect(await eventTypes(call.id)).toEqual(['closed', 'callback_requested']);

    // "Anyone in the team": the General enquiries campaign now has the line's team, and the
    // team's agent sees the call-back among theirs, owned by nobody.
    const teamsOfCampaign = await t.database.db
      .select({ teamId: campaignTeams.teamId })
      .from(campaignTeams)
      .where(eq(campaignTeams.campaignId, l.campaign.id));
    expect(teamsOfCampaign.map((r) => r.teamId)).toContain(team.id);
    const mine = await agent.call('GET', '/api/me/appointments');
    expect(mine.status).toBe(200);
    expect(mine.body).toContainEqual(
      expect.objectContaining({
        id: rows[0]!.id,
        donorId: donor.id,
        ownerAgentId: null,
        status: 'scheduled',
        scheduledAt: '2026-03-12T08:00:00.000Z',
      }),
    );
    // An agent of another team does not see it.
    const stranger = await signedIn(t.app, t.database);
    await createTeam(t.database.db, [stranger.user.id]);
    const theirs = await stranger.call('GET', '/api/me/appointments');
    expect(theirs.body.map((a: { id: number }) => a.id)).not.toContain(rows[0]!.id);

    // The same offer again (the phone system retrying): the same answer, still one call-back.
    const again = await offer(l.number, national, first.callId, EVENING);
    expect(again.answer).toEqual(first.answer);
    expect(await appointmentsOf(donor.id)).toHaveLength(1);
    expect(await eventTypes(call.id)).toEqual(['closed', 'callback_requested']);

    // Managers see the request on the call, with its appointment.
    expect(await managerView(l.id, call.id)).toMatchObject({
      from: national,
      callback: { appointmentId: rows[0]!.id },
    });

    // Made by the system, like the call-backs the dialer books on End Call: not in the audit trail.
    const audited = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'appointment'), eq(auditLog.entityId, rows[0]!.id)));
    expect(audited).toHaveLength(0);

    // A second request from the same donor keeps the one scheduled call-back.
    const second = await offer(l.number, donor.phone!, undefined, EVENING);
    expect(second.answer).toMatchObject({ action: 'closed', then: 'callback' });
    expect(await appointmentsOf(donor.id)).toHaveLength(1);
    expect((await callRow(second.answer.inboundCallId)).callbackAppointmentId).toBe(rows[0]!.id);
    clock.set(NOON);
  });

  it('a caller whose number is no donor, or several donors, gets callback: no appointment, the request listed for managers with the number', async () => {
    const { line: l } = await setUp();
    const shared = testPhone();
    const twins = await createDonors(t.database.db, [{ phone: shared }, { phone: shared }]);
    const nobody = testPhone();
    for (const from of [nobody, shared]) {
      const { answer } = await offer(l.number, from, undefined, EVENING);
      expect(answer).toMatchObject({ action: 'closed', then: 'callback' });
      const call = await callRow(answer.inboundCallId);
      expect(call.callbackAppointmentId).toBeNull();
      expect(await eventTypes(call.id)).toEqual(['closed', 'callback_requested']);
      expect(await managerView(l.id, call.id)).toMatchObject({ from, callback: { appointmentId: null } });
    }
    for (const d of twins) expect(await appointmentsOf(d.id)).toHaveLength(0);
    clock.set(NOON);
  });

  it('the same donor calling twice at once (two call ids) gets one call-back, both calls pointing at it', async () => {
    const { donor, line: l } = await setUp();
    clock.set(EVENING);
    try {
      const both = await Promise.all([
        send(l.number, donor.phone!, `pbx-${uniqueSuffix()}`),
        send(l.number, donor.phone!, `pbx-${uniqueSuffix()}`),
      ]);
      const booked = await appointmentsOf(donor.id);
      expect(booked).toHaveLength(1);
      for (const { answer } of both) {
        expect(answer).toMatchObject({ action: 'closed', then: 'callback' });
        expect((await callRow(answer.inboundCallId)).callbackAppointmentId).toBe(booked[0]!.id);
      }
    } finally {
      clock.set(NOON);
    }
  });

  it('two bookings for one donor interleaved: the second waits for the first (lockDonorForBooking) and finds its call-back', async () => {
    // Explicitly interleaved, so that it fails without the lock: the first transaction books and
    // stays open; the second starts booking meanwhile. With the lock it waits on the donor's row
    // until the first commits, then finds its call-back; without it, it would not see the
    // uncommitted appointment and book a second one.
    const { donor, line: l } = await setUp();
    const booking = createAppointmentsService({ db: t.database.db, now: clock.now });
    const book = (tx: Tx) =>
      booking.bookRequestedCallback(tx, {
        donorId: donor.id,
        campaignId: l.campaign.id,
        scheduledAt: EVENING,
        notes: 'interleaved',
        now: NOON,
      });
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let firstBooked!: () => void;
    const booked = new Promise<void>((r) => (firstBooked = r));
    const first = withTransaction(t.database.db, async (tx) => {
      const r = await book(tx);
      firstBooked();
      await released;
      return r;
    });
    await booked;
    let secondDone = false;
    const second = withTransaction(t.database.db, book).finally(() => {
      secondDone = true;
    });
    // Until the second is blocked on a lock (or has finished without waiting), the first stays open.
    for (let i = 0; i < 200 && !secondDone; i++) {
      const waiting = await t.database.pool.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (waiting.rowCount) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    release();
    const [a, b] = await Promise.all([first, second]);
    expect(a).toMatchObject({ created: true });
    expect(b).toEqual({ appointmentId: a.appointmentId, created: false });
    expect(await appointmentsOf(donor.id)).toHaveLength(1);
  });

  it('a withheld number cannot be called back: voicemail, nothing requested', async () => {
    const { line: l } = await setUp();
    const { answer } = await offer(l.number, 'anonymous', undefined, EVENING);
    expect(answer).toMatchObject({ action: 'closed', then: 'voicemail' });
    const call = await callRow(answer.inboundCallId);
    expect(call.offerAnswer).toEqual(answer);
    expect(call.callbackAppointmentId).toBeNull();
    expect(await eventTypes(call.id)).toEqual(['closed']);
    expect(await managerView(l.id, call.id)).toMatchObject({ callback: null });
    clock.set(NOON);
  });

  it('a voicemail line books nothing', async () => {
    const { donor, line: l } = await setUp({ closedAction: 'voicemail' });
    const { answer } = await offer(l.number, donor.phone!, undefined, EVENING);
    expect(answer).toMatchObject({ action: 'closed', then: 'voicemail' });
    expect(await appointmentsOf(donor.id)).toHaveLength(0);
    expect(await eventTypes(answer.inboundCallId)).toEqual(['closed']);
    clock.set(NOON);
  });
});

describe('the overflow action callback', () => {
  it('a matched caller who waited too long gets one call-back, due now (the line is open); later sweeps book nothing more', async () => {
    // Nobody of the team is signed in: the caller waits in the queue.
    const { agent, donor, line: l } = await setUp();
    clock.set(NOON);
    const { answer } = await offer(l.number, donor.phone!);
    expect(answer).toMatchObject({ action: 'queue' });
    clock.advance(30_000);
    expect((await t.app.inbound.sweep()).overflowed).toBeGreaterThanOrEqual(1);
    const call = await callRow(answer.inboundCallId);
    expect(call).toMatchObject({
      status: 'overflow',
      offerAnswer: { inboundCallId: call.id, action: 'overflow', then: 'callback' },
    });
    const rows = await appointmentsOf(donor.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      campaignId: l.campaign.id,
      ownerAgentId: null,
      scheduledAt: clock.now(),
      notes: `Call-back requested on ${l.name} at 2026-03-10 13:00 (Europe/Paris) from ${donor.phone}`,
    });
    expect(call.callbackAppointmentId).toBe(rows[0]!.id);
    expect(await eventTypes(call.id)).toEqual(['queued', 'overflow', 'callback_requested']);
    const mine = await agent.call('GET', '/api/me/appointments');
    expect(mine.body.map((a: { id: number }) => a.id)).toContain(rows[0]!.id);

    clock.advance(60_000);
    await t.app.inbound.sweep();
    expect(await appointmentsOf(donor.id)).toHaveLength(1);
    expect(await eventTypes(call.id)).toEqual(['queued', 'overflow', 'callback_requested']);
    clock.set(NOON);
  });

  it('a withheld caller who waited too long is answered voicemail', async () => {
    const { line: l } = await setUp();
    clock.set(NOON);
    const { answer } = await offer(l.number, '');
    expect(answer).toMatchObject({ action: 'queue' });
    clock.advance(30_000);
    await t.app.inbound.sweep();
    const call = await callRow(answer.inboundCallId);
    expect(call).toMatchObject({
      status: 'overflow',
      callbackAppointmentId: null,
      offerAnswer: { inboundCallId: call.id, action: 'overflow', then: 'voicemail' },
    });
    expect(await eventTypes(call.id)).toEqual(['queued', 'overflow']);
    clock.set(NOON);
  });
});
