import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app';
import { signedIn, type Agent } from '../../../test/agent';
import { auditOf } from '../../../test/admin-factories';

const PATH = '/api/settings/organisation';
const DEFAULT_CURRENCIES = ['GBP', 'EUR', 'USD', 'CAD', 'AUD', 'INR', 'KES', 'JPY', 'BRL', 'KRW'];

let t: TestApp;
let admin: Agent;
let agent: Agent;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedIn(t.app, t.database, 'admin');
  agent = await signedIn(t.app, t.database, 'agent');
});

describe('organisation settings', () => {
  it('start with the demo currencies, GBP first and default, and a 10-minute grace; everyone signed in reads them', async () => {
    const res = await agent.call('GET', PATH);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      currencies: DEFAULT_CURRENCIES,
      defaultCurrency: 'GBP',
      donationGraceMinutes: 10,
      updatedAt: expect.any(String),
    });
  });

  it('an administrator changes them; each change is audited with what it was and what it became', async () => {
    const res = await admin.call('PATCH', PATH, {
      currencies: ['eur', 'GBP', 'CHF'],
      defaultCurrency: 'EUR',
      donationGraceMinutes: 15,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      currencies: ['EUR', 'GBP', 'CHF'],
      defaultCurrency: 'EUR',
      donationGraceMinutes: 15,
    });
    expect((await agent.call('GET', PATH)).body).toMatchObject({ currencies: ['EUR', 'GBP', 'CHF'] });

    // Only the grace changes: only the grace is audited. Sending what is there already audits nothing.
    expect((await admin.call('PATCH', PATH, { donationGraceMinutes: 5, defaultCurrency: 'EUR' })).status).toBe(200);
    expect((await admin.call('PATCH', PATH, { donationGraceMinutes: 5 })).status).toBe(200);

    const audit = await auditOf(t.database.db, 'organisation_settings', 1);
    expect(audit).toEqual([
      {
        actor_id: admin.user.id,
        action: 'update',
        before: { currencies: DEFAULT_CURRENCIES, defaultCurrency: 'GBP', donationGraceMinutes: 10 },
        after: { currencies: ['EUR', 'GBP', 'CHF'], defaultCurrency: 'EUR', donationGraceMinutes: 15 },
      },
      {
        actor_id: admin.user.id,
        action: 'update',
        before: { donationGraceMinutes: 15 },
        after: { donationGraceMinutes: 5 },
      },
    ]);
    const trail = await admin.call('GET', '/api/audit?entityType=organisation_settings&entityId=1');
    expect(trail.status).toBe(200);
    expect(trail.body.entries).toHaveLength(2);
    expect(trail.body.entries[0]).toMatchObject({ actor: { id: admin.user.id }, after: { donationGraceMinutes: 5 } });

    await admin.call('PATCH', PATH, {
      currencies: DEFAULT_CURRENCIES,
      defaultCurrency: 'GBP',
      donationGraceMinutes: 10,
    });
  });

  it.each([
    ['XXX', { currencies: ['GBP', 'XXX'] }, 'body.currencies.1'],
    ['BTC', { currencies: ['GBP', 'BTC'] }, 'body.currencies.1'],
    ['a default currency that is not ISO 4217', { defaultCurrency: 'XTS' }, 'body.defaultCurrency'],
    ['no currency at all', { currencies: [] }, 'body.currencies'],
    ['a currency named twice', { currencies: ['GBP', 'gbp'] }, 'body.currencies'],
    ['a negative grace', { donationGraceMinutes: -1 }, 'body.donationGraceMinutes'],
    ['a grace of more than a day', { donationGraceMinutes: 1441 }, 'body.donationGraceMinutes'],
    ['a grace given as text', { donationGraceMinutes: '10' }, 'body.donationGraceMinutes'],
    ['a default currency not accepted', { defaultCurrency: 'USD', currencies: ['GBP'] }, 'body.defaultCurrency'],
    ['accepted currencies without the default', { currencies: ['EUR'] }, 'body.currencies'],
  ])('refuses %s, and changes nothing', async (_label, body, path) => {
    const res = await admin.call('PATCH', PATH, body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.issues.map((i: { path: string }) => i.path)).toContain(path);
    expect((await agent.call('GET', PATH)).body).toMatchObject({
      currencies: DEFAULT_CURRENCIES,
      defaultCurrency: 'GBP',
      donationGraceMinutes: 10,
    });
  });

  it('only administrators change them', async () => {
    const manager = await signedIn(t.app, t.database, 'manager');
    for (const who of [agent, manager]) {
      const res = await who.call('PATCH', PATH, { donationGraceMinutes: 30 });
      expect(res.status).toBe(403);
    }
    expect((await agent.call('GET', PATH)).body.donationGraceMinutes).toBe(10);
  });
});
