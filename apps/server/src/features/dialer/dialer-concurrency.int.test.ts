import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, testClock, type TestApp } from '../../../test/app';
import { signedIn, type Agent } from '../../../test/agent';
import { createTestDatabase } from '../../../test/db';
import { createCampaign, createDonors, createSettings, createTeam } from '../../../test/dialer-factories';

/** Many agents at once on one campaign: no donor is ever held by two of them. */
const clock = testClock(new Date('2026-06-10T12:00:00Z'));
let t: TestApp;
let s: Awaited<ReturnType<typeof createSettings>>;

beforeAll(async () => {
  const database = await createTestDatabase({ poolSize: 40 });
  t = await createTestApp({
    database,
    now: clock.now,
    env: { SESSION_IDLE_MINUTES: '1000000', SESSION_ABSOLUTE_HOURS: '100000', LOGIN_SLOWDOWN_AFTER_FAILURES: '1000' },
  });
  s = await createSettings(t.database.db);
});

async function team(n: number, donors: number) {
  const agents: Agent[] = [];
  for (let i = 0; i < n; i++) agents.push(await signedIn(t.app, t.database));
  const tm = await createTeam(
    t.database.db,
    agents.map((a) => a.user.id),
  );
  const ds = await createDonors(
    t.database.db,
    Array.from({ length: donors }, () => ({})),
  );
  const campaign = await createCampaign(t.database, {
    teamIds: [tm.id],
    lists: [{ donorIds: ds.map((d) => d.id) }],
    maxAttempts: 50,
  });
  await Promise.all(
    agents.map(async (a) => {
      await a.openShift(s.jobRoleId);
      await a.ready(tm.id, campaign.id);
    }),
  );
  return { agents, campaign, donors: ds };
}

async function openOffersPerDonor(): Promise<number> {
  const r = await t.database.db.execute(
    sql`select coalesce(max(n), 0)::int as worst from (select donor_id, count(*) as n from offers where status = 'open' group by donor_id) x`,
  );
  return (r.rows[0] as { worst: number }).worst;
}

describe('concurrency', () => {
  it('50 agents asking at the same moment get 50 different donors', async () => {
    const { agents } = await team(50, 200);
    const answers = await Promise.all(agents.map((a) => a.next()));
    expect(answers.map((a) => a.status)).toEqual(agents.map(() => 200));
    const ids = answers.map((a) => a.body.offer.donor.id as number);
    expect(new Set(ids).size).toBe(50);
    expect(await openOffersPerDonor()).toBe(1);
    const holds = await t.database.db.execute(sql`select count(*)::int as n from donor_holds where donor_id in ${ids}`);
    expect(holds.rows[0]).toEqual({ n: 50 });
  });

  it('20 rounds of random skips and ends: never one donor to two agents, nothing after a final outcome, retries honoured', async () => {
    const { agents, donors } = await team(30, 120);
    const finished = new Set<number>();
    const notBefore = new Map<number, number>(); // donor -> earliest time a retry allows
    let rng = 42;
    const random = () => (rng = (rng * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    let ended = 0;

    for (let round = 0; round < 20; round++) {
      const answers = await Promise.all(agents.map((a) => a.next()));
      const offered = answers.filter((a) => a.body.status === 'offered').map((a) => a.body.offer.donor.id as number);
      expect(new Set(offered).size).toBe(offered.length);
      expect(await openOffersPerDonor()).toBeLessThanOrEqual(1);
      for (const id of offered) {
        expect(finished.has(id), `donor ${id} offered after a final outcome`).toBe(false);
        expect(clock.now().getTime()).toBeGreaterThanOrEqual(notBefore.get(id) ?? 0);
      }

      await Promise.all(
        answers.map(async (a, i) => {
          if (a.body.status !== 'offered') return;
          const agent = agents[i]!;
          const donorId = a.body.offer.donor.id as number;
          const roll = random();
          if (roll < 0.25) {
            expect((await agent.skip(a.body.offer.id, s.skip.requeue)).status).toBe(204);
          } else if (roll < 0.35) {
            expect((await agent.skip(a.body.offer.id, s.skip.remove)).status).toBe(204);
            finished.add(donorId);
          } else {
            const started = await agent.start(a.body.offer.id);
            expect(started.status).toBe(200);
            const final = roll < 0.65;
            const res = await agent.end(started.body.call.id, { endReasonId: final ? s.end.final : s.end.retry });
            expect(res.status).toBe(200);
            ended++;
            if (final) finished.add(donorId);
            else notBefore.set(donorId, clock.now().getTime() + 60 * 60_000);
          }
        }),
      );
      clock.advance(10 * 60_000);
    }

    // Every acknowledged End Call left a call record with its end reason.
    const ids = donors.map((d) => d.id);
    const calls = await t.database.db.execute(
      sql`select count(*)::int as n from calls where donor_id in ${ids} and ended_at is not null and end_reason_id is not null`,
    );
    expect(calls.rows[0]).toEqual({ n: ended });
    expect(ended).toBeGreaterThan(100);
    // The queue agrees with what the agents saw.
    const fin = await t.database.db.execute(
      sql`select count(*)::int as n from campaign_donors where donor_id in ${ids} and state = 'finished'`,
    );
    expect(fin.rows[0]).toEqual({ n: finished.size });
  });
});
