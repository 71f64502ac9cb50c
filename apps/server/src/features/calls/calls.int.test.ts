import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@engage/contracts';
import { createTestApp, testClock, type TestApp } from '../../../test/app';
import { signedIn, type Agent } from '../../../test/agent';

import {
  createCampaign,
  createDonors,
  createSettings,
  createTeam,
  setLegalWindow,
} from '../../../test/dialer-factories';

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

async function leads(managerId: number, teamId: number) {
  await t.database.db.execute(
    sql`insert into team_members (team_id, user_id, is_leader) values (${teamId}, ${managerId}, true)`,
  );
}

/** An agent in a fresh team (led by a fresh manager) working a fresh campaign, ready for calls. */
async function floor(nDonors = 2) {
  const manager = await as('manager');
  const agent = await signedIn(t.app, t.database);
  const team = await createTeam(t.database.db, [agent.user.id]);
  await leads(manager.user.id, team.id);
  const donors = await createDonors(
    t.database.db,
    Array.from({ length: nDonors }, () => ({})),
  );
  const campaign = await createCampaign(t.database, {
    teamIds: [team.id],
    lists: [{ donorIds: donors.map((d) => d.id) }],
  });
  expect((await agent.openShift(s.jobRoleId)).status).toBe(201);
  expect((await agent.ready(team.id, campaign.id)).status).toBe(200);
  return { manager, agent, team, campaign, donors };
}

/** The agent calls the next donor for `seconds` and ends with the end reason. */
async function makeCall(agent: Agent, endReasonId: number, notes: string, seconds = 60) {
  const next = await agent.next();
  expect(next.body.status).toBe('offered');
  const started = await agent.start(next.body.offer.id);
  expect(started.status).toBe(200);
  clock.advance(seconds * 1000);
  const ended = await agent.end(started.body.call.id, { endReasonId, notes });
  expect(ended.status).toBe(200);
  clock.advance(60_000);
  return { call: ended.body, donorId: next.body.offer.donor.id as number };
}

async function queueRow(campaignId: number, donorId: number) {
  const r = await t.database.db.execute(
    sql`select state, finish_reason, next_attempt_at from campaign_donors where campaign_id = ${campaignId} and donor_id = ${donorId}`,
  );
  return r.rows[0];
}

describe('listCalls', () => {
  it('lists the calls of the teams a manager leads, newest first, with who, whom, where, when and how', async () => {
    clock.set(new Date('2026-06-10T12:00:00Z'));
    const a = await floor(2);
    const first = await makeCall(a.agent, s.end.final, 'Thanked her', 95);
    const second = await makeCall(a.agent, s.end.retry, 'No answer');

    const res = await a.manager.call('GET', '/api/calls');
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.calls.map((c: { id: number }) => c.id)).toEqual([second.call.id, first.call.id]);
    const donor = a.donors.find((d) => d.id === first.donorId)!;
    expect(res.body.calls[1]).toEqual({
      id: first.call.id,
      direction: 'outbound',
      agent: { id: a.agent.user.id, name: a.agent.user.name },
      donor: { id: donor.id, name: `${donor.firstName} ${donor.lastName}`, reference: donor.reference },
      line: null,
      inboundCallId: null,
      campaign: { id: a.campaign.id, name: a.campaign.name },
      team: { id: a.team.id, name: a.team.name },
      phoneDialled: donor.phone,
      offeredAt: '2026-06-10T12:00:00.000Z',
      startedAt: '2026-06-10T12:00:00.000Z',
      endedAt: '2026-06-10T12:01:35.000Z',
      durationSeconds: 95,
      endReason: { id: s.end.final, name: expect.stringMatching(/^Concluded/), outcome: 'final' },
      notes: 'Thanked her',
      appointmentId: null,
      corrected: false,
      signalling: null, // placed without a softphone
    });
  });

  it('scopes by the teams led: a manager of team A does not see team B’s calls; an admin sees both', async () => {
    clock.set(new Date('2026-06-10T12:00:00Z'));
    const a = await floor(1);
    const b = await floor(1);
    const callA = (await makeCall(a.agent, s.end.final, 'A')).call;
    const callB = (await makeCall(b.agent, s.end.final, 'B')).call;

    const seenByA = await a.manager.call('GET', '/api/calls');
    expect(seenByA.body.calls.map((c: { id: number }) => c.id)).toEqual([callA.id]);
    const seenByB = await b.manager.call('GET', '/api/calls');
    expect(seenByB.body.calls.map((c: { id: number }) => c.id)).toEqual([callB.id]);

    // A filter for another team's campaign shows nothing rather than leaking it.
    const peek = await a.manager.call('GET', `/api/calls?campaignId=${b.campaign.id}`);
    expect(peek.body.calls).toEqual([]);

    const admin = await as('admin');
    const all = await admin.call('GET', '/api/calls?limit=200');
    const ids = all.body.calls.map((c: { id: number }) => c.id);
    expect(ids).toEqual(expect.arrayContaining([callA.id, callB.id]));

    // Out of scope answers 404, as if the call did not exist.
    const fix = await b.manager.call('PATCH', `/api/calls/${callA.id}`, { notes: 'not mine' });
    expect(fix.status).toBe(404);
    expect(fix.body.code).toBe('not_found');
    const trail = await b.manager.call('GET', `/api/audit?entityType=call&entityId=${callA.id}`);
    expect(trail.status).toBe(404);
  });

  it('a campaign worked by a led team is in scope even when the call was made for another team', async () => {
    clock.set(new Date('2026-06-10T12:00:00Z'));
    const manager = await as('manager');
    const agent = await signedIn(t.app, t.database);
    const led = await createTeam(t.database.db, []);
    const other = await createTeam(t.database.db, [agent.user.id]);
    await leads(manager.user.id, led.id);
    const donors = await createDonors(t.database.db, [{}]);
    const campaign = await createCampaign(t.database, {
      teamIds: [led.id, other.id],
      lists: [{ donorIds: donors.map((d) => d.id) }],
    });
    await agent.openShift(s.jobRoleId);
    await agent.ready(other.id, campaign.id);
    const { call } = await makeCall(agent, s.end.final, 'x');
    const res = await manager.call('GET', '/api/calls');
    expect(res.body.calls.map((c: { id: number }) => c.id)).toEqual([call.id]);
  });

  it('filters by campaign, team, agent, end reason, direction and time, and pages with a cursor', async () => {
    clock.set(new Date('2026-06-12T23:30:00Z')); // 00:30 on the 13th in London
    // A call at 00:30 (a day's first minutes in London): a legal calling window of the whole day.
    await setLegalWindow(t.database, '00:00', '24:00');
    const a = await floor(3);
    // A second campaign of the same team, with its own call.
    const [d] = await createDonors(t.database.db, [{}]);
    const other = await createCampaign(t.database, { teamIds: [a.team.id], lists: [{ donorIds: [d!.id] }] });
    const c1 = (await makeCall(a.agent, s.end.final, 'one')).call;
    clock.set(new Date('2026-06-13T08:00:00Z'));
    const c2 = (await makeCall(a.agent, s.end.retry, 'two')).call;
    const c3 = (await makeCall(a.agent, s.end.final, 'three')).call;
    await a.agent.ready(a.team.id, other.id);
    clock.set(new Date('2026-06-14T08:00:00Z'));
    const c4 = (await makeCall(a.agent, s.end.final, 'four')).call;

    const ids = async (query: string) => {
      const res = await a.manager.call('GET', `/api/calls?${query}`);
      expect(res.status).toBe(200);
      return res.body.calls.map((c: { id: number }) => c.id) as number[];
    };
    expect(await ids('')).toEqual([c4.id, c3.id, c2.id, c1.id]);
    expect(await ids(`campaignId=${a.campaign.id}`)).toEqual([c3.id, c2.id, c1.id]);
    expect(await ids(`teamId=${a.team.id}`)).toEqual([c4.id, c3.id, c2.id, c1.id]);
    expect(await ids(`agentId=${a.agent.user.id}&endReasonId=${s.end.retry}`)).toEqual([c2.id]);
    expect(await ids(`agentId=${a.manager.user.id}`)).toEqual([]);
    expect(await ids('direction=inbound')).toEqual([]);
    expect(await ids('direction=outbound')).toHaveLength(4);
    // Dates are whole days in the given zone, `to` included; instants are exact bounds.
    expect(await ids('from=2026-06-13&to=2026-06-13')).toEqual([c3.id, c2.id]);
    expect(await ids('from=2026-06-13&to=2026-06-13&timeZone=Europe/London')).toEqual([c3.id, c2.id, c1.id]);
    // The same time-zone rule as a donor's field (contracts' time-zones.ts): any case reads the zone.
    expect(await ids('from=2026-06-13&to=2026-06-13&timeZone=europe/london')).toEqual([c3.id, c2.id, c1.id]);
    expect(await ids('from=2026-06-13T08:01:00Z')).toEqual([c4.id, c3.id]);
    expect(await ids('to=2026-06-13T08:00:00Z')).toEqual([c1.id]);

    const p1 = await a.manager.call('GET', '/api/calls?limit=3');
    expect(p1.body.calls.map((c: { id: number }) => c.id)).toEqual([c4.id, c3.id, c2.id]);
    expect(p1.body.nextCursor).toEqual(expect.any(String));
    const p2 = await a.manager.call('GET', `/api/calls?limit=3&cursor=${p1.body.nextCursor}`);
    expect(p2.body).toEqual({ calls: [expect.objectContaining({ id: c1.id })], nextCursor: null });

    const bad = await a.manager.call('GET', '/api/calls?cursor=nonsense');
    expect(bad.status).toBe(400);
    const zone = await a.manager.call('GET', '/api/calls?from=2026-06-13&timeZone=Mars/Olympus');
    expect(zone.status).toBe(400);
    expect(zone.body.message).toMatch(/not a time zone/);
    // An offset is not a zone: it does not follow daylight saving.
    const offset = await a.manager.call('GET', `/api/calls?from=2026-06-13&timeZone=${encodeURIComponent('UTC+1')}`);
    expect(offset.status).toBe(400);
    expect(offset.body.message).toMatch(/Use an IANA name such as Europe\/London/);
    const backwards = await a.manager.call('GET', '/api/calls?from=2026-06-14&to=2026-06-13');
    expect(backwards.status).toBe(400);
    expect((await a.manager.call('GET', '/api/calls?direction=sideways')).status).toBe(400);
    await setLegalWindow(t.database);
  });

  it('agents get 403 on every manager route', async () => {
    const agent = await signedIn(t.app, t.database);
    expect((await agent.call('GET', '/api/calls')).status).toBe(403);
    expect((await agent.call('GET', '/api/audit?entityType=call&entityId=1')).status).toBe(403);
    const res = await t.app.inject({ method: 'PATCH', url: '/api/calls/1', payload: { notes: 'x' } });
    expect(res.statusCode).toBe(401);
    const asAgent = await as('agent');
    const patched = await asAgent.call('PATCH', '/api/calls/1', { notes: 'x' });
    expect(patched.status).toBe(403);
    expect(patched.body.code).toBe('forbidden');
  });
});

describe('updateCall', () => {
  it('corrects the end reason and notes, keeps before and after in the audit trail; unticked, the dialer is not re-run', async () => {
    clock.set(new Date('2026-06-10T12:00:00Z'));
    const a = await floor(1);
    const { call, donorId } = await makeCall(a.agent, s.end.final, 'Thanked her');
    expect(await queueRow(a.campaign.id, donorId)).toMatchObject({ state: 'finished', finish_reason: 'final' });

    clock.set(new Date('2026-06-10T13:00:00Z'));
    const fixed = await a.manager.call('PATCH', `/api/calls/${call.id}`, {
      endReasonId: s.end.retry,
      notes: 'Actually no answer',
      applyOutcome: false,
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({
      id: call.id,
      endReason: { id: s.end.retry, outcome: 'retry' },
      notes: 'Actually no answer',
      corrected: true,
      endedAt: call.endedAt,
    });
    // A correction of the record only: the donor stays finished; no retry was queued.
    expect(await queueRow(a.campaign.id, donorId)).toMatchObject({ state: 'finished', finish_reason: 'final' });

    clock.set(new Date('2026-06-10T14:00:00Z'));
    const again = await a.manager.call('PATCH', `/api/calls/${call.id}`, { notes: 'No answer, voicemail' });
    expect(again.status).toBe(200);

    const trail = await a.manager.call('GET', `/api/audit?entityType=call&entityId=${call.id}`);
    expect(trail.status).toBe(200);
    const concluded = (await a.manager.call('GET', '/api/end-reasons')).body.find(
      (r: { id: number }) => r.id === s.end.final,
    ).name;
    const noAnswer = fixed.body.endReason.name;
    expect(trail.body).toEqual({
      entityType: 'call',
      entityId: call.id,
      entries: [
        {
          id: expect.any(Number),
          at: '2026-06-10T14:00:00.000Z',
          action: 'update',
          actor: { id: a.manager.user.id, name: a.manager.user.name },
          before: { endReasonId: s.end.retry, endReasonName: noAnswer, notes: 'Actually no answer' },
          after: { endReasonId: s.end.retry, endReasonName: noAnswer, notes: 'No answer, voicemail' },
        },
        {
          id: expect.any(Number),
          at: '2026-06-10T13:00:00.000Z',
          action: 'update',
          actor: { id: a.manager.user.id, name: a.manager.user.name },
          before: { endReasonId: s.end.final, endReasonName: concluded, notes: 'Thanked her' },
          after: {
            endReasonId: s.end.retry,
            endReasonName: noAnswer,
            notes: 'Actually no answer',
            outcomeApplied: false,
            outcome: expect.stringMatching(/^Record only/),
          },
        },
      ],
    });

    // The same values again change nothing and leave no record.
    await a.manager.call('PATCH', `/api/calls/${call.id}`, { notes: 'No answer, voicemail' });
    expect((await a.manager.call('GET', `/api/audit?entityType=call&entityId=${call.id}`)).body.entries).toHaveLength(
      2,
    );

    // An admin can correct any call and reads the same trail.
    const admin = await as('admin');
    expect((await admin.call('PATCH', `/api/calls/${call.id}`, { notes: 'Admin note' })).status).toBe(200);
    const adminTrail = await admin.call('GET', `/api/audit?entityType=call&entityId=${call.id}`);
    expect(adminTrail.body.entries[0]).toMatchObject({ actor: { id: admin.user.id }, after: { notes: 'Admin note' } });
  });

  it('refuses a call in progress (409 invalid_transition), a retired or unknown end reason, and an empty correction', async () => {
    clock.set(new Date('2026-06-10T12:00:00Z'));
    const a = await floor(2);
    const { call } = await makeCall(a.agent, s.end.final, 'done');
    const next = await a.agent.next();
    const open = (await a.agent.start(next.body.offer.id)).body.call;

    const busy = await a.manager.call('PATCH', `/api/calls/${open.id}`, { notes: 'too early' });
    expect(busy.status).toBe(409);
    expect(busy.body.code).toBe('invalid_transition');
    expect(busy.body.message).toMatch(/End the call first/);
    const listed = await a.manager.call('GET', '/api/calls');
    expect(listed.body.calls[0]).toMatchObject({ id: open.id, endedAt: null, durationSeconds: null, endReason: null });

    const unknown = await a.manager.call('PATCH', `/api/calls/${call.id}`, { endReasonId: 999999 });
    expect(unknown.status).toBe(409);
    expect(unknown.body.code).toBe('reason_not_available');
    const [retired] = (
      await t.database.db.execute(
        sql`insert into end_reasons (name, outcome, retired_at) values (${`Old ${call.id}`}, 'final', now()) returning id`,
      )
    ).rows as { id: number }[];
    const old = await a.manager.call('PATCH', `/api/calls/${call.id}`, { endReasonId: retired!.id });
    expect(old.body.code).toBe('reason_not_available');
    const [system] = (await t.database.db.execute(sql`select id from end_reasons where system_key = 'manager'`))
      .rows as { id: number }[];
    const bySystem = await a.manager.call('PATCH', `/api/calls/${call.id}`, { endReasonId: system!.id });
    expect(bySystem.body.code).toBe('reason_not_available');

    const empty = await a.manager.call('PATCH', `/api/calls/${call.id}`, {});
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('validation_failed');
    const missing = await a.manager.call('PATCH', '/api/calls/99999999', { notes: 'x' });
    expect(missing.status).toBe(404);
    expect((await a.manager.call('GET', `/api/audit?entityType=call&entityId=${call.id}`)).body.entries).toEqual([]);
  });
});

describe("updateCall: the new end reason's outcome", () => {
  async function doNotCall(donorId: number) {
    const r = await t.database.db.execute(sql`select do_not_call from donors where id = ${donorId}`);
    return (r.rows[0] as { do_not_call: boolean }).do_not_call;
  }
  async function queueRows(donorId: number) {
    const r = await t.database.db.execute(
      sql`select campaign_id, state, finish_reason, blocked, held_by_shift_id is not null as held
            from campaign_donors where donor_id = ${donorId} order by campaign_id`,
    );
    return r.rows as {
      campaign_id: number;
      state: string;
      finish_reason: string | null;
      blocked: boolean;
      held: boolean;
    }[];
  }
  const trail = async (who: Agent, type: string, id: number) =>
    (await who.call<{ entries: Record<string, unknown>[] }>('GET', `/api/audit?entityType=${type}&entityId=${id}`)).body
      .entries;

  it('to do not call: marks the donor and takes them out of every campaign queue at once, as End Call does; audited on the call and the donor', async () => {
    clock.set(new Date('2026-06-10T12:00:00Z'));
    const a = await floor(1);
    const { call, donorId } = await makeCall(a.agent, s.end.retry, 'No answer');
    // The same donor is on a second campaign, worked by another team.
    const b = await floor(0);
    const second = await createCampaign(t.database, { teamIds: [b.team.id], lists: [{ donorIds: [donorId] }] });
    expect((await b.agent.ready(b.team.id, second.id)).status).toBe(200);

    const fixed = await a.manager.call('PATCH', `/api/calls/${call.id}`, { endReasonId: s.end.dnc });
    expect(fixed.status).toBe(200);
    expect(fixed.body.endReason).toMatchObject({ id: s.end.dnc, outcome: 'do_not_call' });
    expect(fixed.body.outcome).toEqual({
      applied: true,
      donorMarkedDoNotCall: true,
      queue: 'finished',
      nextAttemptAt: null,
      message: expect.stringMatching(/now marked do not call: no campaign will offer them/),
    });

    expect(await doNotCall(donorId)).toBe(true);
    expect(await queueRows(donorId)).toEqual([
      { campaign_id: a.campaign.id, state: 'finished', finish_reason: 'do_not_call', blocked: true, held: false },
      { campaign_id: second.id, state: 'queued', finish_reason: null, blocked: true, held: false },
    ]);
    // The other campaign's agent is not offered the donor any more.
    expect((await b.agent.next()).body.status).toBe('out_of_data');

    const callTrail = await trail(a.manager, 'call', call.id);
    expect(callTrail[0]).toMatchObject({
      action: 'update',
      actor: { id: a.manager.user.id },
      before: { endReasonId: s.end.retry },
      after: { endReasonId: s.end.dnc, outcomeApplied: true, outcome: fixed.body.outcome.message },
    });
    const donorTrail = await trail(a.manager, 'donor', donorId);
    expect(donorTrail).toEqual([
      {
        id: expect.any(Number),
        at: '2026-06-10T12:02:00.000Z',
        action: 'update',
        actor: { id: a.manager.user.id, name: a.manager.user.name },
        before: { do_not_call: false },
        after: { do_not_call: true, why: `Call #${call.id} corrected to "${fixed.body.endReason.name}"` },
      },
    ]);
  });

  it('to a final reason: no more retries in the campaign', async () => {
    clock.set(new Date('2026-06-10T12:00:00Z'));
    const a = await floor(1);
    const { call, donorId } = await makeCall(a.agent, s.end.retry, 'No answer');
    expect(await queueRow(a.campaign.id, donorId)).toMatchObject({ state: 'queued' });

    const fixed = await a.manager.call('PATCH', `/api/calls/${call.id}`, { endReasonId: s.end.final });
    expect(fixed.body.outcome).toMatchObject({ applied: true, donorMarkedDoNotCall: false, queue: 'finished' });
    expect(fixed.body.outcome.message).toMatch(/will not be called again in "Campaign/);
    expect(await queueRow(a.campaign.id, donorId)).toMatchObject({ state: 'finished', finish_reason: 'final' });
    expect(await doNotCall(donorId)).toBe(false);

    // Long after the retry would have come, the donor is not offered.
    clock.set(new Date('2026-06-10T15:00:00Z'));
    expect((await a.agent.next()).body.status).toBe('out_of_data');
  });

  it("to a retry reason: the donor is queued again after the reason's minutes", async () => {
    clock.set(new Date('2026-06-10T12:00:00Z'));
    const a = await floor(1);
    const { call, donorId } = await makeCall(a.agent, s.end.final, 'Thanked her');
    expect(await queueRow(a.campaign.id, donorId)).toMatchObject({ state: 'finished', finish_reason: 'final' });

    clock.set(new Date('2026-06-10T12:30:00Z'));
    const fixed = await a.manager.call('PATCH', `/api/calls/${call.id}`, { endReasonId: s.end.retry });
    expect(fixed.body.outcome).toMatchObject({
      applied: true,
      queue: 'requeued',
      nextAttemptAt: '2026-06-10T13:30:00.000Z',
    });
    expect(fixed.body.outcome.message).toMatch(/queued again in "Campaign .*" from 2026-06-10 13:30 UTC/);
    const row = await queueRow(a.campaign.id, donorId);
    expect(row).toMatchObject({ state: 'queued', finish_reason: null });
    expect(new Date(String(row!.next_attempt_at)).toISOString()).toBe('2026-06-10T13:30:00.000Z');

    expect((await a.agent.next()).body.status).toBe('out_of_data');
    clock.set(new Date('2026-06-10T13:30:00Z'));
    const next = await a.agent.next();
    expect(next.body).toMatchObject({ status: 'offered', offer: { donor: { id: donorId } } });
  });

  it('from do not call to a retry reason: queued again, but the donor stays marked, and the answer says so', async () => {
    clock.set(new Date('2026-06-10T12:00:00Z'));
    const a = await floor(1);
    const { call, donorId } = await makeCall(a.agent, s.end.dnc, 'Asked not to be called');
    expect(await doNotCall(donorId)).toBe(true);

    const fixed = await a.manager.call('PATCH', `/api/calls/${call.id}`, { endReasonId: s.end.retry });
    expect(fixed.body.outcome).toMatchObject({ applied: true, donorMarkedDoNotCall: false, queue: 'requeued' });
    expect(fixed.body.outcome.message).toMatch(/still marked do not call.*changed on the donor page/);
    expect(await doNotCall(donorId)).toBe(true);
    expect((await queueRows(donorId))[0]).toMatchObject({ state: 'queued', finish_reason: null, blocked: true });
  });

  it('a call-back booked on the call keeps the donor queued for it; do not call cancels it (audited on the call-back)', async () => {
    clock.set(new Date('2026-06-10T12:00:00Z'));
    const a = await floor(1);
    const next = await a.agent.next();
    const donorId = next.body.offer.donor.id as number;
    const started = await a.agent.start(next.body.offer.id);
    clock.advance(60_000);
    const ended = await a.agent.end(started.body.call.id, {
      endReasonId: s.end.appointment,
      appointment: { scheduledAt: '2026-06-11T10:00:00Z', personal: false },
    });
    expect(ended.status).toBe(200);
    const callId = started.body.call.id as number;
    const booked = (await t.database.db.execute(sql`select id from appointments where booked_call_id = ${callId}`))
      .rows[0] as { id: number };

    const toFinal = await a.manager.call('PATCH', `/api/calls/${callId}`, { endReasonId: s.end.final });
    expect(toFinal.body.outcome).toMatchObject({
      applied: true,
      queue: 'callback',
      nextAttemptAt: '2026-06-11T10:00:00.000Z',
    });
    expect(toFinal.body.outcome.message).toMatch(/stays queued .* for the call-back booked on this call/);
    expect(await queueRow(a.campaign.id, donorId)).toMatchObject({ state: 'queued', finish_reason: null });

    const toDnc = await a.manager.call('PATCH', `/api/calls/${callId}`, { endReasonId: s.end.dnc });
    expect(toDnc.body.outcome).toMatchObject({ donorMarkedDoNotCall: true, queue: 'finished' });
    expect(toDnc.body.outcome.message).toMatch(/call-back booked on this call was cancelled/);
    const appt = await t.database.db.execute(sql`select status from appointments where id = ${booked.id}`);
    expect(appt.rows[0]).toEqual({ status: 'cancelled' });
    expect((await trail(a.manager, 'appointment', booked.id))[0]).toMatchObject({
      action: 'cancel',
      actor: { id: a.manager.user.id },
      before: { status: 'scheduled' },
      after: { status: 'cancelled' },
    });
  });

  it('unticked: only the record changes (no flag, no queue change), and the audit says so', async () => {
    clock.set(new Date('2026-06-10T12:00:00Z'));
    const a = await floor(1);
    const { call, donorId } = await makeCall(a.agent, s.end.retry, 'No answer');
    const before = await queueRow(a.campaign.id, donorId);

    const fixed = await a.manager.call('PATCH', `/api/calls/${call.id}`, {
      endReasonId: s.end.dnc,
      applyOutcome: false,
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body.endReason).toMatchObject({ id: s.end.dnc });
    expect(fixed.body.outcome).toMatchObject({ applied: false, donorMarkedDoNotCall: false, queue: 'unchanged' });
    expect(await doNotCall(donorId)).toBe(false);
    expect(await queueRow(a.campaign.id, donorId)).toEqual(before);
    expect((await queueRows(donorId))[0]).toMatchObject({ blocked: false });
    expect((await trail(a.manager, 'call', call.id))[0]!.after).toMatchObject({
      outcomeApplied: false,
      outcome: expect.stringMatching(/^Record only/),
    });
    expect(await trail(a.manager, 'donor', donorId)).toEqual([]);
    // A notes-only correction has no outcome at all.
    const notes = await a.manager.call('PATCH', `/api/calls/${call.id}`, { notes: 'Voicemail' });
    expect(notes.body.outcome).toBeNull();
  });

  it('what happened since wins: a hold is never broken, a later call stands, do not call still marks the donor', async () => {
    clock.set(new Date('2026-06-10T12:00:00Z'));
    const a = await floor(1);
    const first = await makeCall(a.agent, s.end.retry, 'No answer');
    const donorId = first.donorId;

    // The retry has come and the donor is on the agent's screen again: the correction leaves the hold alone.
    clock.set(new Date('2026-06-10T13:05:00Z'));
    const offer = await a.agent.next();
    expect(offer.body.offer.donor.id).toBe(donorId);
    const whileHeld = await a.manager.call('PATCH', `/api/calls/${first.call.id}`, { endReasonId: s.end.final });
    expect(whileHeld.body.outcome).toMatchObject({ applied: true, queue: 'unchanged' });
    expect(whileHeld.body.outcome.message).toMatch(/with an agent right now/);
    expect((await queueRows(donorId))[0]).toMatchObject({ state: 'queued', held: true });

    // The agent calls and ends with a final reason: the later call's outcome stands against a correction of the first.
    const started = await a.agent.start(offer.body.offer.id);
    const second = await a.agent.end(started.body.call.id, { endReasonId: s.end.final });
    expect(second.status).toBe(200);
    const later = await a.manager.call('PATCH', `/api/calls/${first.call.id}`, { endReasonId: s.end.retry });
    expect(later.body.outcome).toMatchObject({ queue: 'unchanged' });
    expect(later.body.outcome.message).toMatch(/called in "Campaign .*" since this call/);
    expect(await queueRow(a.campaign.id, donorId)).toMatchObject({ state: 'finished', finish_reason: 'final' });

    // Do not call is the donor's wish: it marks them even so.
    const dnc = await a.manager.call('PATCH', `/api/calls/${first.call.id}`, { endReasonId: s.end.dnc });
    expect(dnc.body.outcome).toMatchObject({ donorMarkedDoNotCall: true, queue: 'unchanged' });
    expect(await doNotCall(donorId)).toBe(true);
    expect((await queueRows(donorId))[0]).toMatchObject({ state: 'finished', finish_reason: 'final', blocked: true });

    // A call-back reason with no call-back booked on the call leaves the queue as it is.
    const c = await floor(1);
    const kept = await makeCall(c.agent, s.end.final, 'Thanked her');
    const toCallback = await c.manager.call('PATCH', `/api/calls/${kept.call.id}`, {
      endReasonId: s.end.appointment,
    });
    expect(toCallback.body.outcome).toMatchObject({ applied: true, queue: 'unchanged' });
    expect(toCallback.body.outcome.message).toMatch(/No call-back is booked on this call/);
    expect(await queueRow(c.campaign.id, kept.donorId)).toMatchObject({ state: 'finished', finish_reason: 'final' });
  });
});
