import { beforeAll, describe, expect, it } from 'vitest';
import { apiUser, type ApiUser } from '../../../test/admin-factories';
import { createTestApp, type TestApp } from '../../../test/app';
import { uniqueSuffix } from '../../../test/factories';

let t: TestApp;
let admin: ApiUser;

beforeAll(async () => {
  t = await createTestApp();
  admin = await apiUser(t.app, t.database, 'admin');
});

describe('listing phone-system tokens (the Phone systems page)', () => {
  it('lists every token newest first, revoked ones with when, never the token or its hash; admins only', async () => {
    const older = await admin.post<{ id: number; token: string }>('/api/phone-system-tokens', {
      name: `Old PBX ${uniqueSuffix()}`,
    });
    const newer = await admin.post<{ id: number; token: string }>('/api/phone-system-tokens', {
      name: `New PBX ${uniqueSuffix()}`,
    });
    expect(older.status).toBe(201);
    expect(newer.status).toBe(201);
    const revoked = await admin.post<{ revokedAt: string }>(`/api/phone-system-tokens/${older.body.id}/revoke`);
    expect(revoked.status).toBe(200);

    const res = await admin.get<{
      tokens: { id: number; name: string; createdAt: string; revokedAt: string | null }[];
    }>('/api/phone-system-tokens');
    expect(res.status).toBe(200);
    const ids = res.body.tokens.map((x) => x.id);
    expect(ids.indexOf(newer.body.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(newer.body.id)).toBeLessThan(ids.indexOf(older.body.id));
    expect(res.body.tokens.find((x) => x.id === older.body.id)).toEqual({
      id: older.body.id,
      name: expect.stringMatching(/^Old PBX /),
      createdAt: expect.any(String),
      revokedAt: revoked.body.revokedAt,
    });
    expect(res.body.tokens.find((x) => x.id === newer.body.id)?.revokedAt).toBeNull();
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(older.body.token);
    expect(text).not.toContain(newer.body.token);
    expect(text).not.toMatch(/hash/i);

    const manager = await apiUser(t.app, t.database, 'manager');
    expect((await manager.get('/api/phone-system-tokens')).status).toBe(403);
  });
});
