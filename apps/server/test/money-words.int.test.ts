import { beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '@engage/contracts';
import { donations } from '../src/db/schema';
import { createTestApp, testClock, type TestApp } from './app';
import { signedIn } from './agent';
import { createCampaign, createDonors, createSettings, createTeam, setLegalWindow } from './dialer-factories';

/**
 * Money reads the same wherever the agent sees it: the server's "why this donor" line uses the
 * contracts' formatMoney, the one the browser's donor profile uses for the same gift.
 */
const clock = testClock(new Date('2026-06-10T12:00:00Z'));
let t: TestApp;
let s: Awaited<ReturnType<typeof createSettings>>;

beforeAll(async () => {
  t = await createTestApp({ now: clock.now });
  s = await createSettings(t.database.db);
  await setLegalWindow(t.database, '00:00', '24:00');
});

describe('money in the offer', () => {
  it.each([
    [2500, 'GBP', '£25.00'],
    [3000, 'JPY', 'JP¥3,000'],
  ])('a thank-you for %i minor units of %s says %s, as the donor profile does', async (amountMinor, currency, text) => {
    const agent = await signedIn(t.app, t.database);
    const team = await createTeam(t.database.db, [agent.user.id]);
    const [donor] = await createDonors(t.database.db, [{ firstName: 'Ada' }]);
    await t.database.db.insert(donations).values({
      donorId: donor!.id,
      amountMinor,
      currency,
      purpose: 'Water appeal',
      method: 'card',
      donatedAt: new Date('2026-06-01T10:00:00Z'),
    });
    const campaign = await createCampaign(t.database, {
      teamIds: [team.id],
      lists: [{ donorIds: [donor!.id] }],
      purpose: 'thank_you',
    });
    expect((await agent.openShift(s.jobRoleId)).status).toBe(201);
    expect((await agent.ready(team.id, campaign.id)).status).toBe(200);
    const next = await agent.next();
    expect(next.body.status).toBe('offered');
    expect(next.body.offer.why).toBe(`Say thank you for ${text} on 2026-06-01 (Water appeal)`);

    const profile = await agent.call('GET', `/api/donors/${donor!.id}`);
    const gift = (profile.body.donations as { amountMinor: number; currency: string }[])[0]!;
    expect(formatMoney(gift.amountMinor, gift.currency)).toBe(text);
  });
});
