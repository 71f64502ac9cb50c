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
  // The test template calls around the clock (test/global-setup.ts): back to what a new
  // organisation starts with, the columns' own defaults.
  await t.database.pool.query(
    'UPDATE organisation_settings SET legal_hours_start = DEFAULT, legal_hours_end = DEFAULT',
  );
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
      legalWindow: { start: '08:00', end: '21:00', closedWeekdays: [] },
      countryWindows: [],
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

describe('the legal calling window', () => {
  it('the legal calling window: an administrator sets the default and a country’s own; audited; nonsense refused', async () => {
    const res = await admin.call('PATCH', PATH, {
      legalWindow: { start: '08:30', end: '20:30', closedWeekdays: [7] },
      countryWindows: [{ country: 'fr', start: '09:00', end: '20:00', closedWeekdays: [7] }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      legalWindow: { start: '08:30', end: '20:30', closedWeekdays: [7] },
      countryWindows: [{ country: 'FR', start: '09:00', end: '20:00', closedWeekdays: [7] }],
    });
    expect((await agent.call('GET', PATH)).body.countryWindows).toEqual([
      { country: 'FR', start: '09:00', end: '20:00', closedWeekdays: [7] },
    ]);
    const audit = await auditOf(t.database.db, 'organisation_settings', 1);
    expect(audit.at(-1)).toEqual({
      actor_id: admin.user.id,
      action: 'update',
      before: { legalWindow: { start: '08:00', end: '21:00', closedWeekdays: [] }, countryWindows: [] },
      after: {
        legalWindow: { start: '08:30', end: '20:30', closedWeekdays: [7] },
        countryWindows: [{ country: 'FR', start: '09:00', end: '20:00', closedWeekdays: [7] }],
      },
    });

    for (const [body, path] of [
      [{ legalWindow: { start: '21:00', end: '08:00', closedWeekdays: [] } }, 'body.legalWindow.end'],
      [{ legalWindow: { start: '08:00', end: '25:00', closedWeekdays: [] } }, 'body.legalWindow.end'],
      [{ legalWindow: { start: '08:00', end: '21:00', closedWeekdays: [8] } }, 'body.legalWindow.closedWeekdays.0'],
      [
        { countryWindows: [{ country: 'France', start: '09:00', end: '20:00', closedWeekdays: [] }] },
        'body.countryWindows.0.country',
      ],
      [
        {
          countryWindows: [
            { country: 'FR', start: '09:00', end: '20:00', closedWeekdays: [] },
            { country: 'fr', start: '10:00', end: '19:00', closedWeekdays: [] },
          ],
        },
        'body.countryWindows',
      ],
    ] as const) {
      const bad = await admin.call('PATCH', PATH, body);
      expect({ body, status: bad.status }).toEqual({ body, status: 400 });
      expect(bad.body.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
    expect((await agent.call('GET', PATH)).body.legalWindow).toEqual({
      start: '08:30',
      end: '20:30',
      closedWeekdays: [7],
    });

    await admin.call('PATCH', PATH, {
      legalWindow: { start: '08:00', end: '21:00', closedWeekdays: [] },
      countryWindows: [],
    });
  });
});
