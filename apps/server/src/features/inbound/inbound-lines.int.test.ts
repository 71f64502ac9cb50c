import { count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiUser, auditOf, type ApiUser } from '../../../test/admin-factories';
import { createTestApp, type TestApp } from '../../../test/app';
import { uniqueSuffix } from '../../../test/factories';
import { campaigns, phoneSystemTokens } from '../../db/schema';
import { hashPhoneSystemToken } from './inbound.service';

let t: TestApp;
let admin: ApiUser;

beforeAll(async () => {
  t = await createTestApp();
  admin = await apiUser(t.app, t.database, 'admin');
});

let seq = 100;
/** A fresh valid London number, written nationally. */
const nextNumber = () => `020 7946 0${String(seq++).padStart(3, '0')}`;

async function teamLedBy(manager: ApiUser): Promise<{ id: number; name: string }> {
  const res = await manager.post<{ id: number; name: string }>('/api/teams', { name: `Team ${uniqueSuffix()}` });
  expect(res.status).toBe(201);
  return res.body;
}

describe('inbound lines', () => {
  it('an admin creates a line: the number typed in any format is stored in E.164, defaults filled, General enquiries campaign, audited', async () => {
    const res = await admin.post('/api/inbound/lines', {
      number: '+44 (0)20 7946-0019',
      name: `Donor care ${uniqueSuffix()}`,
      timeZone: 'europe/london',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      number: '+442079460019',
      timeZone: 'Europe/London',
      teams: [],
      campaign: { name: 'General enquiries' },
      ringSeconds: 20,
      maxWaitSeconds: 300,
      closedAction: 'voicemail',
      overflowAction: 'voicemail',
      closedDates: [],
    });
    expect(res.body.weekdayHours).toHaveLength(7);
    const [general] = await t.database.db
      .select({ purpose: campaigns.purpose, status: campaigns.status })
      .from(campaigns)
      .where(eq(campaigns.id, res.body.campaign.id));
    expect(general).toEqual({ purpose: 'inbound_line', status: 'active' });
    expect(await auditOf(t.database.db, 'inbound_line', res.body.id)).toEqual([
      expect.objectContaining({ action: 'create', actor_id: admin.user.id }),
    ]);

    // A second line reuses the same General enquiries campaign.
    const second = await admin.post('/api/inbound/lines', {
      number: nextNumber(),
      country: 'gb',
      name: `Second ${uniqueSuffix()}`,
      timeZone: 'Europe/London',
    });
    expect(second.status).toBe(201);
    expect(second.body.campaign.id).toBe(res.body.campaign.id);
    const generals = await t.database.db
      .select({ n: count() })
      .from(campaigns)
      .where(eq(campaigns.name, 'General enquiries'));
    expect(generals[0]!.n).toBe(1);
  });

  it.each([
    ['0044 20 7946 0020', 'GB', '+442079460020'],
    ['tel:+44-20-7946-0021', undefined, '+442079460021'],
    ['+44.20.7946.0022', undefined, '+442079460022'],
    ['(212) 555-0142', 'US', '+12125550142'],
    ['+1 (415) 555 2671', undefined, '+14155552671'],
  ])('the number %s (country %s) is stored as %s', async (typed, country, e164) => {
    const res = await admin.post('/api/inbound/lines', {
      number: typed,
      ...(country ? { country } : {}),
      name: `Line ${uniqueSuffix()}`,
      timeZone: 'Europe/London',
    });
    expect(res.status).toBe(201);
    expect(res.body.number).toBe(e164);
  });

  it('refuses a number it cannot read, a national number without a country, a duplicate number, bad hours, naming the fix', async () => {
    const base = { name: `Line ${uniqueSuffix()}`, timeZone: 'Europe/London' };
    const national = await admin.post('/api/inbound/lines', { ...base, number: '020 7946 0500' });
    expect(national.status).toBe(400);
    expect(national.body.message).toMatch(/country code/);
    expect(national.body.message).toMatch(/send `country`/);
    expect(national.body.issues).toEqual([expect.objectContaining({ path: 'body.number' })]);

    const junk = await admin.post('/api/inbound/lines', { ...base, number: 'call us', country: 'GB' });
    expect(junk.status).toBe(400);
    expect(junk.body.issues[0].path).toBe('body.number');

    const zone = await admin.post('/api/inbound/lines', {
      ...base,
      number: nextNumber(),
      country: 'GB',
      timeZone: 'Mars/Olympus',
    });
    expect(zone.status).toBe(400);
    expect(zone.body.issues).toEqual([
      expect.objectContaining({ path: 'body.timeZone', message: expect.stringMatching(/IANA/) }),
    ]);

    const hours = await admin.post('/api/inbound/lines', {
      ...base,
      number: nextNumber(),
      country: 'GB',
      weekdayHours: [{ start: '17:00', end: '09:00' }, null, null, null, null, null, null],
    });
    expect(hours.status).toBe(400);
    expect(hours.body.issues[0].message).toMatch(/end after they start/);

    const first = nextNumber();
    expect((await admin.post('/api/inbound/lines', { ...base, number: first, country: 'GB' })).status).toBe(201);
    const dup = await admin.post('/api/inbound/lines', {
      name: `Other ${uniqueSuffix()}`,
      timeZone: 'UTC',
      number: `+44 ${first.slice(1)}`,
    });
    expect(dup.status).toBe(409);
    expect(dup.body.message).toMatch(/already has the number \+44/);
  });

  it('a manager creates and changes lines only for the teams they lead; others do not see them', async () => {
    const manager = await apiUser(t.app, t.database, 'manager');
    const other = await apiUser(t.app, t.database, 'manager');
    const mine = await teamLedBy(manager);
    const theirs = await teamLedBy(other);

    const noTeam = await manager.post('/api/inbound/lines', {
      number: nextNumber(),
      country: 'GB',
      name: `L ${uniqueSuffix()}`,
      timeZone: 'UTC',
    });
    expect(noTeam.status).toBe(400);
    expect(noTeam.body.message).toMatch(/at least one of the teams you lead/);

    const notMine = await manager.post('/api/inbound/lines', {
      number: nextNumber(),
      country: 'GB',
      name: `L ${uniqueSuffix()}`,
      timeZone: 'UTC',
      teamIds: [mine.id, theirs.id],
    });
    expect(notMine.status).toBe(403);
    expect(notMine.body.message).toContain(theirs.name);

    const created = await manager.post('/api/inbound/lines', {
      number: nextNumber(),
      country: 'GB',
      name: `Mine ${uniqueSuffix()}`,
      timeZone: 'Europe/London',
      teamIds: [mine.id],
      ringSeconds: 15,
      closedAction: 'callback',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ teams: [{ id: mine.id }], ringSeconds: 15, closedAction: 'callback' });
    const lineUrl = `/api/inbound/lines/${created.body.id}`;

    const listed = await manager.get('/api/inbound/lines');
    expect(listed.body.lines.map((l: { id: number }) => l.id)).toEqual([created.body.id]);
    expect(listed.body.lines[0].editable).toBe(true);
    expect((await other.get('/api/inbound/lines')).body.lines).toEqual([]);
    expect((await admin.get('/api/inbound/lines')).body.lines.map((l: { id: number }) => l.id)).toContain(
      created.body.id,
    );

    const changed = await manager.patch(lineUrl, {
      maxWaitSeconds: 120,
      closedDates: ['2026-12-25', '2026-12-25', '2026-01-01'],
      weekdayHours: [null, null, null, null, null, { start: '10:00', end: '14:00' }, null],
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ maxWaitSeconds: 120, closedDates: ['2026-01-01', '2026-12-25'] });
    const trail = await auditOf(t.database.db, 'inbound_line', created.body.id);
    expect(trail.map((a) => a.action)).toEqual(['create', 'update']);
    expect(trail[1]!.before).toMatchObject({ maxWaitSeconds: 300 });
    expect(trail[1]!.after).toMatchObject({ maxWaitSeconds: 120 });

    // Another manager: as if it did not exist; adding a team they do not lead: refused.
    expect((await other.patch(lineUrl, { name: 'Taken over' })).status).toBe(404);
    const widen = await manager.patch(lineUrl, { teamIds: [mine.id, theirs.id] });
    expect(widen.status).toBe(403);
    // An admin adds the other team: the line is no longer only the manager's to change.
    expect((await admin.patch(lineUrl, { teamIds: [mine.id, theirs.id] })).status).toBe(200);
    const refused = await manager.patch(lineUrl, { name: 'Mine now' });
    expect(refused.status).toBe(404);
    expect(refused.body.message).toMatch(/Ask an administrator/);
    // Both managers see the shared line now, neither may change it (the page says why); an admin may.
    const shared = (list: { id: number; editable: boolean }[]) => list.find((l) => l.id === created.body.id);
    expect(shared((await manager.get('/api/inbound/lines')).body.lines)?.editable).toBe(false);
    expect(shared((await other.get('/api/inbound/lines')).body.lines)?.editable).toBe(false);
    expect(shared((await admin.get('/api/inbound/lines')).body.lines)?.editable).toBe(true);

    const agent = await apiUser(t.app, t.database, 'agent');
    expect((await agent.get('/api/inbound/lines')).status).toBe(403);
    expect((await agent.patch(lineUrl, { name: 'x' })).status).toBe(403);
  });

  it("a manager records a line's calls only under a campaign they may see", async () => {
    const manager = await apiUser(t.app, t.database, 'manager');
    const team = await teamLedBy(manager);
    const foreign = await admin.post('/api/campaigns', { name: `Foreign ${uniqueSuffix()}`, purpose: 'inbound_line' });
    const own = await manager.post('/api/campaigns', {
      name: `Own ${uniqueSuffix()}`,
      purpose: 'inbound_line',
      teamIds: [team.id],
    });
    const body = {
      number: nextNumber(),
      country: 'GB',
      name: `L ${uniqueSuffix()}`,
      timeZone: 'UTC',
      teamIds: [team.id],
    };
    expect((await manager.post('/api/inbound/lines', { ...body, campaignId: foreign.body.id })).status).toBe(404);
    const ok = await manager.post('/api/inbound/lines', { ...body, campaignId: own.body.id });
    expect(ok.status).toBe(201);
    expect(ok.body.campaign).toEqual({ id: own.body.id, name: own.body.name });
  });
});

describe('phone-system tokens', () => {
  it('an admin creates a token (shown once, stored hashed) and revokes it; both audited; managers may not', async () => {
    const res = await admin.post('/api/phone-system-tokens', { name: 'Head office PBX' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      name: 'Head office PBX',
      token: expect.stringMatching(/^eps_[\w-]{43}$/),
    });
    const [row] = await t.database.db.select().from(phoneSystemTokens).where(eq(phoneSystemTokens.id, res.body.id));
    expect(row!.tokenHash).toBe(hashPhoneSystemToken(res.body.token));
    expect(JSON.stringify(row)).not.toContain(res.body.token);

    const revoked = await admin.post(`/api/phone-system-tokens/${res.body.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: res.body.id, revokedAt: expect.any(String) });
    const again = await admin.post(`/api/phone-system-tokens/${res.body.id}/revoke`);
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    const trail = await auditOf(t.database.db, 'phone_system_token', res.body.id);
    expect(trail.map((a) => a.action)).toEqual(['create', 'revoke']);
    expect(JSON.stringify(trail)).not.toContain(res.body.token);

    expect((await admin.post('/api/phone-system-tokens/999999/revoke')).status).toBe(404);
    const manager = await apiUser(t.app, t.database, 'manager');
    expect((await manager.post('/api/phone-system-tokens', { name: 'x' })).status).toBe(403);
    expect((await admin.post('/api/phone-system-tokens', { name: ' ' })).status).toBe(400);
  });
});

describe("a line's history (GET /api/audit, entityType inbound_line)", () => {
  it("a manager of one of the line's teams reads who changed it, when, from what to what; another manager gets 404; an admin any", async () => {
    const manager = await apiUser(t.app, t.database, 'manager');
    const other = await apiUser(t.app, t.database, 'manager');
    const team = await teamLedBy(manager);
    await teamLedBy(other);
    const created = await manager.post<{ id: number; name: string }>('/api/inbound/lines', {
      number: nextNumber(),
      country: 'GB',
      name: `History ${uniqueSuffix()}`,
      timeZone: 'Europe/London',
      teamIds: [team.id],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id;
    expect((await manager.patch(`/api/inbound/lines/${id}`, { ringSeconds: 30 })).status).toBe(200);

    const trail = await manager.get(`/api/audit?entityType=inbound_line&entityId=${id}`);
    expect(trail.status, JSON.stringify(trail.body)).toBe(200);
    expect(trail.body).toMatchObject({ entityType: 'inbound_line', entityId: id });
    expect(trail.body.entries).toEqual([
      expect.objectContaining({
        action: 'update',
        actor: { id: manager.user.id, name: manager.user.name },
        before: expect.objectContaining({ ringSeconds: 20, name: created.body.name }),
        after: expect.objectContaining({ ringSeconds: 30 }),
      }),
      expect.objectContaining({ action: 'create', actor: { id: manager.user.id, name: manager.user.name } }),
    ]);

    // Another team's manager: as if the line did not exist, saying what to do.
    const notTheirs = await other.get(`/api/audit?entityType=inbound_line&entityId=${id}`);
    expect(notTheirs.status).toBe(404);
    expect(notTheirs.body.message).toMatch(/answered by a team you lead/);
    expect((await admin.get(`/api/audit?entityType=inbound_line&entityId=${id}`)).body.entries).toHaveLength(2);
    // A line that does not exist: 404 for everyone.
    for (const who of [manager, admin]) {
      expect((await who.get('/api/audit?entityType=inbound_line&entityId=99999999')).status).toBe(404);
    }
  });
});
