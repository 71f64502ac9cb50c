import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app';
import { apiUser, auditOf, type ApiUser } from '../../../test/admin-factories';
import { createUser, uniqueSuffix } from '../../../test/factories';

let t: TestApp;
let admin: ApiUser;

beforeAll(async () => {
  t = await createTestApp();
  admin = await apiUser(t.app, t.database, 'admin');
});

const teamName = () => `Team ${uniqueSuffix()}`;
const ids = (teams: { id: number }[]) => teams.map((x) => x.id);

describe('creating teams', () => {
  it('a manager who creates a team leads it; members join as members; the team is audited', async () => {
    const manager = await apiUser(t.app, t.database, 'manager');
    const agent = await createUser(t.database.db, { name: 'Aoife Agent' });
    const name = teamName();
    const res = await manager.post('/api/teams', { name, memberIds: [agent.id] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name, campaigns: [] });
    expect(res.body.members).toEqual([
      expect.objectContaining({ userId: manager.user.id, isLeader: true, role: 'manager' }),
      expect.objectContaining({ userId: agent.id, isLeader: false, name: 'Aoife Agent', disabled: false }),
    ]);
    const trail = await auditOf(t.database.db, 'team', res.body.id);
    expect(trail).toEqual([expect.objectContaining({ action: 'create', actor_id: manager.user.id })]);

    const dup = await manager.post('/api/teams', { name: name.toLowerCase() });
    expect(dup.status).toBe(409);
    expect(dup.body.message).toMatch(/already exists/);
    expect((await manager.post('/api/teams', { name: '  ' })).status).toBe(400);
  });

  it('an admin creates a team without leading it; agents get 403 on every team route', async () => {
    const res = await admin.post('/api/teams', { name: teamName() });
    expect(res.status).toBe(201);
    expect(res.body.members).toEqual([]);

    const agent = await apiUser(t.app, t.database, 'agent');
    const id = res.body.id as number;
    expect((await agent.get('/api/teams')).status).toBe(403);
    expect((await agent.post('/api/teams', { name: teamName() })).status).toBe(403);
    expect((await agent.get(`/api/teams/${id}`)).status).toBe(403);
    expect((await agent.patch(`/api/teams/${id}`, { name: 'x' })).status).toBe(403);
    expect((await agent.post(`/api/teams/${id}/members`, { userId: agent.user.id })).status).toBe(403);
    expect((await agent.del(`/api/teams/${id}/members/${agent.user.id}`)).status).toBe(403);
    expect((await agent.put(`/api/teams/${id}/members/${agent.user.id}/leader`, { isLeader: true })).status).toBe(403);
  });
});

describe('membership and leaders', () => {
  it('add, refuse a duplicate, make a leader, un-lead, remove; each change audited', async () => {
    const manager = await apiUser(t.app, t.database, 'manager');
    const team = (await manager.post('/api/teams', { name: teamName() })).body;
    const agent = await createUser(t.database.db);
    const other = await createUser(t.database.db, { role: 'manager' });

    const added = await manager.post(`/api/teams/${team.id}/members`, { userId: agent.id });
    expect(added.status).toBe(200);
    expect(added.body.members.find((m: { userId: number }) => m.userId === agent.id)).toMatchObject({
      isLeader: false,
    });
    expect((await manager.post(`/api/teams/${team.id}/members`, { userId: agent.id })).status).toBe(409);
    expect((await manager.post(`/api/teams/${team.id}/members`, { userId: 999_999 })).status).toBe(404);

    const agentLead = await manager.put(`/api/teams/${team.id}/members/${agent.id}/leader`, { isLeader: true });
    expect(agentLead.status).toBe(400);
    expect(agentLead.body.message).toMatch(/only managers and administrators can lead/);

    const withOther = await manager.post(`/api/teams/${team.id}/members`, { userId: other.id, isLeader: true });
    expect(withOther.body.members.filter((m: { isLeader: boolean }) => m.isLeader)).toHaveLength(2);
    const unled = await manager.put(`/api/teams/${team.id}/members/${other.id}/leader`, { isLeader: false });
    expect(unled.body.members.find((m: { userId: number }) => m.userId === other.id).isLeader).toBe(false);

    const removed = await manager.del(`/api/teams/${team.id}/members/${agent.id}`);
    expect(removed.status).toBe(200);
    expect(removed.body.members.map((m: { userId: number }) => m.userId)).not.toContain(agent.id);
    expect((await manager.del(`/api/teams/${team.id}/members/${agent.id}`)).status).toBe(404);

    const renamed = await manager.patch(`/api/teams/${team.id}`, { name: `${team.name} North` });
    expect(renamed.body.name).toBe(`${team.name} North`);

    expect((await auditOf(t.database.db, 'team', team.id)).map((a) => a.action)).toEqual([
      'create',
      'add_member',
      'add_member',
      'unset_leader',
      'remove_member',
      'update',
    ]);
  });

  it('a manager cannot drop their own leadership (another leader or an admin can)', async () => {
    const manager = await apiUser(t.app, t.database, 'manager');
    const team = (await manager.post('/api/teams', { name: teamName() })).body;
    expect((await manager.del(`/api/teams/${team.id}/members/${manager.user.id}`)).status).toBe(409);
    expect(
      (await manager.put(`/api/teams/${team.id}/members/${manager.user.id}/leader`, { isLeader: false })).status,
    ).toBe(409);
    const res = await admin.put(`/api/teams/${team.id}/members/${manager.user.id}/leader`, { isLeader: false });
    expect(res.status).toBe(200);
    // No longer a leader: the team is out of the manager's reach.
    expect((await manager.get(`/api/teams/${team.id}`)).status).toBe(404);
  });

  it('a disabled user cannot join a team', async () => {
    const manager = await apiUser(t.app, t.database, 'manager');
    const team = (await manager.post('/api/teams', { name: teamName() })).body;
    const gone = await createUser(t.database.db, { disabled: true });
    const res = await manager.post(`/api/teams/${team.id}/members`, { userId: gone.id });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/disabled/);
  });
});

describe('scoping: a manager sees and changes only the teams they lead', () => {
  it('manager of team A gets 404 on team B for every route; listTeams shows only A; admin sees both', async () => {
    const managerA = await apiUser(t.app, t.database, 'manager');
    const managerB = await apiUser(t.app, t.database, 'manager');
    const teamA = (await managerA.post('/api/teams', { name: teamName() })).body;
    const teamB = (await managerB.post('/api/teams', { name: teamName() })).body;
    const agent = await createUser(t.database.db);
    await managerB.post(`/api/teams/${teamB.id}/members`, { userId: agent.id });

    const listA = await managerA.get('/api/teams');
    expect(ids(listA.body.teams)).toEqual([teamA.id]);
    const listAdmin = await admin.get('/api/teams');
    expect(ids(listAdmin.body.teams)).toEqual(expect.arrayContaining([teamA.id, teamB.id]));

    const b = `/api/teams/${teamB.id}`;
    const answers = [
      await managerA.get(b),
      await managerA.patch(b, { name: teamName() }),
      await managerA.post(`${b}/members`, { userId: managerA.user.id, isLeader: true }),
      await managerA.del(`${b}/members/${agent.id}`),
      await managerA.put(`${b}/members/${agent.id}/leader`, { isLeader: true }),
    ];
    for (const res of answers) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
    // Nothing changed in team B.
    const teamBNow = (await admin.get(b)).body;
    expect(teamBNow.name).toBe(teamB.name);
    expect(teamBNow.members.map((m: { userId: number }) => m.userId).sort()).toEqual(
      [managerB.user.id, agent.id].sort(),
    );

    // Once B's leader makes A a leader too, A manages B.
    await managerB.post(`${b}/members`, { userId: managerA.user.id, isLeader: true });
    expect((await managerA.get(b)).status).toBe(200);
    expect(ids((await managerA.get('/api/teams')).body.teams).sort()).toEqual([teamA.id, teamB.id].sort());
  });
});

describe('whom a manager may add to their teams', () => {
  it("not an agent of another team (an admin adds them); someone in no team or in one of the manager's teams, yes", async () => {
    const managerA = await apiUser(t.app, t.database, 'manager');
    const managerB = await apiUser(t.app, t.database, 'manager');
    const teamA = (await managerA.post('/api/teams', { name: teamName() })).body;
    const teamB = (await managerB.post('/api/teams', { name: teamName() })).body;
    const theirs = await createUser(t.database.db, { name: 'Agent Of A' });
    const newcomer = await createUser(t.database.db);
    await managerA.post(`/api/teams/${teamA.id}/members`, { userId: theirs.id });

    // The manager's list says whom they may add, and names none of the other team.
    const listed = await managerB.get<{ users: { id: number }[] }>('/api/users');
    const find = (id: number) => listed.body.users.find((u) => u.id === id);
    expect(find(theirs.id)).toMatchObject({ addableToYourTeams: false, teams: [] });
    expect(find(newcomer.id)).toMatchObject({ addableToYourTeams: true, teams: [] });
    expect(JSON.stringify(listed.body)).not.toContain(teamA.name);

    const refused = await managerB.post(`/api/teams/${teamB.id}/members`, { userId: theirs.id });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'forbidden' });
    expect(refused.body.message).toMatch(/Ask an administrator/);
    expect(refused.body.message).not.toContain(teamA.name);
    const asNewTeam = await managerB.post('/api/teams', { name: teamName(), memberIds: [theirs.id] });
    expect(asNewTeam.status).toBe(403);
    const teamBNow = (await managerB.get(`/api/teams/${teamB.id}`)).body;
    expect(teamBNow.members.map((m: { userId: number }) => m.userId)).toEqual([managerB.user.id]);
    expect((await auditOf(t.database.db, 'team', teamB.id)).map((a) => a.action)).toEqual(['create']);

    // Someone in no team, then into a second team of the same manager: yes.
    expect((await managerB.post(`/api/teams/${teamB.id}/members`, { userId: newcomer.id })).status).toBe(200);
    const second = await managerB.post('/api/teams', { name: teamName(), memberIds: [newcomer.id] });
    expect(second.status).toBe(201);
    // An administrator adds anyone; then the manager may add them to their other teams too.
    expect((await admin.post(`/api/teams/${teamB.id}/members`, { userId: theirs.id })).status).toBe(200);
    expect((await managerB.post(`/api/teams/${second.body.id}/members`, { userId: theirs.id })).status).toBe(200);
    const nowListed = (await managerB.get('/api/users')).body.users.find((u: { id: number }) => u.id === theirs.id);
    expect(nowListed.addableToYourTeams).toBe(true);
    expect(nowListed.teams.map((x: { id: number }) => x.id).sort()).toEqual([teamB.id, second.body.id].sort());
  });
});
