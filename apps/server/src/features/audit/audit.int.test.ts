import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@engage/contracts';
import { auditLog } from '../../db/schema';
import { sql } from 'drizzle-orm';
import { signedIn } from '../../../test/agent';
import { createTestApp, type TestApp } from '../../../test/app';
import { createCampaign, createDonors, createTeam } from '../../../test/dialer-factories';
import { createUser } from '../../../test/factories';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

async function as(role: Role) {
  const { user, call } = await signedIn(t.app, t.database, role);
  return { user, get: (url: string) => call('GET', url) };
}

describe('getAuditTrail', () => {
  it('admins read the trail of any entity type, newest first, with the actor’s name (null for the system)', async () => {
    const admin = await as('admin');
    const editor = await createUser(t.database.db, { role: 'admin', name: 'Ada Editor' });
    await t.database.db.insert(auditLog).values([
      {
        actorId: editor.id,
        entityType: 'team',
        entityId: 42,
        action: 'create',
        after: { name: 'North' },
        at: new Date('2026-01-01T10:00:00Z'),
      },
      {
        actorId: editor.id,
        entityType: 'team',
        entityId: 42,
        action: 'update',
        before: { name: 'North' },
        after: { name: 'North-East' },
        at: new Date('2026-01-02T10:00:00Z'),
      },
      { actorId: null, entityType: 'team', entityId: 42, action: 'retire', at: new Date('2026-01-03T10:00:00Z') },
      { actorId: editor.id, entityType: 'team', entityId: 43, action: 'create', at: new Date('2026-01-01T10:00:00Z') },
    ]);
    const res = await admin.get('/api/audit?entityType=team&entityId=42');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      entityType: 'team',
      entityId: 42,
      entries: [
        {
          id: expect.any(Number),
          at: '2026-01-03T10:00:00.000Z',
          action: 'retire',
          actor: null,
          before: null,
          after: null,
        },
        {
          id: expect.any(Number),
          at: '2026-01-02T10:00:00.000Z',
          action: 'update',
          actor: { id: editor.id, name: 'Ada Editor' },
          before: { name: 'North' },
          after: { name: 'North-East' },
        },
        {
          id: expect.any(Number),
          at: '2026-01-01T10:00:00.000Z',
          action: 'create',
          actor: { id: editor.id, name: 'Ada Editor' },
          before: null,
          after: { name: 'North' },
        },
      ],
    });
  });

  it('managers read calls and appointments only; a call or appointment that does not exist is 404 for everyone', async () => {
    const manager = await as('manager');
    const admin = await as('admin');
    const team = await manager.get('/api/audit?entityType=team&entityId=42');
    expect(team.status).toBe(403);
    expect(team.body.message).toMatch(/call, appointment, donor, campaign and inbound line records only/);
    for (const who of [manager, admin]) {
      expect((await who.get('/api/audit?entityType=call&entityId=99999999')).status).toBe(404);
      expect((await who.get('/api/audit?entityType=appointment&entityId=99999999')).status).toBe(404);
    }
  });

  it('validates the query and refuses agents', async () => {
    const admin = await as('admin');
    expect((await admin.get('/api/audit?entityType=call')).status).toBe(400);
    expect((await admin.get('/api/audit?entityType=Call%3B&entityId=1')).status).toBe(400);
    expect((await admin.get('/api/audit?entityType=call&entityId=-1')).status).toBe(400);
    const agent = await as('agent');
    expect((await agent.get('/api/audit?entityType=call&entityId=1')).status).toBe(403);
  });
});

describe('the history of donors and campaigns', () => {
  it('a manager reads who changed a donor and a campaign of their team, when, from what to what', async () => {
    const manager = await signedIn(t.app, t.database, 'manager');
    const team = await createTeam(t.database.db, []);
    await t.database.db.execute(
      sql`insert into team_members (team_id, user_id, is_leader) values (${team.id}, ${manager.user.id}, true)`,
    );
    const [donor] = await createDonors(t.database.db, [{}]);
    const campaign = await createCampaign(t.database, { teamIds: [team.id], lists: [{ donorIds: [donor!.id] }] });

    const phone = `+442079460${String(100 + Math.floor(Math.random() * 900))}`;
    const edited = await manager.call('PATCH', `/api/donors/${donor!.id}`, { phone, doNotCall: true });
    expect(edited.body).toMatchObject({ phone, doNotCall: true });
    const donorTrail = await manager.call('GET', `/api/audit?entityType=donor&entityId=${donor!.id}`);
    expect(donorTrail.status).toBe(200);
    expect(donorTrail.body.entries).toEqual([
      {
        id: expect.any(Number),
        at: expect.any(String),
        action: 'update',
        actor: { id: manager.user.id, name: manager.user.name },
        before: { phone: donor!.phone, do_not_call: false },
        after: { phone, do_not_call: true },
      },
    ]);

    expect((await manager.call('PATCH', `/api/campaigns/${campaign.id}`, { maxAttempts: 3 })).status).toBe(200);
    expect((await manager.call('PATCH', `/api/campaigns/${campaign.id}`, { status: 'paused' })).status).toBe(200);
    const campaignTrail = await manager.call('GET', `/api/audit?entityType=campaign&entityId=${campaign.id}`);
    expect(campaignTrail.status).toBe(200);
    expect(campaignTrail.body.entries).toEqual([
      expect.objectContaining({
        action: 'status_paused',
        actor: { id: manager.user.id, name: manager.user.name },
        before: expect.objectContaining({ status: 'active', maxAttempts: 3, teamNames: [team.name] }),
        after: expect.objectContaining({ status: 'paused', maxAttempts: 3 }),
      }),
      expect.objectContaining({
        action: 'update',
        before: expect.objectContaining({ maxAttempts: 5 }),
        after: expect.objectContaining({ maxAttempts: 3 }),
      }),
    ]);
  });

  it("another team's campaign answers as a missing one does; a missing donor is 404; admins read any", async () => {
    const manager = await signedIn(t.app, t.database, 'manager');
    const otherTeam = await createTeam(t.database.db, []);
    const other = await createCampaign(t.database, { teamIds: [otherTeam.id], lists: [] });

    const notMine = await manager.call('GET', `/api/audit?entityType=campaign&entityId=${other.id}`);
    const missing = await manager.call('GET', '/api/audit?entityType=campaign&entityId=99999999');
    expect(notMine.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(notMine.body.code).toBe(missing.body.code);
    expect(notMine.body.message.replace(String(other.id), 'N')).toBe(missing.body.message.replace('99999999', 'N'));
    expect((await manager.call('GET', '/api/audit?entityType=donor&entityId=99999999')).status).toBe(404);

    const admin = await signedIn(t.app, t.database, 'admin');
    expect((await admin.call('GET', `/api/audit?entityType=campaign&entityId=${other.id}`)).status).toBe(200);
  });
});
