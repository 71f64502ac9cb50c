import { sql } from 'drizzle-orm';
import type { FloorAgent } from '@engage/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, testClock, type TestApp } from '../../../test/app';
import { signedIn, type Agent } from '../../../test/agent';
import { createCampaign, createDonors, createSettings, createTeam } from '../../../test/dialer-factories';

/**
 * Agents who are gone (disabled, or their browser closed) leave the floor and free their donor,
 * and a manager can sign an agent out, end their call or release their donor from the floor.
 */
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

async function leads(managerId: number, teamId: number) {
  await t.database.db.execute(
    sql`insert into team_members (team_id, user_id, is_leader) values (${teamId}, ${managerId}, true)`,
  );
}

/** An agent of a fresh team (led by a fresh manager) working a fresh campaign, and a colleague ready on it. */
async function setup(n = 1) {
  const manager = await signedIn(t.app, t.database, 'manager');
  const agent = await signedIn(t.app, t.database);
  const colleague = await signedIn(t.app, t.database);
  const team = await createTeam(t.database.db, [agent.user.id, colleague.user.id]);
  await leads(manager.user.id, team.id);
  const donors = await createDonors(
    t.database.db,
    Array.from({ length: n }, () => ({})),
  );
  const campaign = await createCampaign(t.database, {
    teamIds: [team.id],
    lists: [{ donorIds: donors.map((d) => d.id) }],
    holdSeconds: 600,
  });
  for (const a of [agent, colleague]) {
    expect((await a.openShift(s.jobRoleId)).status).toBe(201);
    expect((await a.ready(team.id, campaign.id)).status).toBe(200);
  }
  return { manager, agent, colleague, team, campaign, donors };
}

async function onCall(agent: Agent) {
  const offer = await agent.next();
  expect(offer.body.status).toBe('offered');
  const started = await agent.start(offer.body.offer.id);
  expect(started.status).toBe(200);
  return { donorId: offer.body.offer.donor.id as number, callId: started.body.call.id as number };
}

async function callRecord(callId: number) {
  const r = await t.database.db.execute(sql`
    select cl.ended_at, er.name as end_reason
      from calls cl left join end_reasons er on er.id = cl.end_reason_id where cl.id = ${callId}`);
  const row = r.rows[0] as { ended_at: string | null; end_reason: string | null };
  return { ...row, ended_at: row.ended_at === null ? null : new Date(row.ended_at) };
}

/** Whether anyone holds the donor, and when the queue offers them next. */
async function hold(campaignId: number, donorId: number) {
  const r = await t.database.db.execute(sql`
    select cd.held_by_shift_id, cd.next_attempt_at, cd.state,
           (select count(*) from donor_holds h where h.donor_id = ${donorId})::int as holds
      from campaign_donors cd where cd.campaign_id = ${campaignId} and cd.donor_id = ${donorId}`);
  return r.rows[0] as { held_by_shift_id: number | null; next_attempt_at: Date; state: string; holds: number };
}

async function floorOf(viewer: Agent, agentId: number) {
  const floor = await viewer.call<{ agents: FloorAgent[] }>('GET', '/api/floor');
  expect(floor.status).toBe(200);
  return floor.body.agents.find((a) => a.agentId === agentId) ?? null;
}

async function auditOf(entityType: string, entityId: number, action: string) {
  const r = await t.database.db.execute(sql`
    select actor_id, before, after, at from audit_log
     where entity_type = ${entityType} and entity_id = ${entityId} and action = ${action} order by id`);
  return (r.rows as { actor_id: number; before: any; after: any; at: string }[]).map((x) => ({
    ...x,
    at: new Date(x.at),
  }));
}

const shiftIdOf = async (agent: Agent) => (await agent.shift()).body.id as number;

describe('disabling an agent', () => {
  it('ends their shift at once: the open call ended and kept on record, the donor released, the floor empty of them', async () => {
    const { manager, agent, colleague, campaign } = await setup();
    const admin = await signedIn(t.app, t.database, 'admin');
    const { donorId, callId } = await onCall(agent);
    const shiftId = await shiftIdOf(agent);
    expect(await floorOf(manager, agent.user.id)).toMatchObject({ state: 'on_call' });

    const disabled = await admin.call('POST', `/api/users/${agent.user.id}/disable`);
    expect(disabled.status).toBe(200);

    expect(await floorOf(manager, agent.user.id), 'gone from the floor').toBeNull();
    expect(await floorOf(admin, agent.user.id)).toBeNull();
    expect(await callRecord(callId)).toMatchObject({ ended_at: clock.now(), end_reason: 'Ended by a manager' });
    // Released with the reason's retry: nobody holds the donor, offered again in a few minutes.
    expect(await hold(campaign.id, donorId)).toMatchObject({ held_by_shift_id: null, holds: 0, state: 'queued' });
    expect((await colleague.next()).body.status).toBe('out_of_data');
    clock.advance(5 * 60_000);
    const again = await colleague.next();
    expect(again.body.offer.donor.id).toBe(donorId);
    const [entry] = await auditOf('user', agent.user.id, 'disable');
    expect(entry!.after).toMatchObject({ disabled: true, shiftsEnded: [shiftId] });
  });

  it('releases a donor waiting on their screen to the pool at once', async () => {
    const { agent, colleague, campaign } = await setup();
    const admin = await signedIn(t.app, t.database, 'admin');
    const offer = await agent.next();
    const donorId = offer.body.offer.donor.id;
    expect((await admin.call('POST', `/api/users/${agent.user.id}/disable`)).status).toBe(200);
    expect(await hold(campaign.id, donorId)).toMatchObject({ held_by_shift_id: null, holds: 0 });
    expect((await colleague.next()).body.offer.donor.id).toBe(donorId);
    const offers = await t.database.db.execute(sql`select status from offers where id = ${offer.body.offer.id}`);
    expect(offers.rows[0]).toEqual({ status: 'released' });
  });
});

describe('an agent whose browser is gone', () => {
  it('shows on the floor as disconnected since the lease ran out, and is not counted as connected', async () => {
    const { manager, agent } = await setup();
    expect(await floorOf(manager, agent.user.id)).toMatchObject({ connected: true, disconnectedSince: null });
    const leaseEnd = new Date(clock.now().getTime() + 45_000);
    clock.advance(50_000);
    expect(await floorOf(manager, agent.user.id)).toMatchObject({
      state: 'ready',
      connected: false,
      disconnectedSince: leaseEnd.toISOString(),
    });
    expect((await agent.call('POST', '/api/shift/heartbeat')).status).toBe(204);
    expect(await floorOf(manager, agent.user.id)).toMatchObject({ connected: true, disconnectedSince: null });
  });

  it('has their open call ended by the system once the set time has passed, once, by the sweep', async () => {
    const { manager, agent, campaign } = await setup();
    const { donorId, callId } = await onCall(agent);
    clock.advance(45_000 + 9 * 60_000); // 9 minutes since the lease ran out
    expect((await t.app.dialer.sweep({ openCallAbandonMinutes: 10 })).endedCalls).toBe(0);
    expect(await callRecord(callId)).toMatchObject({ ended_at: null });
    expect(await floorOf(manager, agent.user.id)).toMatchObject({ state: 'on_call', connected: false });

    clock.advance(2 * 60_000);
    const [first, second] = await Promise.all([
      t.app.dialer.sweep({ openCallAbandonMinutes: 10 }),
      t.app.dialer.sweep({ openCallAbandonMinutes: 10 }),
    ]);
    expect(first.endedCalls + second.endedCalls, 'ended once, whichever instance swept').toBe(1);
    expect(await callRecord(callId)).toMatchObject({ ended_at: clock.now(), end_reason: 'Ended by the system' });
    expect(await hold(campaign.id, donorId)).toMatchObject({ held_by_shift_id: null, holds: 0, state: 'queued' });
    expect(await floorOf(manager, agent.user.id)).toMatchObject({ state: 'ready', connected: false });
    expect((await t.app.dialer.sweep({ openCallAbandonMinutes: 10 })).endedCalls).toBe(0);
  });
});

describe('the system end reasons', () => {
  it('are not offered to agents, nor accepted from them, nor listed in the settings', async () => {
    const { agent } = await setup();
    const admin = await signedIn(t.app, t.database, 'admin');
    const { callId } = await onCall(agent);
    const system = await t.database.db.execute(sql`select id from end_reasons where system_key is not null`);
    const ids = system.rows.map((r) => (r as { id: number }).id);
    expect(ids).toHaveLength(2);
    const offered = (await agent.call('GET', '/api/end-reasons')).body;
    expect(offered.map((r: { id: number }) => r.id)).not.toEqual(expect.arrayContaining([ids[0]]));
    const all = (await admin.call('GET', '/api/settings/end-reasons')).body;
    expect(JSON.stringify(all)).not.toContain('Ended by');
    const refused = await agent.end(callId, { endReasonId: ids[0] });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('reason_not_available');
  });
});

describe("a manager's actions on the floor", () => {
  it('Sign out: ends the open call on record, releases the donor, closes the shift, audited', async () => {
    const { manager, agent, campaign } = await setup();
    const { donorId, callId } = await onCall(agent);
    const shiftId = await shiftIdOf(agent);
    const res = await manager.call('POST', `/api/floor/shifts/${shiftId}/sign-out`);
    expect(res.status).toBe(204);
    expect(await floorOf(manager, agent.user.id)).toBeNull();
    expect(await callRecord(callId)).toMatchObject({ ended_at: clock.now(), end_reason: 'Ended by a manager' });
    expect(await hold(campaign.id, donorId)).toMatchObject({ held_by_shift_id: null, holds: 0 });
    expect((await agent.shift()).status).toBe(200);
    expect((await agent.shift()).body).toBeNull();
    expect(await auditOf('shift', shiftId, 'end_shift')).toEqual([
      {
        actor_id: manager.user.id,
        before: { agentId: agent.user.id, state: 'on_call', callId, offerId: null },
        after: { state: 'signed_out', callId: null, offerId: null },
        at: clock.now(),
      },
    ]);
  });

  it('End call: the call ended on record, the donor released, the agent ready to carry on; audited', async () => {
    const { manager, agent, campaign } = await setup(2);
    const { donorId, callId } = await onCall(agent);
    const shiftId = await shiftIdOf(agent);
    expect((await manager.call('POST', `/api/floor/shifts/${shiftId}/end-call`)).status).toBe(204);
    expect(await callRecord(callId)).toMatchObject({ end_reason: 'Ended by a manager' });
    expect(await hold(campaign.id, donorId)).toMatchObject({ held_by_shift_id: null, holds: 0 });
    expect(await floorOf(manager, agent.user.id)).toMatchObject({ state: 'ready', donorName: null });
    expect((await agent.shift()).body).toMatchObject({ state: 'ready', call: null });
    expect((await agent.end(callId, { endReasonId: s.end.final })).body.code).toBe('call_already_ended');
    expect((await agent.next()).body.status).toBe('offered');
    expect((await auditOf('shift', shiftId, 'end_call'))[0]).toMatchObject({
      actor_id: manager.user.id,
      before: { state: 'on_call', callId },
      after: { state: 'ready', callId: null },
    });
    // Nothing to end now: said so, and nothing recorded.
    const none = await manager.call('POST', `/api/floor/shifts/${shiftId}/end-call`);
    expect(none.status).toBe(404);
    expect(none.body.code).toBe('call_not_found');
    expect(await auditOf('shift', shiftId, 'end_call')).toHaveLength(1);
  });

  it('Release donor: the donor on screen goes back to the pool at once, the agent is ready; audited', async () => {
    const { manager, agent, colleague, campaign } = await setup();
    const offer = await agent.next();
    const donorId = offer.body.offer.donor.id;
    const shiftId = await shiftIdOf(agent);
    expect((await manager.call('POST', `/api/floor/shifts/${shiftId}/release-donor`)).status).toBe(204);
    expect(await hold(campaign.id, donorId)).toMatchObject({ held_by_shift_id: null, holds: 0 });
    const theirs = await colleague.next();
    expect(theirs.body.offer.donor.id).toBe(donorId);
    expect(await floorOf(manager, agent.user.id)).toMatchObject({ state: 'ready' });
    expect((await agent.start(offer.body.offer.id)).body.code).toBe('offer_expired');
    expect((await auditOf('shift', shiftId, 'release_donor'))[0]).toMatchObject({
      actor_id: manager.user.id,
      before: { state: 'previewing', offerId: offer.body.offer.id },
      after: { state: 'ready', offerId: null },
    });
    // On a call, the donor is released by ending the call.
    const call = (await colleague.start(theirs.body.offer.id)).body.call as { id: number };
    const onCallRes = await manager.call('POST', `/api/floor/shifts/${await shiftIdOf(colleague)}/release-donor`);
    expect(onCallRes.status).toBe(409);
    expect(onCallRes.body.code).toBe('call_open');
    expect(onCallRes.body.message).toMatch(/End call/);
    expect(await callRecord(call.id)).toMatchObject({ ended_at: null });
  });

  it("only for shifts the manager sees in full: another team's answers as a missing shift, and nothing changes", async () => {
    const { agent, team } = await setup();
    const { callId } = await onCall(agent);
    const shiftId = await shiftIdOf(agent);
    const otherManager = await signedIn(t.app, t.database, 'manager');
    const otherTeam = await createTeam(t.database.db, []);
    await leads(otherManager.user.id, otherTeam.id);
    // A manager of another team the agent is also a member of: the agent works for `team`, not theirs.
    const sharing = await signedIn(t.app, t.database, 'manager');
    const sharedTeam = await createTeam(t.database.db, [agent.user.id]);
    await leads(sharing.user.id, sharedTeam.id);
    expect(team.id).not.toBe(sharedTeam.id);

    const missing = await otherManager.call('POST', '/api/floor/shifts/999999/sign-out');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('not_found');
    for (const who of [otherManager, sharing]) {
      for (const action of ['sign-out', 'end-call', 'release-donor']) {
        const res = await who.call('POST', `/api/floor/shifts/${shiftId}/${action}`);
        expect(res.status, action).toBe(404);
        expect({ code: res.body.code, message: res.body.message }).toEqual({
          code: missing.body.code,
          message: missing.body.message,
        });
      }
    }
    expect((await agent.call('POST', `/api/floor/shifts/${shiftId}/sign-out`)).status).toBe(403);
    expect(await callRecord(callId)).toMatchObject({ ended_at: null });
    const audited = await t.database.db.execute(
      sql`select count(*)::int as n from audit_log where entity_type = 'shift' and entity_id = ${shiftId}`,
    );
    expect(audited.rows[0]).toEqual({ n: 0 });
    // An administrator may act on any shift.
    const admin = await signedIn(t.app, t.database, 'admin');
    expect((await admin.call('POST', `/api/floor/shifts/${shiftId}/end-call`)).status).toBe(204);
    expect(await callRecord(callId)).toMatchObject({ end_reason: 'Ended by a manager' });
  });
});
