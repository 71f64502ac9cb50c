import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/db';
import type { Database } from '../db/client';
import { verifyPassword } from '../lib/password';
import { seedDemo, type DemoSeedSummary } from './demo-seed';

const NOW = new Date('2026-11-21T10:00:00Z');
let database: Database;
let summary: DemoSeedSummary;

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  return (await database.db.execute(query)).rows as T[];
}

beforeAll(async () => {
  database = await createTestDatabase();
  summary = await seedDemo(database.db, { now: NOW });
});

describe('demo data', () => {
  it('has the demo users, all with the password engage-demo', async () => {
    const users = await rows<{ email: string; role: string; password_hash: string }>(
      sql`select email, role, password_hash from users order by email`,
    );
    expect(users.map((u) => `${u.email}:${u.role}`)).toEqual([
      'admin@demo.org:admin',
      ...[1, 2, 3, 4, 5, 6].map((i) => `agent${i}@demo.org:agent`),
      'manager@demo.org:manager',
    ]);
    expect(await verifyPassword(users[0]!.password_hash, 'engage-demo')).toBe(true);
  });

  it('has the job roles and the default reasons with their outcomes', async () => {
    const roles = await rows<{ name: string; outbound: boolean; inbound: boolean }>(
      sql`select name, outbound, inbound from job_roles order by position`,
    );
    expect(roles).toEqual([
      { name: 'Agent', outbound: true, inbound: true },
      { name: 'Outbound caller', outbound: true, inbound: false },
      { name: 'Inbound caller', outbound: false, inbound: true },
    ]);
    const ends = new Map(
      (await rows<{ name: string; outcome: string }>(sql`select name, outcome from end_reasons`)).map((r) => [
        r.name,
        r.outcome,
      ]),
    );
    expect(
      Object.fromEntries(
        [
          'Concluded',
          'Donation made',
          'No answer',
          'Busy',
          'Voicemail left',
          'Call back later',
          'Wrong number',
          'Do not call',
          'Deceased',
        ].map((n) => [n, ends.get(n)]),
      ),
    ).toEqual({
      Concluded: 'final',
      'Donation made': 'final',
      'No answer': 'retry',
      Busy: 'retry',
      'Voicemail left': 'retry',
      'Call back later': 'appointment',
      'Wrong number': 'final',
      'Do not call': 'do_not_call',
      Deceased: 'do_not_call',
    });
    // End reasons say which calls they end: a donor who phoned in is never "No answer".
    const directions = new Map(
      (await rows<{ name: string; direction: string }>(sql`select name, direction::text from end_reasons`)).map((r) => [
        r.name,
        r.direction,
      ]),
    );
    expect(directions.get('No answer')).toBe('outbound');
    expect(directions.get('Enquiry answered')).toBe('inbound');
    expect(directions.get('Concluded')).toBe('both');
    const skips = await rows<{ outcome: string }>(
      sql`select distinct outcome::text as outcome from skip_reasons order by 1`,
    );
    expect(skips.map((s) => s.outcome)).toEqual(['remove', 'requeue']);
    expect(summary.breakReasons).toBeGreaterThanOrEqual(3);
  });

  it('has three teams and every demo agent in Donor Care', async () => {
    expect(summary.teams).toBe(3);
    const inDonorCare = await rows<{ email: string }>(sql`
      select u.email from team_members m join teams t on t.id = m.team_id join users u on u.id = m.user_id
      where t.name = 'Donor Care' and u.role = 'agent' order by u.email`);
    expect(inDonorCare.map((r) => r.email)).toEqual([1, 2, 3, 4, 5, 6].map((i) => `agent${i}@demo.org`));
  });

  it('has the five campaigns, dated around today, with the right sizes and hours', async () => {
    const campaigns = await rows<{
      name: string;
      purpose: string;
      status: string;
      starts_on: string;
      ends_on: string;
      calling_hours_start: string;
      calling_hours_end: string;
      weekday_hours: unknown;
      teams: string[];
    }>(sql`
      select c.name, c.purpose, c.status, c.starts_on::text, c.ends_on::text,
             c.calling_hours_start::text, c.calling_hours_end::text, c.weekday_hours,
             array(select t.name from campaign_teams ct join teams t on t.id = ct.team_id where ct.campaign_id = c.id order by t.name) as teams
      from campaigns c where c.purpose <> 'inbound_line' order by c.id`);
    expect(campaigns).toHaveLength(5);
    expect(new Set(campaigns.map((c) => c.purpose)).size).toBe(5);
    const byName = new Map(campaigns.map((c) => [c.name, c]));
    for (const c of campaigns) {
      expect(c.starts_on <= '2026-11-21' && c.ends_on >= '2027-11-21').toBe(true);
    }
    // Sensible hours (donor time): Mon-Fri 09:00-20:00, Sat 10:00-16:00, no calls on Sundays.
    expect(byName.get('Sponsorship follow-up')).toMatchObject({
      status: 'active',
      calling_hours_start: '09:00:00',
      calling_hours_end: '20:00:00',
      weekday_hours: [
        ...Array.from({ length: 5 }, () => ({ start: '09:00', end: '20:00' })),
        { start: '10:00', end: '16:00' },
        null,
      ],
    });
    expect(byName.get('Sponsorship follow-up')!.teams).toContain('Donor Care');
    expect(byName.get('Failed payments')).toMatchObject({
      status: 'active',
      calling_hours_start: '09:00:00',
      calling_hours_end: '20:00:00',
    });
    expect(byName.get('Spring appeal')!.status).toBe('paused');
    expect(campaigns.some((c) => c.purpose === 'new_donors')).toBe(true);
    expect(byName.get('Lapsed donors (small)')).toMatchObject({ status: 'active', teams: ['Donor Care'] });

    expect(summary.donorsPerCampaign['Sponsorship follow-up']).toBeGreaterThanOrEqual(2000);
    expect(summary.donorsPerCampaign['Lapsed donors (small)']).toBe(5);
    const [lapsed] = await rows<{ n: number }>(sql`
      select count(distinct lm.donor_id)::int as n from campaign_lists cl join list_members lm on lm.list_id = cl.list_id
      join campaigns c on c.id = cl.campaign_id where c.name = 'Lapsed donors (small)'`);
    expect(lapsed!.n).toBe(5);
  });

  it('has about 5,000 donors with varied names, valid E.164 phones and matching time zones', async () => {
    expect(summary.donors).toBe(5000);
    const donors = await rows<{
      first_name: string;
      last_name: string;
      phone: string | null;
      country: string;
      time_zone: string;
    }>(sql`select first_name, last_name, phone, country, time_zone from donors`);
    const names = donors.map((d) => `${d.first_name} ${d.last_name}`);
    expect(names.some((n) => /O'Brien/.test(n))).toBe(true);
    expect(names.some((n) => /[éöøñçł]/i.test(n))).toBe(true);
    expect(names.some((n) => /\p{Script=Han}|\p{Script=Cyrillic}|\p{Script=Arabic}|\p{Script=Greek}/u.test(n))).toBe(
      true,
    );
    expect(names.every((n) => n === n.normalize('NFC'))).toBe(true);
    const withPhone = donors.filter((d) => d.phone);
    expect(withPhone.length).toBeGreaterThan(4500);
    expect(withPhone.every((d) => isValidPhoneNumber(d.phone!))).toBe(true);
    expect(new Set(donors.map((d) => d.country)).size).toBeGreaterThanOrEqual(8);
    const zones = new Set(donors.map((d) => d.time_zone));
    for (const z of zones) expect(() => new Intl.DateTimeFormat('en', { timeZone: z })).not.toThrow();
    const gb = donors.filter((d) => d.country === 'GB');
    expect(gb.every((d) => d.time_zone === 'Europe/London')).toBe(true);
  });

  it('has donation histories, sponsorships and unresolved failed payments', async () => {
    expect(summary.donations).toBeGreaterThan(5000);
    expect(summary.sponsorships).toBeGreaterThan(2000);
    expect(summary.failedPaymentsUnresolved).toBeGreaterThan(50);
    const [bad] = await rows<{ n: number }>(sql`select count(*)::int as n from donations where amount_minor <= 0`);
    expect(bad!.n).toBe(0);
  });

  it('is deterministic: the same seed gives the same donors', async () => {
    const other = await createTestDatabase();
    await seedDemo(other.db, { now: NOW });
    const digest = async (db: Database) => {
      const r = await db.db.execute(
        sql`select reference, first_name, last_name, phone, time_zone, do_not_call from donors order by reference`,
      );
      return createHash('sha256').update(JSON.stringify(r.rows)).digest('hex');
    };
    expect(await digest(other)).toBe(await digest(database));
  });

  it("has the inbound line Supporter care, answered by Donor Care under General enquiries, and the simulator's phone system", async () => {
    const lines = await rows<{
      name: string;
      number: string;
      campaign: string;
      purpose: string;
      teams: string[];
      open: boolean;
    }>(sql`
      select l.name, l.number, c.name as campaign, c.purpose::text as purpose,
             array(select t.name from inbound_line_teams lt join teams t on t.id = lt.team_id where lt.line_id = l.id) as teams,
             l.weekday_hours = '[{"start":"00:00","end":"24:00"},{"start":"00:00","end":"24:00"},{"start":"00:00","end":"24:00"},{"start":"00:00","end":"24:00"},{"start":"00:00","end":"24:00"},{"start":"00:00","end":"24:00"},{"start":"00:00","end":"24:00"}]'::jsonb as open
      from inbound_lines l join campaigns c on c.id = l.campaign_id`);
    expect(lines).toEqual([
      {
        name: 'Supporter care',
        number: '+442079460999',
        campaign: 'General enquiries',
        purpose: 'inbound_line',
        teams: ['Donor Care'],
        open: true,
      },
    ]);
    expect(summary.inboundLines).toBe(1);
    // The Inbound caller job role takes inbound calls (any demo agent signs in under it).
    const [role] = await rows<{ inbound: boolean; outbound: boolean }>(
      sql`select inbound, outbound from job_roles where name = 'Inbound caller'`,
    );
    expect(role).toEqual({ inbound: true, outbound: false });
    // Only the token's hash is kept.
    const tokens = await rows<{ name: string; token_hash: string; revoked_at: string | null }>(
      sql`select name, token_hash, revoked_at from phone_system_tokens`,
    );
    expect(tokens).toHaveLength(1);
    expect(tokens[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(tokens[0]!.revoked_at).toBeNull();
  });
});
