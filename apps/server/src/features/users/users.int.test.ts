import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, sessionCookie, type TestApp } from '../../../test/app';
import { apiUser, auditOf, request, type ApiUser } from '../../../test/admin-factories';
import { createTeam } from '../../../test/dialer-factories';
import { createUser, TEST_PASSWORD, uniqueSuffix } from '../../../test/factories';

let t: TestApp;
let admin: ApiUser;

beforeAll(async () => {
  t = await createTestApp();
  admin = await apiUser(t.app, t.database, 'admin');
});

const newUserBody = (over: Record<string, unknown> = {}) => ({
  email: `New.Person-${uniqueSuffix()}@Example.org`,
  name: 'New Person',
  role: 'agent',
  password: 'a-long-enough-password',
  ...over,
});

describe('who may manage users', () => {
  it('agents get 403 everywhere; managers may read the list only; nobody sees a password hash', async () => {
    const agent = await apiUser(t.app, t.database, 'agent');
    const manager = await apiUser(t.app, t.database, 'manager');
    const target = await createUser(t.database.db);
    for (const who of [agent, manager]) {
      expect((await who.post('/api/users', newUserBody())).status).toBe(403);
      expect((await who.patch(`/api/users/${target.id}`, { name: 'X' })).status).toBe(403);
      expect((await who.post(`/api/users/${target.id}/disable`)).status).toBe(403);
      expect((await who.post(`/api/users/${target.id}/enable`)).status).toBe(403);
      expect((await who.post(`/api/users/${target.id}/password`, { password: 'another-password' })).status).toBe(403);
    }
    expect((await agent.get('/api/users')).status).toBe(403);
    const listed = await manager.get('/api/users');
    expect(listed.status).toBe(200);
    expect(listed.body.users.find((u: { id: number }) => u.id === target.id)).toMatchObject({
      email: target.email,
      role: 'agent',
      disabled: false,
      teams: [],
    });
    expect(JSON.stringify(listed.body)).not.toMatch(/passwordHash|password_hash|argon2/);
  });
});

describe('creating and editing users', () => {
  it('an admin creates a user in teams; the user signs in; the change is audited', async () => {
    const team = await createTeam(t.database.db, []);
    const body = newUserBody({ teamIds: [team.id] });
    const created = await admin.post('/api/users', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email: body.email.toLowerCase(),
      name: 'New Person',
      role: 'agent',
      disabled: false,
      teams: [{ id: team.id, name: team.name, isLeader: false }],
    });
    expect(JSON.stringify(created.body)).not.toMatch(/password/i);
    await login(t.app, body.email, 'a-long-enough-password');

    const trail = await auditOf(t.database.db, 'user', created.body.id);
    expect(trail).toEqual([expect.objectContaining({ actor_id: admin.user.id, action: 'create', before: null })]);
    expect(trail[0]!.after).toMatchObject({ role: 'agent', teamIds: [team.id] });
    expect(JSON.stringify(trail)).not.toMatch(/argon2|a-long-enough-password/);
  });

  it('refuses a short password, a duplicate email (any case) and unknown teams, saying which field', async () => {
    const short = await admin.post('/api/users', newUserBody({ password: 'short' }));
    expect(short.status).toBe(400);
    expect(short.body.code).toBe('validation_failed');
    expect(short.body.issues).toEqual([expect.objectContaining({ path: 'body.password' })]);

    const existing = await createUser(t.database.db);
    const dup = await admin.post('/api/users', newUserBody({ email: existing.email.toUpperCase() }));
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ code: 'conflict' });
    expect(dup.body.message).toContain(existing.email);

    const badTeam = await admin.post('/api/users', newUserBody({ teamIds: [999_999] }));
    expect(badTeam.status).toBe(404);
  });

  it('updates name, email, role and teams, keeping the leader flag of teams kept; audited before/after', async () => {
    const user = await createUser(t.database.db, { role: 'manager' });
    const kept = await createTeam(t.database.db, []);
    const dropped = await createTeam(t.database.db, []);
    const joined = await createTeam(t.database.db, []);
    const manager = await apiUser(t.app, t.database, 'admin');
    // Make the user lead `kept` through the teams API.
    expect((await manager.post(`/api/teams/${kept.id}/members`, { userId: user.id, isLeader: true })).status).toBe(200);
    expect((await manager.post(`/api/teams/${dropped.id}/members`, { userId: user.id })).status).toBe(200);

    const email = `renamed-${uniqueSuffix()}@test.org`;
    const res = await admin.patch(`/api/users/${user.id}`, {
      name: 'Renamed Person',
      email,
      role: 'agent',
      teamIds: [kept.id, joined.id],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Renamed Person', email, role: 'agent' });
    expect(res.body.teams).toEqual(
      expect.arrayContaining([
        { id: kept.id, name: kept.name, isLeader: true },
        { id: joined.id, name: joined.name, isLeader: false },
      ]),
    );
    expect(res.body.teams).toHaveLength(2);

    const trail = await auditOf(t.database.db, 'user', user.id);
    const update = trail.find((a) => a.action === 'update')!;
    expect(update.before).toMatchObject({ role: 'manager', email: user.email });
    expect(update.after).toMatchObject({ role: 'agent', email, name: 'Renamed Person' });

    const other = await createUser(t.database.db);
    const clash = await admin.patch(`/api/users/${user.id}`, { email: other.email });
    expect(clash.status).toBe(409);
    expect((await admin.patch('/api/users/999999', { name: 'Nobody' })).status).toBe(404);
  });
});

describe('disabling, enabling, resetting a password', () => {
  it('disabling ends every session at once: the old cookie gets 401 and sign-in is refused; enable restores', async () => {
    const user = await createUser(t.database.db);
    const cookieA = await login(t.app, user.email, TEST_PASSWORD);
    const cookieB = await login(t.app, user.email, TEST_PASSWORD);
    expect((await request(t.app, cookieA, 'GET', '/api/auth/me')).status).toBe(200);

    const disabled = await admin.post(`/api/users/${user.id}/disable`);
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ id: user.id, disabled: true });
    expect(disabled.body.disabledAt).toBeTruthy();

    for (const cookie of [cookieA, cookieB]) {
      expect((await request(t.app, cookie, 'GET', '/api/auth/me')).status).toBe(401);
    }
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: TEST_PASSWORD },
    });
    expect(refused.statusCode).toBe(401);

    const enabled = await admin.post(`/api/users/${user.id}/enable`);
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ disabled: false, disabledAt: null });
    await login(t.app, user.email, TEST_PASSWORD);

    expect((await auditOf(t.database.db, 'user', user.id)).map((a) => a.action)).toEqual(['disable', 'enable']);
  });

  it('an admin cannot disable their own account', async () => {
    const res = await admin.post(`/api/users/${admin.user.id}/disable`);
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/your own account/);
    expect((await admin.get('/api/users')).status).toBe(200);
  });

  it('reset password: the sessions end, the old password stops working, the new one works', async () => {
    const user = await createUser(t.database.db);
    const cookie = await login(t.app, user.email, TEST_PASSWORD);
    const short = await admin.post(`/api/users/${user.id}/password`, { password: 'tiny' });
    expect(short.status).toBe(400);
    expect(short.body.issues).toEqual([expect.objectContaining({ path: 'body.password' })]);

    const res = await admin.post(`/api/users/${user.id}/password`, { password: 'brand-new-password' });
    expect(res.status).toBe(204);
    expect((await request(t.app, cookie, 'GET', '/api/auth/me')).status).toBe(401);
    const old = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: TEST_PASSWORD },
    });
    expect(old.statusCode).toBe(401);
    await login(t.app, user.email, 'brand-new-password');
    const trail = await auditOf(t.database.db, 'user', user.id);
    expect(trail.map((a) => a.action)).toEqual(['reset_password']);
    expect(JSON.stringify(trail)).not.toMatch(/brand-new-password|argon2/);
  });
});

describe('passwords set by an administrator', () => {
  const signIn = (email: string, password: string, ip = '10.20.0.1') =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress: ip });

  it('a new user must choose their own password at first sign-in: until then only me, logout and changePassword answer', async () => {
    const body = newUserBody();
    const created = await admin.post('/api/users', body);
    expect(created.status).toBe(201);

    const first = await signIn(body.email, body.password);
    expect(first.statusCode).toBe(200);
    expect(first.json().user).toMatchObject({ id: created.body.id, mustChangePassword: true });
    const cookie = sessionCookie(first);

    const refused = await request(t.app, cookie, 'GET', '/api/job-roles');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      code: 'password_change_required',
      message: 'An administrator set your password: choose your own password before you go on.',
    });
    expect((await request(t.app, cookie, 'POST', '/api/shift', { jobRoleId: 1 })).body.code).toBe(
      'password_change_required',
    );
    const who = await request(t.app, cookie, 'GET', '/api/auth/me');
    expect(who.status).toBe(200);
    expect(who.body.user.mustChangePassword).toBe(true);

    const changed = await request(t.app, cookie, 'POST', '/api/auth/password', {
      currentPassword: body.password,
      newPassword: 'my-very-own-secret',
    });
    expect(changed.status).toBe(200);
    expect(changed.body.user.mustChangePassword).toBe(false);
    expect((await request(t.app, cookie, 'GET', '/api/job-roles')).status).toBe(200);
    const again = await signIn(body.email, 'my-very-own-secret');
    expect(again.json().user.mustChangePassword).toBe(false);
  });

  it('after a reset the user must choose their own again; a reset also lifts a lock-out at once', async () => {
    const user = await createUser(t.database.db);
    for (let i = 0; i < 5; i++)
      expect((await signIn(user.email, 'wrong-password', `10.21.0.${i}`)).statusCode).toBe(401);
    expect((await signIn(user.email, TEST_PASSWORD, '10.21.0.99')).statusCode).toBe(429);

    expect((await admin.post(`/api/users/${user.id}/password`, { password: 'set-by-the-admin' })).status).toBe(204);
    const res = await signIn(user.email, 'set-by-the-admin', '10.21.0.99');
    expect(res.statusCode).toBe(200);
    expect(res.json().user.mustChangePassword).toBe(true);
    expect((await request(t.app, sessionCookie(res), 'GET', '/api/job-roles')).status).toBe(403);
  });

  it('common passwords are refused when an administrator creates a user or resets a password', async () => {
    const created = await admin.post('/api/users', newUserBody({ password: 'password12' }));
    expect(created.status).toBe(400);
    expect(created.body.message).toMatch(/commonly used/);
    expect(created.body.issues).toEqual([{ path: 'body.password', message: 'Too common: choose another' }]);

    const user = await createUser(t.database.db);
    const reset = await admin.post(`/api/users/${user.id}/password`, { password: 'Password123' });
    expect(reset.status).toBe(400);
    expect(reset.body.issues).toEqual([{ path: 'body.password', message: 'Too common: choose another' }]);
    await login(t.app, user.email, TEST_PASSWORD); // unchanged
  });
});

describe('the last active administrator', () => {
  it('cannot be demoted; with a second admin it can; two admins disabling each other: one wins', async () => {
    // A database of its own: here the admins are counted.
    const own = await createTestApp();
    const only = await apiUser(own.app, own.database, 'admin');
    const demote = await only.patch(`/api/users/${only.user.id}`, { role: 'manager' });
    expect(demote.status).toBe(409);
    expect(demote.body.message).toMatch(/last active administrator/);

    const second = await apiUser(own.app, own.database, 'admin');
    const [a, b] = await Promise.all([
      only.post(`/api/users/${second.user.id}/disable`),
      second.post(`/api/users/${only.user.id}/disable`),
    ]);
    const statuses = [a.status, b.status].sort();
    // One disables the other; the second request either finds its author's session gone (401)
    // or finds its target the last admin (409). Never both admins disabled.
    expect(statuses[0]).toBe(200);
    expect([401, 409]).toContain(statuses[1]);
    const winner = a.status === 200 ? only : second;
    const users = (await winner.get('/api/users')).body.users as { role: string; disabled: boolean }[];
    expect(users.filter((u) => u.role === 'admin' && !u.disabled)).toHaveLength(1);

    const loser = a.status === 200 ? second : only;
    expect((await winner.post(`/api/users/${loser.user.id}/enable`)).status).toBe(200);
    const demoteNow = await winner.patch(`/api/users/${loser.user.id}`, { role: 'manager' });
    expect(demoteNow.status).toBe(200);
    expect(demoteNow.body.role).toBe('manager');
  });
});

describe('the API document', () => {
  it('names the administration operations the web app and integrations rely on', async () => {
    const doc = (await request(t.app, null, 'GET', '/api/openapi.json')).body as {
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(ids).toEqual(
      expect.arrayContaining([
        'listUsers',
        'createUser',
        'updateUser',
        'disableUser',
        'enableUser',
        'resetPassword',
        'listAllJobRoles',
        'createEndReason',
        'reorderSkipReasons',
        'retireBreakReason',
        'restoreJobRole',
        'listTeams',
        'createTeam',
        'addTeamMember',
        'removeTeamMember',
        'setTeamLeader',
        'listCampaigns',
        'getCampaign',
        'createCampaign',
        'updateCampaign',
        'setCampaignTeams',
        'connectList',
        'setListPriority',
        'disconnectList',
        'getCampaignProgress',
      ]),
    );
  });
});
