import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@engage/contracts';
import { auditLog } from '../../db/schema';
import { signedIn } from '../../../test/agent';
import { createTestApp, type TestApp } from '../../../test/app';
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
    expect(team.body.message).toMatch(/call, appointment and donor records only/);
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
