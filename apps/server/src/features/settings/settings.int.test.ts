import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app';
import { apiUser, auditOf, type ApiUser } from '../../../test/admin-factories';
import { signedIn } from '../../../test/agent';
import { createCampaign, createDonors, createSettings, createTeam } from '../../../test/dialer-factories';
import { uniqueSuffix } from '../../../test/factories';

let t: TestApp;
let admin: ApiUser;
let s: Awaited<ReturnType<typeof createSettings>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await apiUser(t.app, t.database, 'admin');
  s = await createSettings(t.database.db);
});

const kinds = ['job-roles', 'skip-reasons', 'end-reasons', 'break-reasons'] as const;
const name = (prefix: string) => `${prefix} ${uniqueSuffix()}`;

describe('who may change the settings', () => {
  it('agents and managers get 403 on every administration route; agents still read active lists', async () => {
    for (const role of ['agent', 'manager'] as const) {
      const who = await apiUser(t.app, t.database, role);
      for (const kind of kinds) {
        const base = `/api/settings/${kind}`;
        expect((await who.get(base)).status).toBe(403);
        expect((await who.post(base, { name: 'X', outcome: 'final', outbound: true, inbound: true })).status).toBe(403);
        expect((await who.patch(`${base}/1`, { name: 'X' })).status).toBe(403);
        expect((await who.put(`${base}/order`, { ids: [1] })).status).toBe(403);
        expect((await who.post(`${base}/1/retire`)).status).toBe(403);
        expect((await who.post(`${base}/1/restore`)).status).toBe(403);
      }
      expect((await who.get('/api/end-reasons')).status).toBe(200);
    }
  });
});

describe('job roles', () => {
  it('add (outbound and/or inbound, at least one), rename, retire and restore; audited', async () => {
    const none = await admin.post('/api/settings/job-roles', {
      name: name('Nothing'),
      outbound: false,
      inbound: false,
    });
    expect(none.status).toBe(400);
    expect(none.body.issues).toEqual([expect.objectContaining({ path: 'body.outbound' })]);

    const created = await admin.post('/api/settings/job-roles', {
      name: name('Inbound'),
      outbound: false,
      inbound: true,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ outbound: false, inbound: true, retired: false, retiredAt: null });
    const id = created.body.id as number;

    const dup = await admin.post('/api/settings/job-roles', {
      name: created.body.name.toUpperCase(),
      outbound: true,
      inbound: true,
    });
    expect(dup.status).toBe(409);

    const renamed = await admin.patch(`/api/settings/job-roles/${id}`, {
      name: `${created.body.name} line`,
      outbound: true,
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: `${created.body.name} line`, outbound: true, inbound: true });
    expect((await admin.patch(`/api/settings/job-roles/${id}`, { outbound: false, inbound: false })).status).toBe(400);

    const agent = await apiUser(t.app, t.database, 'agent');
    expect((await agent.get('/api/job-roles')).body.map((r: { id: number }) => r.id)).toContain(id);
    const retired = await admin.post(`/api/settings/job-roles/${id}/retire`);
    expect(retired.body).toMatchObject({ id, retired: true });
    expect((await agent.get('/api/job-roles')).body.map((r: { id: number }) => r.id)).not.toContain(id);
    expect((await agent.post('/api/shift', { jobRoleId: id })).status).toBe(409);
    const all = await admin.get('/api/settings/job-roles');
    expect(all.body.items.find((r: { id: number }) => r.id === id)).toMatchObject({ retired: true });

    const restored = await admin.post(`/api/settings/job-roles/${id}/restore`);
    expect(restored.body).toMatchObject({ retired: false, retiredAt: null });
    expect((await agent.get('/api/job-roles')).body.map((r: { id: number }) => r.id)).toContain(id);

    expect((await auditOf(t.database.db, 'job_role', id)).map((a) => a.action)).toEqual([
      'create',
      'update',
      'retire',
      'restore',
    ]);
  });
});

describe('end reasons', () => {
  it('outcome rules: retry needs minutes > 0; other outcomes carry none; counts flags are kept', async () => {
    const noMinutes = await admin.post('/api/settings/end-reasons', { name: name('No answer'), outcome: 'retry' });
    expect(noMinutes.status).toBe(400);
    expect(noMinutes.body.issues).toEqual([expect.objectContaining({ path: 'body.retryMinutes' })]);
    expect(
      (await admin.post('/api/settings/end-reasons', { name: name('Busy'), outcome: 'retry', retryMinutes: 0 })).status,
    ).toBe(400);

    const retry = await admin.post('/api/settings/end-reasons', {
      name: name('Busy'),
      outcome: 'retry',
      retryMinutes: 90,
    });
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ outcome: 'retry', retryMinutes: 90, countsAsContact: false });

    const final = await admin.patch(`/api/settings/end-reasons/${retry.body.id}`, {
      outcome: 'final',
      countsAsContact: true,
      countsAsSuccess: true,
    });
    expect(final.body).toMatchObject({
      outcome: 'final',
      retryMinutes: null,
      countsAsContact: true,
      countsAsSuccess: true,
    });
    // Back to retry without minutes: refused (the old minutes are gone).
    expect((await admin.patch(`/api/settings/end-reasons/${retry.body.id}`, { outcome: 'retry' })).status).toBe(400);
    const back = await admin.patch(`/api/settings/end-reasons/${retry.body.id}`, {
      outcome: 'retry',
      retryMinutes: 30,
    });
    expect(back.body).toMatchObject({ outcome: 'retry', retryMinutes: 30 });

    const appointment = await admin.post('/api/settings/end-reasons', {
      name: name('Call back'),
      outcome: 'appointment',
      retryMinutes: 10,
    });
    expect(appointment.body).toMatchObject({ outcome: 'appointment', retryMinutes: null });

    const trail = await auditOf(t.database.db, 'end_reason', retry.body.id);
    expect(trail[1]).toMatchObject({
      action: 'update',
      before: expect.objectContaining({ outcome: 'retry', retryMinutes: 90 }),
      after: expect.objectContaining({ outcome: 'final', retryMinutes: null }),
    });
  });

  it('a retired reason is no longer offered but stays on the call it ended', async () => {
    const reason = await admin.post('/api/settings/end-reasons', {
      name: name('Thanked warmly'),
      outcome: 'final',
      countsAsContact: true,
    });
    const agent = await signedIn(t.app, t.database);
    const team = await createTeam(t.database.db, [agent.user.id]);
    const donors = await createDonors(t.database.db, [{}]);
    const campaign = await createCampaign(t.database, {
      teamIds: [team.id],
      lists: [{ donorIds: donors.map((d) => d.id) }],
    });
    expect((await agent.openShift(s.jobRoleId)).status).toBe(201);
    expect((await agent.ready(team.id, campaign.id)).status).toBe(200);
    const next = await agent.next();
    const started = await agent.start(next.body.offer.id);
    const ended = await agent.end(started.body.call.id, { endReasonId: reason.body.id });
    expect(ended.status).toBe(200);

    const retired = await admin.post(`/api/settings/end-reasons/${reason.body.id}/retire`);
    expect(retired.status).toBe(200);
    const offered = await agent.call('GET', '/api/end-reasons');
    expect(offered.body.map((r: { id: number }) => r.id)).not.toContain(reason.body.id);

    const calls = await agent.call('GET', '/api/me/calls?scope=all');
    expect(calls.body[0]).toMatchObject({
      id: started.body.call.id,
      endReason: { id: reason.body.id, name: reason.body.name, outcome: 'final' },
    });
    const row = await t.database.db.execute(sql`select end_reason_id from calls where id = ${started.body.call.id}`);
    expect(row.rows[0]).toEqual({ end_reason_id: reason.body.id });
    // Retiring twice changes nothing.
    expect((await admin.post(`/api/settings/end-reasons/${reason.body.id}/retire`)).body.retired).toBe(true);
  });
});

describe('skip and break reasons', () => {
  it('skip reasons: add, change outcome, rename, retire', async () => {
    const created = await admin.post('/api/settings/skip-reasons', { name: name('Language'), outcome: 'requeue' });
    expect(created.status).toBe(201);
    const changed = await admin.patch(`/api/settings/skip-reasons/${created.body.id}`, {
      outcome: 'remove',
      name: `${created.body.name} barrier`,
    });
    expect(changed.body).toMatchObject({ outcome: 'remove', name: `${created.body.name} barrier` });
    await admin.post(`/api/settings/skip-reasons/${created.body.id}/retire`);
    const agent = await apiUser(t.app, t.database, 'agent');
    expect((await agent.get('/api/skip-reasons')).body.map((r: { id: number }) => r.id)).not.toContain(created.body.id);
    const bad = await admin.post('/api/settings/skip-reasons', { name: name('X'), outcome: 'later' });
    expect(bad.status).toBe(400);
  });

  it('reorder: the ids given come first in that order, the rest keep theirs; agents see the new order', async () => {
    const a = await admin.post('/api/settings/break-reasons', { name: name('Lunch') });
    const b = await admin.post('/api/settings/break-reasons', { name: name('Training') });
    const c = await admin.post('/api/settings/break-reasons', { name: name('Coaching') });
    const before = (await admin.get('/api/settings/break-reasons')).body.items.map((r: { id: number }) => r.id);
    expect(before.slice(-3)).toEqual([a.body.id, b.body.id, c.body.id]);

    const reordered = await admin.put('/api/settings/break-reasons/order', { ids: [c.body.id, a.body.id] });
    expect(reordered.status).toBe(200);
    const ids = reordered.body.items.map((r: { id: number }) => r.id);
    expect(ids.slice(0, 2)).toEqual([c.body.id, a.body.id]);
    expect(ids.indexOf(b.body.id)).toBeGreaterThan(1);
    expect(reordered.body.items.map((r: { position: number }) => r.position)).toEqual(
      ids.map((_: number, i: number) => i + 1),
    );

    const agent = await apiUser(t.app, t.database, 'agent');
    const offered = (await agent.get('/api/break-reasons')).body.map((r: { id: number }) => r.id);
    expect(offered.slice(0, 2)).toEqual([c.body.id, a.body.id]);

    expect((await admin.put('/api/settings/break-reasons/order', { ids: [a.body.id, a.body.id] })).status).toBe(400);
    expect((await admin.put('/api/settings/break-reasons/order', { ids: [999_999] })).status).toBe(404);

    const renamed = await admin.patch(`/api/settings/break-reasons/${b.body.id}`, { name: `${b.body.name} day` });
    expect(renamed.body.name).toBe(`${b.body.name} day`);
    expect((await auditOf(t.database.db, 'break_reason', c.body.id)).map((x) => x.action)).toEqual([
      'create',
      'reorder',
    ]);
  });

  it('the last active item of a kind cannot be retired: agents would be stuck', async () => {
    const own = await createTestApp();
    const boss = await apiUser(own.app, own.database, 'admin');
    const only = await boss.post('/api/settings/break-reasons', { name: 'Lunch' });
    const refused = await boss.post(`/api/settings/break-reasons/${only.body.id}/retire`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/last active break reason/);
    const other = await boss.post('/api/settings/break-reasons', { name: 'Training' });
    expect((await boss.post(`/api/settings/break-reasons/${only.body.id}/retire`)).status).toBe(200);
    expect((await boss.post(`/api/settings/break-reasons/${other.body.id}/retire`)).status).toBe(409);
    expect((await boss.post('/api/settings/break-reasons/999999/retire')).status).toBe(404);
  });
});
