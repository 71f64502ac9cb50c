import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { createTestApp, type TestApp } from '../../../test/app';
import { signedIn } from '../../../test/agent';
import { createCampaign, createDonors, createSettings, createTeam } from '../../../test/dialer-factories';

let t: TestApp;
let s: Awaited<ReturnType<typeof createSettings>>;
let baseUrl: string;

beforeAll(async () => {
  t = await createTestApp();
  s = await createSettings(t.database.db);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await t.app.close();
});

async function leads(managerId: number, teamId: number) {
  await t.database.db.execute(
    sql`insert into team_members (team_id, user_id, is_leader) values (${teamId}, ${managerId}, true)`,
  );
}

/**
 * Opens a Server-Sent Events stream, runs `trigger`, then reads until `match` sees an event (the
 * event and when), the server ends the stream ('ended'), or the time runs out (null).
 */
async function watchStream(
  cookie: string,
  trigger: () => Promise<unknown>,
  match: (data: any) => boolean,
  ms: number,
): Promise<{ event: any; ms: number } | 'ended' | null> {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}/api/events`, { headers: { cookie }, signal: controller.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  await reader.read(); // the stream's first bytes: it is open and subscribed
  const started = performance.now();
  await trigger();
  try {
    for (;;) {
      const left = ms - (performance.now() - started);
      if (left <= 0) return null;
      const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), left))]);
      if (chunk === null) return null;
      if (chunk.done) return 'ended';
      buffer += decoder.decode(chunk.value, { stream: true });
      for (const block of buffer.split('\n\n')) {
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        if (data) {
          const parsed = JSON.parse(data.slice(6));
          if (match(parsed)) return { event: parsed, ms: performance.now() - started };
        }
      }
    }
  } finally {
    controller.abort();
  }
}

/** The first event `match` accepts within `ms` of `trigger`, or null. */
async function waitForEvent(
  cookie: string,
  trigger: () => Promise<unknown>,
  match: (data: any) => boolean,
  ms: number,
) {
  const seen = await watchStream(cookie, trigger, match, ms);
  return seen === 'ended' ? null : seen;
}

/** Whether the server ends the stream within `ms` of `trigger`. */
async function endsAfter(cookie: string, trigger: () => Promise<unknown>, ms: number): Promise<boolean> {
  return (await watchStream(cookie, trigger, () => false, ms)) === 'ended';
}

describe('the live floor', () => {
  it('lists the agents signed in to the teams a manager leads, with state and time in it', async () => {
    const manager = await signedIn(t.app, t.database, 'manager');
    const admin = await signedIn(t.app, t.database, 'admin');
    const mine = await signedIn(t.app, t.database);
    const theirs = await signedIn(t.app, t.database);
    const teamA = await createTeam(t.database.db, [mine.user.id]);
    const teamB = await createTeam(t.database.db, [theirs.user.id]);
    await leads(manager.user.id, teamA.id);
    const donors = await createDonors(t.database.db, [{}, {}]);
    const campaign = await createCampaign(t.database, {
      teamIds: [teamA.id, teamB.id],
      lists: [{ donorIds: donors.map((d) => d.id) }],
    });
    for (const [a, team] of [
      [mine, teamA],
      [theirs, teamB],
    ] as const) {
      await a.openShift(s.jobRoleId);
      await a.ready(team.id, campaign.id);
    }
    const offer = await mine.next();

    const floor = await manager.call('GET', '/api/floor');
    expect(floor.status).toBe(200);
    expect(floor.body.agents).toEqual([
      expect.objectContaining({
        agentId: mine.user.id,
        state: 'previewing',
        team: { id: teamA.id, name: teamA.name },
        campaign: { id: campaign.id, name: campaign.name },
        donorName: offer.body.offer.donor.name,
        connected: true,
      }),
    ]);
    const all = await admin.call('GET', '/api/floor');
    expect(all.body.agents.map((a: { agentId: number }) => a.agentId)).toEqual(
      expect.arrayContaining([mine.user.id, theirs.user.id]),
    );
    expect((await mine.call('GET', '/api/floor')).status).toBe(403);
  });

  it("a manager's event stream shows an agent's state change within one second; other teams' changes are not sent", async () => {
    const manager = await signedIn(t.app, t.database, 'manager');
    const agent = await signedIn(t.app, t.database);
    const stranger = await signedIn(t.app, t.database);
    const team = await createTeam(t.database.db, [agent.user.id]);
    const otherTeam = await createTeam(t.database.db, [stranger.user.id]);
    await leads(manager.user.id, team.id);
    const donors = await createDonors(t.database.db, [{}]);
    const campaign = await createCampaign(t.database, {
      teamIds: [team.id, otherTeam.id],
      lists: [{ donorIds: donors.map((d) => d.id) }],
    });
    await agent.openShift(s.jobRoleId);
    const cookie = (
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: manager.user.email, password: manager.user.password },
      })
    ).cookies.find((c) => c.name === 'engage_session')!;

    const seen = await waitForEvent(
      `engage_session=${cookie.value}`,
      () => agent.ready(team.id, campaign.id),
      (e) => e.type === 'shift.changed' && e.agentId === agent.user.id && e.state === 'ready',
      1000,
    );
    expect(seen, 'event within 1 s').not.toBeNull();
    expect(seen!.ms).toBeLessThan(1000);
    expect(seen!.event).toMatchObject({ teamId: team.id, campaignId: campaign.id });

    await stranger.openShift(s.jobRoleId);
    const notSeen = await waitForEvent(
      `engage_session=${cookie.value}`,
      () => stranger.ready(otherTeam.id, campaign.id),
      (e) => e.agentId === stranger.user.id,
      700,
    );
    expect(notSeen).toBeNull();
  });

  it("disabling an agent on a call signs them out on the manager's stream within one second, the call ended", async () => {
    const manager = await signedIn(t.app, t.database, 'manager');
    const admin = await signedIn(t.app, t.database, 'admin');
    const agent = await signedIn(t.app, t.database);
    const team = await createTeam(t.database.db, [agent.user.id]);
    await leads(manager.user.id, team.id);
    const [donor] = await createDonors(t.database.db, [{}]);
    const campaign = await createCampaign(t.database, { teamIds: [team.id], lists: [{ donorIds: [donor!.id] }] });
    await agent.openShift(s.jobRoleId);
    await agent.ready(team.id, campaign.id);
    const offer = await agent.next();
    const call = (await agent.start(offer.body.offer.id)).body.call;
    const seen = await waitForEvent(
      manager.cookie,
      () => admin.call('POST', `/api/users/${agent.user.id}/disable`),
      (e) => e.type === 'shift.changed' && e.agentId === agent.user.id && e.state === 'signed_out',
      1000,
    );
    expect(seen, 'signed out on the stream within 1 s').not.toBeNull();
    expect((await manager.call('GET', '/api/floor')).body.agents).toEqual([]);
    const ended = await t.database.db.execute(sql`select ended_at from calls where id = ${call.id}`);
    expect((ended.rows[0] as { ended_at: string | null }).ended_at).not.toBeNull();
  });

  it("an agent's stream gets the reminder when one of their call-backs is due", async () => {
    const agent = await signedIn(t.app, t.database);
    const team = await createTeam(t.database.db, [agent.user.id]);
    const [donor] = await createDonors(t.database.db, [{}]);
    const campaign = await createCampaign(t.database, { teamIds: [team.id], lists: [{ donorIds: [donor!.id] }] });
    await t.database.db.execute(sql`
      insert into appointments (donor_id, campaign_id, scheduled_at, owner_agent_id, notes, created_at, updated_at)
      values (${donor!.id}, ${campaign.id}, now() - interval '1 minute', ${agent.user.id}, 'Ring her back', now(), now())`);
    const seen = await waitForEvent(
      agent.cookie,
      () => t.app.dialer.sweep(),
      (e) => e.type === 'appointment.due' && e.agentId === agent.user.id,
      2000,
    );
    expect(seen, 'reminder on the stream').not.toBeNull();
    expect(seen!.event).toMatchObject({ donorId: donor!.id, campaignId: campaign.id, donorName: expect.any(String) });
  });
});

describe("another team's work", () => {
  it("a manager sees an agent's shift for a team they do not lead only as busy elsewhere, on the floor and the stream", async () => {
    const managerB = await signedIn(t.app, t.database, 'manager');
    const admin = await signedIn(t.app, t.database, 'admin');
    const agent = await signedIn(t.app, t.database);
    const teamA = await createTeam(t.database.db, [agent.user.id]);
    const teamB = await createTeam(t.database.db, [agent.user.id]);
    await leads(managerB.user.id, teamB.id);
    const [donorA, donorB] = await createDonors(t.database.db, [{ firstName: 'Aoibheann' }, { firstName: 'Bláithín' }]);
    const campaignA = await createCampaign(t.database, { teamIds: [teamA.id], lists: [{ donorIds: [donorA!.id] }] });
    const campaignB = await createCampaign(t.database, { teamIds: [teamB.id], lists: [{ donorIds: [donorB!.id] }] });
    await agent.openShift(s.jobRoleId);

    const events = new Map<string, any>();
    let floorOnCall: any;
    let adminFloor: any;
    let donorName = '';
    const backInB = await watchStream(
      managerB.cookie,
      async () => {
        await agent.ready(teamA.id, campaignA.id);
        const offer = await agent.next();
        donorName = offer.body.offer.donor.name;
        const call = (await agent.start(offer.body.offer.id)).body.call;
        floorOnCall = (await managerB.call('GET', '/api/floor')).body;
        adminFloor = (await admin.call('GET', '/api/floor')).body;
        await agent.end(call.id, { endReasonId: s.end.final });
        await agent.ready(teamB.id, campaignB.id);
      },
      (e) => {
        // The shift's opening (signed in, no team) was sent before the stream opened, but its
        // notification can reach the stream after, on a busy machine: not part of this story.
        if (e.agentId !== agent.user.id || e.state === 'signed_in') return false;
        events.set(JSON.stringify(e), e);
        return e.state === 'ready' && e.teamId === teamB.id;
      },
      3000,
    );

    // The floor: busy elsewhere, and nothing of team A's work.
    expect(floorOnCall.agents.filter((a: { agentId: number }) => a.agentId === agent.user.id)).toEqual([
      expect.objectContaining({
        state: 'elsewhere',
        team: null,
        campaign: null,
        donorName: null,
        stateSince: null,
        breakReason: null,
      }),
    ]);
    for (const secret of [donorName, campaignA.name, teamA.name])
      expect(JSON.stringify(floorOnCall)).not.toContain(secret);
    // An admin sees it all.
    expect(adminFloor.agents.find((a: { agentId: number }) => a.agentId === agent.user.id)).toMatchObject({
      state: 'on_call',
      campaign: { id: campaignA.id },
      donorName,
    });

    // The stream: one "elsewhere" for the whole call for team A, then the work for team B in full.
    expect(backInB, "the agent's work for team B on the stream").not.toBeNull();
    const seen = [...events.values()];
    const beforeB = seen.filter((e) => e !== (backInB as { event: any }).event);
    expect(beforeB).toEqual([
      {
        type: 'shift.changed',
        agentId: agent.user.id,
        shiftId: expect.any(Number),
        teamId: null,
        campaignId: null,
        state: 'elsewhere',
        at: expect.any(String),
      },
    ]);
    expect(seen.some((e) => e.teamId === teamA.id || e.campaignId === campaignA.id)).toBe(false);
    expect((backInB as { event: any }).event).toMatchObject({ teamId: teamB.id, campaignId: campaignB.id });

    // Back with team B, the floor shows it all again.
    expect((await managerB.call('GET', '/api/floor')).body.agents).toEqual([
      expect.objectContaining({
        agentId: agent.user.id,
        state: 'ready',
        campaign: { id: campaignB.id, name: campaignB.name },
      }),
    ]);
  });

  it("a call-back reminder goes to its owner, not to the manager of the owner's other team", async () => {
    const managerB = await signedIn(t.app, t.database, 'manager');
    const agent = await signedIn(t.app, t.database);
    const teamA = await createTeam(t.database.db, [agent.user.id]);
    const teamB = await createTeam(t.database.db, [agent.user.id]);
    await leads(managerB.user.id, teamB.id);
    const [donor] = await createDonors(t.database.db, [{}]);
    const campaignA = await createCampaign(t.database, { teamIds: [teamA.id], lists: [{ donorIds: [donor!.id] }] });
    const booked = await t.database.db.execute(sql`
      insert into appointments (donor_id, campaign_id, scheduled_at, owner_agent_id, notes, created_at, updated_at)
      values (${donor!.id}, ${campaignA.id}, now() - interval '1 minute', ${agent.user.id}, '', now(), now())
      returning id`);
    const appointmentId = (booked.rows[0] as { id: number }).id;
    const seen = await waitForEvent(
      managerB.cookie,
      () => t.app.dialer.sweep(),
      (e) => e.type === 'appointment.due' && e.appointmentId === appointmentId,
      1000,
    );
    expect(seen).toBeNull();
    const reminded = await t.database.db.execute(sql`select reminded_at from appointments where id = ${appointmentId}`);
    expect((reminded.rows[0] as { reminded_at: Date | null }).reminded_at, 'the reminder was sent').not.toBeNull();
  });
});

describe('an event stream', () => {
  it('ends when its account is disabled behind the app, and then cannot be opened again', async () => {
    const agent = await signedIn(t.app, t.database);
    const ended = await endsAfter(
      agent.cookie,
      () => t.database.db.execute(sql`update users set disabled_at = now() where id = ${agent.user.id}`),
      3000,
    );
    expect(ended, 'stream ended').toBe(true);
    const again = await fetch(`${baseUrl}/api/events`, { headers: { cookie: agent.cookie } });
    expect(again.status).toBe(401);
  });

  it("ends when its user's role changes; another user's change leaves it open", async () => {
    const manager = await signedIn(t.app, t.database, 'manager');
    const other = await signedIn(t.app, t.database);
    const stillOpen = await endsAfter(
      manager.cookie,
      () => t.database.db.execute(sql`update users set name = 'Renamed' where id = ${other.user.id}`),
      1000,
    );
    expect(stillOpen, "another user's change ends nothing").toBe(false);
    const ended = await endsAfter(
      manager.cookie,
      () => t.database.db.execute(sql`update users set role = 'agent' where id = ${manager.user.id}`),
      3000,
    );
    expect(ended, 'stream ended on the role change').toBe(true);
  });

  it('follows the teams its manager leads: an agent added to the team is seen without reconnecting', async () => {
    const manager = await signedIn(t.app, t.database, 'manager');
    const agent = await signedIn(t.app, t.database);
    const team = await createTeam(t.database.db, []);
    await leads(manager.user.id, team.id);
    const seen = await waitForEvent(
      manager.cookie,
      async () => {
        await t.database.db.execute(
          sql`insert into team_members (team_id, user_id) values (${team.id}, ${agent.user.id})`,
        );
        await new Promise((r) => setTimeout(r, 1000)); // the stream reads its filter again meanwhile
        await agent.openShift(s.jobRoleId);
      },
      (e) => e.type === 'shift.changed' && e.agentId === agent.user.id,
      3000,
    );
    expect(seen, "the new member's sign-in on the manager's stream").not.toBeNull();
    expect(seen!.event).toMatchObject({ state: 'signed_in', teamId: null });
  });
});
