import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, testClock, type TestApp } from '../../../test/app';
import { apiUser, auditOf, createList, type ApiUser } from '../../../test/admin-factories';
import { signedIn } from '../../../test/agent';
import { createDonors, createSettings, setLegalWindow } from '../../../test/dialer-factories';
import { uniqueSuffix } from '../../../test/factories';

const clock = testClock(new Date('2026-06-10T12:00:00Z'));
let t: TestApp;
let admin: ApiUser;
let s: Awaited<ReturnType<typeof createSettings>>;

beforeAll(async () => {
  t = await createTestApp({
    now: clock.now,
    env: { SESSION_IDLE_MINUTES: '1000000', SESSION_ABSOLUTE_HOURS: '100000' },
  });
  admin = await apiUser(t.app, t.database, 'admin');
  s = await createSettings(t.database.db);
});

const campaignName = () => `Campaign ${uniqueSuffix()}`;

/** A manager leading a fresh team (made through the API). */
async function managerWithTeam() {
  const manager = await apiUser(t.app, t.database, 'manager');
  const team = (await manager.post('/api/teams', { name: `Team ${uniqueSuffix()}` })).body as {
    id: number;
    name: string;
  };
  return { manager, team };
}

/** A draft campaign of the manager's team, calling all day. */
async function draftCampaign(manager: ApiUser, teamId: number, extra: Record<string, unknown> = {}) {
  const res = await manager.post('/api/campaigns', {
    name: campaignName(),
    purpose: 'thank_you',
    teamIds: [teamId],
    callingHoursStart: '00:00',
    callingHoursEnd: '24:00',
    ...extra,
  });
  expect(res.status).toBe(201);
  return res.body as { id: number; name: string };
}

async function queueOf(campaignId: number) {
  const r = await t.database.db.execute(
    sql`select donor_id, priority, state from campaign_donors where campaign_id = ${campaignId} order by donor_id`,
  );
  return r.rows as { donor_id: number; priority: number; state: string }[];
}

describe('creating a campaign', () => {
  it('is a draft with sensible defaults, worked by the team the manager attached; audited', async () => {
    const { manager, team } = await managerWithTeam();
    const name = campaignName();
    const res = await manager.post('/api/campaigns', { name, purpose: 'failed_payments', teamIds: [team.id] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name,
      purpose: 'failed_payments',
      status: 'draft',
      startsOn: null,
      endsOn: null,
      callingHoursStart: '09:00',
      callingHoursEnd: '21:00',
      maxAttempts: 5,
      holdSeconds: 300,
      appointmentGraceMinutes: 30,
      script: '',
      teams: [{ id: team.id, name: team.name, managed: true }],
      lists: [],
      allowedTransitions: ['active', 'finished'],
    });
    const trail = await auditOf(t.database.db, 'campaign', res.body.id);
    expect(trail).toEqual([expect.objectContaining({ action: 'create', actor_id: manager.user.id })]);
    expect(trail[0]!.after).toMatchObject({ name, status: 'draft', teamIds: [team.id] });

    const again = await manager.post('/api/campaigns', {
      name: name.toUpperCase(),
      purpose: 'thank_you',
      teamIds: [team.id],
    });
    expect(again.status).toBe(409);
  });

  it('refuses what would not work, saying which field', async () => {
    const { manager, team } = await managerWithTeam();
    const { team: otherTeam } = await managerWithTeam();
    const base = { name: campaignName(), purpose: 'thank_you', teamIds: [team.id] };
    const cases: [Record<string, unknown>, number, string | RegExp][] = [
      [{ teamIds: [] }, 400, /at least one of the teams you lead/],
      [{ teamIds: [otherTeam.id] }, 403, /only attach or detach teams you lead/],
      [{ teamIds: [999_999] }, 404, /no team/],
      [{ status: 'active' }, 409, /starts as a draft/],
      [{ startsOn: '2026-07-01', endsOn: '2026-06-01' }, 400, /end date is before the start date/],
      [{ callingHoursStart: '10:00', callingHoursEnd: '10:00' }, 400, /00:00 to 24:00/],
      [{ callingHoursEnd: '25:00' }, 400, /not valid/],
      [{ maxAttempts: 0 }, 400, /not valid/],
      [{ maxAttempts: 101 }, 400, /not valid/],
      [{ holdSeconds: 10 }, 400, /not valid/],
      [{ purpose: 'fundraising' }, 400, /not valid/],
    ];
    for (const [over, status, message] of cases) {
      const res = await manager.post('/api/campaigns', { ...base, ...over });
      expect({ over, status: res.status }).toEqual({ over, status });
      expect(res.body.message).toMatch(message);
    }
    const midnight = await manager.post('/api/campaigns', {
      ...base,
      callingHoursStart: '18:00',
      callingHoursEnd: '24:00',
    });
    expect(midnight.status).toBe(201);
    expect(midnight.body).toMatchObject({ callingHoursStart: '18:00', callingHoursEnd: '24:00' });
    // An admin may start a campaign with no team yet.
    expect((await admin.post('/api/campaigns', { name: campaignName(), purpose: 'reactivation' })).status).toBe(201);
  });

  it('updateCampaign changes every field; audited with before and after', async () => {
    const { manager, team } = await managerWithTeam();
    const c = await draftCampaign(manager, team.id);
    const name = campaignName();
    const res = await manager.patch(`/api/campaigns/${c.id}`, {
      name,
      purpose: 'sponsorship_follow_up',
      startsOn: '2026-06-01',
      endsOn: '2026-12-31',
      callingHoursStart: '08:30',
      callingHoursEnd: '20:15',
      maxAttempts: 3,
      holdSeconds: 120,
      appointmentGraceMinutes: 15,
      script: 'Hello {first name}, thank you for sponsoring.',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name,
      purpose: 'sponsorship_follow_up',
      startsOn: '2026-06-01',
      endsOn: '2026-12-31',
      callingHoursStart: '08:30',
      callingHoursEnd: '20:15',
      maxAttempts: 3,
      holdSeconds: 120,
      appointmentGraceMinutes: 15,
      script: 'Hello {first name}, thank you for sponsoring.',
    });
    expect((await manager.get(`/api/campaigns/${c.id}`)).body).toEqual(res.body);
    const cleared = await manager.patch(`/api/campaigns/${c.id}`, { startsOn: null, endsOn: null });
    expect(cleared.body).toMatchObject({ startsOn: null, endsOn: null, name });
    expect(
      (await manager.patch(`/api/campaigns/${c.id}`, { endsOn: '2026-05-01', startsOn: '2026-06-01' })).status,
    ).toBe(400);

    const update = (await auditOf(t.database.db, 'campaign', c.id)).find((a) => a.action === 'update')!;
    expect(update.before).toMatchObject({ name: c.name, maxAttempts: 5, callingHoursStart: '00:00' });
    expect(update.after).toMatchObject({ name, maxAttempts: 3, callingHoursStart: '08:30' });
  });
});

describe('calling hours', () => {
  it('per weekday and closed dates: kept and audited; hours beyond the legal window are clipped, with a warning naming it', async () => {
    await setLegalWindow(t.database); // the shipped 08:00-21:00 (the test template calls around the clock)
    const { manager, team } = await managerWithTeam();
    const c = await draftCampaign(manager, team.id, { callingHoursStart: '09:00', callingHoursEnd: '20:00' });
    const week = [
      ...Array.from({ length: 5 }, () => ({ start: '09:00', end: '20:00' })),
      { start: '10:00', end: '16:00' },
      null,
    ];
    const res = await manager.patch(`/api/campaigns/${c.id}`, {
      weekdayHours: week,
      closedDates: ['2026-12-25', '2026-12-24', '2026-12-25'],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      weekdayHours: week,
      closedDates: ['2026-12-24', '2026-12-25'],
      callingHoursStart: '09:00',
      callingHoursEnd: '20:00',
      legalWarnings: [],
    });
    const update = (await auditOf(t.database.db, 'campaign', c.id)).find((a) => a.action === 'update')!;
    expect(update.after).toMatchObject({ weekdayHours: week, closedDates: ['2026-12-24', '2026-12-25'] });

    // 00:00-24:00 on Saturday and 07:00-22:00 on Monday: kept as entered, clipped to 08:00-21:00 by the dialer.
    const wide = await manager.patch(`/api/campaigns/${c.id}`, {
      weekdayHours: [{ start: '07:00', end: '22:00' }, ...week.slice(1, 5), { start: '00:00', end: '24:00' }, null],
    });
    expect(wide.status).toBe(200);
    expect(wide.body.weekdayHours[5]).toEqual({ start: '00:00', end: '24:00' });
    expect(wide.body.legalWarnings).toEqual([
      'Monday 07:00-22:00 goes beyond the legal calling window 08:00-21:00: donors are called 08:00-21:00 their time.',
      'Saturday 00:00-24:00 goes beyond the legal calling window 08:00-21:00: donors are called 08:00-21:00 their time.',
    ]);

    // One day's hours must be a window: refused, saying which day.
    const backwards = await manager.patch(`/api/campaigns/${c.id}`, {
      weekdayHours: [{ start: '20:00', end: '09:00' }, ...week.slice(1)],
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.issues).toContainEqual({
      path: 'body.weekdayHours.0.end',
      message: 'The hours end after they start (24:00 for midnight)',
    });
    expect((await manager.patch(`/api/campaigns/${c.id}`, { weekdayHours: week.slice(0, 6) })).status).toBe(400);
  });
});

describe('status', () => {
  it('draft → active needs a list; then active → paused → active → finished; nothing else', async () => {
    const { manager, team } = await managerWithTeam();
    const c = await draftCampaign(manager, team.id);
    const url = `/api/campaigns/${c.id}`;

    const noList = await manager.patch(url, { status: 'active' });
    expect(noList.status).toBe(409);
    expect(noList.body).toMatchObject({ code: 'invalid_transition' });
    expect(noList.body.message).toMatch(/Connect a list/);

    const donors = await createDonors(t.database.db, [{}]);
    const list = await createList(
      t.database.db,
      donors.map((d) => d.id),
    );
    expect((await manager.post(`${url}/lists`, { listId: list.id })).status).toBe(200);

    const active = await manager.patch(url, { status: 'active' });
    expect(active.status).toBe(200);
    expect(active.body).toMatchObject({ status: 'active', allowedTransitions: ['paused', 'finished'] });

    const toDraft = await manager.patch(url, { status: 'draft' });
    expect(toDraft.status).toBe(409);
    expect(toDraft.body.code).toBe('invalid_transition');
    expect(toDraft.body.message).toMatch(/paused or finished/);

    expect((await manager.patch(url, { status: 'paused' })).body.status).toBe('paused');
    expect((await manager.patch(url, { status: 'active' })).body.status).toBe('active');
    const finished = await manager.patch(url, { status: 'finished' });
    expect(finished.body).toMatchObject({ status: 'finished', allowedTransitions: [] });
    for (const status of ['active', 'paused', 'draft']) {
      const res = await manager.patch(url, { status });
      expect(res.status).toBe(409);
      expect(res.body.message).toMatch(/stays finished/);
    }
    const actions = (await auditOf(t.database.db, 'campaign', c.id)).map((a) => a.action);
    expect(actions).toEqual([
      'create',
      'connect_list',
      'status_active',
      'status_paused',
      'status_active',
      'status_finished',
    ]);
  });

  it('draft → finished and paused → finished are allowed; activating needs a team too', async () => {
    const { manager, team } = await managerWithTeam();
    const draft = await draftCampaign(manager, team.id);
    expect((await manager.patch(`/api/campaigns/${draft.id}`, { status: 'finished' })).body.status).toBe('finished');

    const other = await draftCampaign(manager, team.id);
    const list = await createList(t.database.db, []);
    await manager.post(`/api/campaigns/${other.id}/lists`, { listId: list.id });
    await manager.patch(`/api/campaigns/${other.id}`, { status: 'active' });
    await manager.patch(`/api/campaigns/${other.id}`, { status: 'paused' });
    expect((await manager.patch(`/api/campaigns/${other.id}`, { status: 'finished' })).body.status).toBe('finished');

    const teamless = (await admin.post('/api/campaigns', { name: campaignName(), purpose: 'thank_you' })).body;
    await admin.post(`/api/campaigns/${teamless.id}/lists`, { listId: list.id });
    const res = await admin.patch(`/api/campaigns/${teamless.id}`, { status: 'active' });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/no team/);
  });
});

describe('scoping', () => {
  it("a manager sees and changes only their teams' campaigns; others answer 404; agents 403", async () => {
    const a = await managerWithTeam();
    const b = await managerWithTeam();
    const campA = await draftCampaign(a.manager, a.team.id);
    const campB = await draftCampaign(b.manager, b.team.id);
    const list = await createList(t.database.db, []);

    const mine = await a.manager.get('/api/campaigns');
    expect(mine.body.campaigns.map((c: { id: number }) => c.id)).toEqual([campA.id]);
    expect(mine.body.campaigns[0]).toMatchObject({ status: 'draft', teams: [{ id: a.team.id }], listCount: 0 });
    const all = (await admin.get('/api/campaigns')).body.campaigns.map((c: { id: number }) => c.id);
    expect(all).toEqual(expect.arrayContaining([campA.id, campB.id]));
    expect(
      (await admin.get('/api/campaigns?status=finished')).body.campaigns.map((c: { id: number }) => c.id),
    ).not.toContain(campA.id);

    const u = `/api/campaigns/${campB.id}`;
    const answers = [
      await a.manager.get(u),
      await a.manager.patch(u, { name: campaignName() }),
      await a.manager.put(`${u}/teams`, { teamIds: [a.team.id] }),
      await a.manager.post(`${u}/lists`, { listId: list.id }),
      await a.manager.patch(`${u}/lists/${list.id}`, { priority: 5 }),
      await a.manager.del(`${u}/lists/${list.id}`),
      await a.manager.get(`${u}/progress`),
    ];
    for (const res of answers) expect(res.status).toBe(404);
    expect((await admin.get(u)).body.lists).toEqual([]);

    const agent = await apiUser(t.app, t.database, 'agent');
    const agentAnswers = [
      await agent.get('/api/campaigns'),
      await agent.post('/api/campaigns', { name: campaignName(), purpose: 'thank_you' }),
      await agent.get(u),
      await agent.patch(u, { status: 'active' }),
      await agent.put(`${u}/teams`, { teamIds: [] }),
      await agent.post(`${u}/lists`, { listId: list.id }),
      await agent.patch(`${u}/lists/${list.id}`, { priority: 5 }),
      await agent.del(`${u}/lists/${list.id}`),
      await agent.get(`${u}/progress`),
    ];
    for (const res of agentAnswers) expect(res.status).toBe(403);
  });

  it("a manager attaches and detaches only teams they lead, and keeps one of theirs; others' stay", async () => {
    const a = await managerWithTeam();
    const b = await managerWithTeam();
    const second = (await a.manager.post('/api/teams', { name: `Team ${uniqueSuffix()}` })).body;
    const camp = await draftCampaign(a.manager, a.team.id);
    const url = `/api/campaigns/${camp.id}/teams`;

    expect((await a.manager.put(url, { teamIds: [a.team.id, b.team.id] })).status).toBe(403);
    const both = await a.manager.put(url, { teamIds: [a.team.id, second.id] });
    expect(both.status).toBe(200);
    expect(both.body.teams.map((x: { id: number }) => x.id).sort()).toEqual([a.team.id, second.id].sort());

    // An admin adds B's team; A may not detach it, and sees it as not theirs.
    await admin.put(url, { teamIds: [a.team.id, second.id, b.team.id] });
    const seen = (await a.manager.get(`/api/campaigns/${camp.id}`)).body;
    expect(seen.teams.find((x: { id: number }) => x.id === b.team.id)).toMatchObject({ managed: false });
    const detach = await a.manager.put(url, { teamIds: [a.team.id] });
    expect(detach.status).toBe(403);
    expect(detach.body.message).toContain(b.team.name);
    // B's manager now sees the campaign too, and may not leave it without one of their teams.
    expect((await b.manager.get(`/api/campaigns/${camp.id}`)).status).toBe(200);
    expect((await b.manager.put(url, { teamIds: [a.team.id, second.id] })).status).toBe(400);
    // A drops their second team through updateCampaign; B's stays.
    const res = await a.manager.patch(`/api/campaigns/${camp.id}`, { teamIds: [a.team.id, b.team.id] });
    expect(res.body.teams.map((x: { id: number }) => x.id).sort()).toEqual([a.team.id, b.team.id].sort());
  });
});

describe('connected lists and the dialer', () => {
  it('connectList: an agent of the team gets a donor from that list (nextDonor, through the API)', async () => {
    const { manager, team } = await managerWithTeam();
    const agent = await signedIn(t.app, t.database);
    expect((await manager.post(`/api/teams/${team.id}/members`, { userId: agent.user.id })).status).toBe(200);
    const c = await draftCampaign(manager, team.id);
    const donors = await createDonors(t.database.db, [{ firstName: 'Orla' }]);
    const list = await createList(
      t.database.db,
      donors.map((d) => d.id),
    );

    const connected = await manager.post(`/api/campaigns/${c.id}/lists`, { listId: list.id, priority: 50 });
    expect(connected.status).toBe(200);
    expect(connected.body.lists).toEqual([{ listId: list.id, name: list.name, priority: 50, donorCount: 1 }]);
    expect((await manager.post(`/api/campaigns/${c.id}/lists`, { listId: list.id })).status).toBe(409);
    expect((await manager.post(`/api/campaigns/${c.id}/lists`, { listId: 999_999 })).status).toBe(404);
    expect((await manager.patch(`/api/campaigns/${c.id}`, { status: 'active' })).status).toBe(200);

    expect((await agent.openShift(s.jobRoleId)).status).toBe(201);
    expect((await agent.ready(team.id, c.id)).status).toBe(200);
    const next = await agent.next();
    expect(next.body).toMatchObject({
      status: 'offered',
      offer: { donor: { id: donors[0]!.id }, campaign: { id: c.id } },
    });
    expect((await agent.call('POST', '/api/shift/close')).status).toBe(204);
  });

  it('agentsCalling counts the agents working the campaign now, for the question before pausing', async () => {
    const { manager, team } = await managerWithTeam();
    const c = await draftCampaign(manager, team.id);
    const donors = await createDonors(t.database.db, [
      { firstName: 'Aine' },
      { firstName: 'Bram' },
      { firstName: 'Cas' },
    ]);
    const list = await createList(
      t.database.db,
      donors.map((d) => d.id),
    );
    expect((await manager.post(`/api/campaigns/${c.id}/lists`, { listId: list.id })).status).toBe(200);
    expect((await manager.patch(`/api/campaigns/${c.id}`, { status: 'active' })).status).toBe(200);
    expect((await manager.get(`/api/campaigns/${c.id}`)).body.agentsCalling).toBe(0);

    const agents = [];
    for (let i = 0; i < 3; i++) {
      const agent = await signedIn(t.app, t.database);
      expect((await manager.post(`/api/teams/${team.id}/members`, { userId: agent.user.id })).status).toBe(200);
      expect((await agent.openShift(s.jobRoleId)).status).toBe(201);
      agents.push(agent);
    }
    // Signed in but not yet Ready for Call: not calling for it.
    expect((await manager.get(`/api/campaigns/${c.id}`)).body.agentsCalling).toBe(0);
    for (const agent of agents) expect((await agent.ready(team.id, c.id)).status).toBe(200);
    expect((await agents[0]!.next()).body.status).toBe('offered');
    expect((await manager.get(`/api/campaigns/${c.id}`)).body.agentsCalling).toBe(3);

    // One signs out: two left; pausing answers the campaign as it is now.
    expect((await agents[2]!.call('POST', '/api/shift/close')).status).toBe(204);
    const paused = await manager.patch(`/api/campaigns/${c.id}`, { status: 'paused' });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ status: 'paused', agentsCalling: 2 });
    for (const agent of agents.slice(0, 2)) expect((await agent.call('POST', '/api/shift/close')).status).toBe(204);
    expect((await manager.get(`/api/campaigns/${c.id}`)).body.agentsCalling).toBe(0);
  });

  it('priority orders the queue; changing it follows; disconnecting prunes donors never called', async () => {
    const { manager, team } = await managerWithTeam();
    const c = await draftCampaign(manager, team.id);
    const [x, y, both] = await createDonors(t.database.db, [{}, {}, {}]);
    const l1 = await createList(t.database.db, [x!.id, both!.id]);
    const l2 = await createList(t.database.db, [y!.id, both!.id]);
    await manager.post(`/api/campaigns/${c.id}/lists`, { listId: l1.id, priority: 200 });
    const two = await manager.post(`/api/campaigns/${c.id}/lists`, { listId: l2.id, priority: 100 });
    expect(two.body.lists.map((l: { listId: number }) => l.listId)).toEqual([l2.id, l1.id]);
    expect(await queueOf(c.id)).toEqual([
      { donor_id: x!.id, priority: 200, state: 'queued' },
      { donor_id: y!.id, priority: 100, state: 'queued' },
      { donor_id: both!.id, priority: 100, state: 'queued' },
    ]);

    const moved = await manager.patch(`/api/campaigns/${c.id}/lists/${l1.id}`, { priority: 10 });
    expect(moved.status).toBe(200);
    expect(moved.body.lists.map((l: { listId: number; priority: number }) => [l.listId, l.priority])).toEqual([
      [l1.id, 10],
      [l2.id, 100],
    ]);
    expect((await queueOf(c.id)).map((r) => r.priority)).toEqual([10, 100, 10]);

    const pruned = await manager.del(`/api/campaigns/${c.id}/lists/${l2.id}`);
    expect(pruned.status).toBe(200);
    expect(pruned.body.lists.map((l: { listId: number }) => l.listId)).toEqual([l1.id]);
    expect((await queueOf(c.id)).map((r) => r.donor_id)).toEqual([x!.id, both!.id]);
    expect((await manager.del(`/api/campaigns/${c.id}/lists/${l2.id}`)).status).toBe(404);

    // The only list of an active campaign stays until another is connected or it is paused.
    await manager.patch(`/api/campaigns/${c.id}`, { status: 'active' });
    const last = await manager.del(`/api/campaigns/${c.id}/lists/${l1.id}`);
    expect(last.status).toBe(409);
    expect(last.body.message).toMatch(/only list/);
    await manager.patch(`/api/campaigns/${c.id}`, { status: 'paused' });
    expect((await manager.del(`/api/campaigns/${c.id}/lists/${l1.id}`)).status).toBe(200);
    expect(await queueOf(c.id)).toEqual([]);

    expect((await auditOf(t.database.db, 'campaign', c.id)).map((a) => a.action)).toEqual([
      'create',
      'connect_list',
      'connect_list',
      'set_list_priority',
      'disconnect_list',
      'status_active',
      'status_paused',
      'disconnect_list',
    ]);
  });

  it('progress: donors in all, finished, waiting for a retry, held now, callable now, Out of Data', async () => {
    const { manager, team } = await managerWithTeam();
    const agent = await signedIn(t.app, t.database);
    await manager.post(`/api/teams/${team.id}/members`, { userId: agent.user.id });
    const c = await draftCampaign(manager, team.id);
    const donors = await createDonors(t.database.db, [{}, {}, {}, {}]);
    const list = await createList(
      t.database.db,
      donors.map((d) => d.id),
    );
    await manager.post(`/api/campaigns/${c.id}/lists`, { listId: list.id });
    await manager.patch(`/api/campaigns/${c.id}`, { status: 'active' });
    const progress = async () => {
      const res = await manager.get<Record<string, any>>(`/api/campaigns/${c.id}/progress`);
      expect(res.status).toBe(200);
      return res.body;
    };
    expect(await progress()).toMatchObject({
      total: 4,
      finished: 0,
      waitingRetry: 0,
      heldByOthers: 0,
      callableNow: 4,
      outOfData: false,
      nextAvailableAt: null,
    });

    await agent.openShift(s.jobRoleId);
    await agent.ready(team.id, c.id);
    const work = async (endReasonId: number) => {
      const next = await agent.next();
      const started = await agent.start(next.body.offer.id);
      expect((await agent.end(started.body.call.id, { endReasonId })).status).toBe(200);
    };
    await work(s.end.final);
    await work(s.end.retry);
    const held = await agent.next();
    expect(held.body.status).toBe('offered');
    expect(await progress()).toMatchObject({
      total: 4,
      finished: 1,
      waitingRetry: 1,
      heldByOthers: 1,
      callableNow: 1,
      outOfData: false,
    });

    expect((await agent.skip(held.body.offer.id, s.skip.remove)).status).toBe(204);
    await work(s.end.final);
    const done = await progress();
    expect(done).toMatchObject({
      total: 4,
      finished: 3,
      waitingRetry: 1,
      heldByOthers: 0,
      callableNow: 0,
      outOfData: true,
    });
    expect(new Date(done.nextAvailableAt).getTime()).toBe(clock.now().getTime() + 60 * 60_000);
    expect((await agent.next()).body.status).toBe('out_of_data');
    await agent.call('POST', '/api/shift/close');
  });
});
