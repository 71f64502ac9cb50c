import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@engage/contracts';
import { createTestApp, testClock, type TestApp } from '../../../test/app';
import { signedIn, type Agent } from '../../../test/agent';
import { createCampaign, createDonors, createSettings, createTeam } from '../../../test/dialer-factories';
import { addToList } from '../../../test/lists-factories';

/**
 * Recording a donation: money rules (ISO currencies the organisation takes, strict amounts), card
 * numbers, and the call it goes on (open, or ended within the grace; a manager's own teams only).
 */

const clock = testClock(new Date('2026-06-10T12:00:00Z'));
let t: TestApp;
let s: Awaited<ReturnType<typeof createSettings>>;
let admin: Agent;

beforeAll(async () => {
  t = await createTestApp({
    now: clock.now,
    env: { SESSION_IDLE_MINUTES: '1000000', SESSION_ABSOLUTE_HOURS: '100000' },
  });
  s = await createSettings(t.database.db);
  admin = await signedIn(t.app, t.database, 'admin');
});

const as = (role: Role) => signedIn(t.app, t.database, role);

async function leads(managerId: number, teamId: number) {
  await t.database.db.execute(
    sql`insert into team_members (team_id, user_id, is_leader) values (${teamId}, ${managerId}, true)`,
  );
}

/** An agent of a fresh team (led by a fresh manager) on a call with a donor. */
async function onCall() {
  const manager = await as('manager');
  const agent = await signedIn(t.app, t.database);
  const team = await createTeam(t.database.db, [agent.user.id]);
  await leads(manager.user.id, team.id);
  const donors = await createDonors(t.database.db, [{}]);
  const campaign = await createCampaign(t.database, { teamIds: [team.id], lists: [{ donorIds: [donors[0]!.id] }] });
  expect((await agent.openShift(s.jobRoleId)).status).toBe(201);
  expect((await agent.ready(team.id, campaign.id)).status).toBe(200);
  const next = await agent.next();
  expect(next.body.status).toBe('offered');
  const started = await agent.start(next.body.offer.id);
  expect(started.status).toBe(200);
  const call = started.body.call as { id: number; donorId: number };
  const donate = (who: Agent, body: Record<string, unknown>) =>
    who.call('POST', `/api/donors/${call.donorId}/donations`, {
      amount: 2500,
      currency: 'GBP',
      callId: call.id,
      ...body,
    });
  return { manager, agent, team, call, donorId: call.donorId, donate };
}

async function donationCount(donorId: number): Promise<number> {
  const r = await t.database.db.execute(sql`select count(*)::int as n from donations where donor_id = ${donorId}`);
  return (r.rows[0] as { n: number }).n;
}

async function setOrganisation(body: Record<string, unknown>) {
  const res = await admin.call('PATCH', '/api/settings/organisation', body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe('money', () => {
  it.each(['XXX', 'BTC', 'XTS', 'ABC'])('refuses %s: not an ISO 4217 currency', async (currency) => {
    const { agent, donate, donorId } = await onCall();
    const res = await donate(agent, { currency });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.issues).toEqual([{ path: 'body.currency', message: expect.stringMatching(/ISO 4217/) }]);
    expect(await donationCount(donorId)).toBe(0);
  });

  it('refuses a real currency the organisation does not take, until an administrator adds it', async () => {
    const { agent, donate, donorId } = await onCall();
    const res = await donate(agent, { currency: 'chf' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'currency_not_accepted',
      message: expect.stringMatching(/does not take donations in CHF\. Choose one of GBP, EUR/),
      issues: [{ path: 'body.currency' }],
    });
    expect(await donationCount(donorId)).toBe(0);

    const before = (await agent.call('GET', '/api/settings/organisation')).body;
    await setOrganisation({ currencies: [...before.currencies, 'CHF'] });
    try {
      const ok = await donate(agent, { currency: 'chf' });
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({ amountMinor: 2500, currency: 'CHF' });
    } finally {
      await setOrganisation({ currencies: before.currencies });
    }
  });

  it.each([
    ['true', true],
    ['[7]', [7]],
    ['"0x10"', '0x10'],
    ['"2500" (a string)', '2500'],
    ['25.5', 25.5],
    ['0', 0],
    ['-2500', -2500],
    ['more than 1,000,000.00', 100_000_001],
  ])('refuses the amount %s', async (_label, amount) => {
    const { agent, donate, donorId } = await onCall();
    const res = await donate(agent, { amount });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.issues.map((i: { path: string }) => i.path)).toEqual(['body.amount']);
    expect(await donationCount(donorId)).toBe(0);
  });
});

describe('card numbers in a donation', () => {
  it.each([
    ['dots', '4111.1111.1111.1111'],
    ['slashes', '4111/1111/1111/1111'],
    ['full-width digits', '４１１１ １１１１ １１１１ １１１１'],
  ])('refuses one written with %s, in the payment reference and in the purpose', async (_label, card) => {
    const { agent, donate, donorId } = await onCall();
    for (const field of ['paymentReference', 'purpose']) {
      const res = await donate(agent, { [field]: `Card ${card}` });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 'card_number_refused',
        message: expect.stringMatching(
          /Card numbers are never stored: take the payment on the payment line and record only its reference/,
        ),
        issues: [{ path: `body.${field}` }],
      });
    }
    expect(await donationCount(donorId)).toBe(0);
  });

  it('takes a 16-digit order number that fails the Luhn check', async () => {
    const { agent, donate } = await onCall();
    const res = await donate(agent, {
      paymentReference: 'ORDER 1234 5678 1234 5678',
      purpose: 'Order 1234567812345678',
    });
    expect(res.status).toBe(201);
    expect(res.body.paymentReference).toBe('ORDER 1234 5678 1234 5678');
  });
});

describe('the call a donation goes on', () => {
  it('is the open call, or one that ended within the grace (10 minutes by default), not later', async () => {
    clock.set(new Date('2026-06-10T12:00:00Z'));
    const { agent, call, donate, donorId } = await onCall();
    expect((await donate(agent, {})).status).toBe(201);
    expect((await agent.end(call.id, { endReasonId: s.end.final })).status).toBe(200);

    clock.advance(9 * 60_000);
    const within = await donate(agent, { amount: 1000 });
    expect(within.status).toBe(201);
    expect(within.body.callId).toBe(call.id);
    // Without a call id, the agent's call with the donor that just ended.
    const implicit = await agent.call('POST', `/api/donors/${donorId}/donations`, { amount: 500, currency: 'GBP' });
    expect(implicit.status).toBe(201);
    expect(implicit.body.callId).toBe(call.id);

    clock.advance(2 * 60_000);
    const late = await donate(agent, { amount: 1500 });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({
      code: 'donation_call_closed',
      message: expect.stringMatching(/up to 10 minutes after it ends/),
    });
    const lateImplicit = await agent.call('POST', `/api/donors/${donorId}/donations`, { amount: 500, currency: 'GBP' });
    expect(lateImplicit.body.code).toBe('donation_call_closed');
    expect(await donationCount(donorId)).toBe(3);
  });

  it("follows the organisation's grace: 0 minutes means only while the call is open", async () => {
    const { agent, call, donate, donorId } = await onCall();
    await setOrganisation({ donationGraceMinutes: 0 });
    try {
      expect((await agent.end(call.id, { endReasonId: s.end.final })).status).toBe(200);
      clock.advance(1000);
      const res = await donate(agent, {});
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        code: 'donation_call_closed',
        message: expect.stringMatching(/while it is open\./),
      });
      expect(await donationCount(donorId)).toBe(0);
    } finally {
      await setOrganisation({ donationGraceMinutes: 10 });
    }
  });

  it("a manager records one on a call of a team they lead, not on another team's call", async () => {
    const a = await onCall();
    const b = await onCall();
    // B's manager reaches A's donor (on a list they made), but the call is team A's.
    const list = await b.manager.call('POST', '/api/lists', { name: `B's list ${a.donorId}` });
    await addToList(t.database, list.body.id, [a.donorId]);
    const refused = await a.donate(b.manager, {});
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      code: 'call_outside_your_teams',
      message: expect.stringMatching(/a team you do not lead/),
    });
    expect(await donationCount(a.donorId)).toBe(0);

    const own = await a.donate(a.manager, {});
    expect(own.status).toBe(201);
    expect(own.body.callId).toBe(a.call.id);
    const byAdmin = await b.donate(admin, {});
    expect(byAdmin.status).toBe(201);
  });
});
