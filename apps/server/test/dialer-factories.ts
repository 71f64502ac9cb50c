import { eq } from 'drizzle-orm';
import type { Database } from '../src/db/client';
import {
  breakReasons,
  campaignLists,
  campaignTeams,
  campaigns,
  donors,
  endReasons,
  jobRoles,
  listMembers,
  lists,
  skipReasons,
  teamMembers,
  teams,
} from '../src/db/schema';
import { syncQueue } from '../src/features/dialer/dialer.repository';
import { uniqueSuffix } from './factories';

/** The settings every dialer test needs: a job role and one reason of each outcome. */
export async function createSettings(db: Database['db']) {
  const s = uniqueSuffix();
  const [role] = await db
    .insert(jobRoles)
    .values({ name: `Agent ${s}`, outbound: true, inbound: true })
    .returning();
  const [requeue, remove] = await db
    .insert(skipReasons)
    .values([
      { name: `Not now ${s}`, outcome: 'requeue' },
      { name: `Wrong list ${s}`, outcome: 'remove' },
    ])
    .returning();
  const [final, retry, appointment, dnc] = await db
    .insert(endReasons)
    .values([
      { name: `Concluded ${s}`, outcome: 'final', countsAsContact: true },
      { name: `No answer ${s}`, outcome: 'retry', retryMinutes: 60 },
      { name: `Call back later ${s}`, outcome: 'appointment', countsAsContact: true },
      { name: `Do not call ${s}`, outcome: 'do_not_call', countsAsContact: true },
    ])
    .returning();
  const [lunch] = await db
    .insert(breakReasons)
    .values({ name: `Lunch ${s}` })
    .returning();
  return {
    jobRoleId: role!.id,
    skip: { requeue: requeue!.id, remove: remove!.id },
    end: { final: final!.id, retry: retry!.id, appointment: appointment!.id, dnc: dnc!.id },
    breakReasonId: lunch!.id,
  };
}

export async function createTeam(db: Database['db'], memberIds: number[]) {
  const [team] = await db
    .insert(teams)
    .values({ name: `Team ${uniqueSuffix()}` })
    .returning();
  if (memberIds.length) await db.insert(teamMembers).values(memberIds.map((userId) => ({ teamId: team!.id, userId })));
  return team!;
}

export interface DonorSpec {
  timeZone?: string;
  phone?: string | null;
  doNotCall?: boolean;
  deceased?: boolean;
  firstName?: string;
  /** ISO 3166-1 alpha-2: the legal calling window of that country applies. */
  country?: string | null;
}

let phoneCounter = 0;
/** Valid, unique UK mobile numbers (07700 900000-900999 is Ofcom's drama range). */
export function testPhone(): string {
  phoneCounter = (phoneCounter + 1) % 1000;
  return `+4477009${String(Math.floor(Math.random() * 10)).padStart(1, '0')}${String(phoneCounter).padStart(4, '0')}`;
}

export async function createDonors(db: Database['db'], specs: DonorSpec[]) {
  if (specs.length === 0) return [];
  const s = uniqueSuffix();
  const rows = await db
    .insert(donors)
    .values(
      specs.map((d, i) => ({
        reference: `T-${s}-${i}`,
        firstName: d.firstName ?? `Donor${i}`,
        lastName: `Test ${s}`,
        phone: d.phone === undefined ? testPhone() : d.phone,
        timeZone: d.timeZone ?? 'Europe/London',
        country: d.country ?? null,
        doNotCall: d.doNotCall ?? false,
        deceased: d.deceased ?? false,
      })),
    )
    .returning();
  return rows;
}

export async function createCampaign(
  database: Database,
  opts: {
    teamIds: number[];
    lists: { donorIds: number[]; priority?: number }[];
    status?: 'draft' | 'active' | 'paused' | 'finished';
    /** The same hours every weekday (donor time); default 00:00-24:00, which the legal window clips. */
    hours?: [string, string];
    /** Monday first; null: no calls that day. Overrides `hours` day by day. */
    weekdayHours?: ({ start: string; end: string } | null)[];
    closedDates?: string[];
    maxAttempts?: number;
    holdSeconds?: number;
    startsOn?: string | null;
    endsOn?: string | null;
    purpose?: 'sponsorship_follow_up' | 'failed_payments' | 'new_donors' | 'reactivation' | 'thank_you';
    queuedAt?: Date;
  },
) {
  const { db } = database;
  const [camp] = await db
    .insert(campaigns)
    .values({
      name: `Campaign ${uniqueSuffix()}`,
      purpose: opts.purpose ?? 'thank_you',
      status: opts.status ?? 'active',
      startsOn: opts.startsOn === undefined ? '2020-01-01' : opts.startsOn,
      endsOn: opts.endsOn === undefined ? '2099-12-31' : opts.endsOn,
      callingHoursStart: opts.hours?.[0] ?? '00:00',
      callingHoursEnd: opts.hours?.[1] ?? '24:00',
      weekdayHours:
        opts.weekdayHours ??
        Array.from({ length: 7 }, () => ({ start: opts.hours?.[0] ?? '00:00', end: opts.hours?.[1] ?? '24:00' })),
      closedDates: opts.closedDates ?? [],
      maxAttempts: opts.maxAttempts ?? 5,
      holdSeconds: opts.holdSeconds ?? 300,
      script: 'Hello, this is a test script.',
    })
    .returning();
  if (opts.teamIds.length)
    await db.insert(campaignTeams).values(opts.teamIds.map((teamId) => ({ campaignId: camp!.id, teamId })));
  for (const l of opts.lists) {
    const [list] = await db
      .insert(lists)
      .values({ name: `List ${uniqueSuffix()}` })
      .returning();
    if (l.donorIds.length)
      await db.insert(listMembers).values(l.donorIds.map((donorId) => ({ listId: list!.id, donorId })));
    await db.insert(campaignLists).values({ campaignId: camp!.id, listId: list!.id, priority: l.priority ?? 100 });
  }
  await syncQueue(db, camp!.id, opts.queuedAt ?? new Date('2026-01-01T00:00:00Z'));
  return camp!;
}

export async function setCampaignStatus(
  db: Database['db'],
  id: number,
  status: 'draft' | 'active' | 'paused' | 'finished',
) {
  await db.update(campaigns).set({ status }).where(eq(campaigns.id, id));
}

/**
 * Sets the organisation's legal calling window (default 08:00-21:00 in the donor's time, no
 * closed weekday, no country of its own). Tests that call at night set a wide one explicitly.
 */
export async function setLegalWindow(
  database: Database,
  start = '08:00',
  end = '21:00',
  opts: {
    closedWeekdays?: number[];
    countries?: { country: string; start: string; end: string; closedWeekdays: number[] }[];
  } = {},
): Promise<void> {
  await database.pool.query(
    `UPDATE organisation_settings SET legal_hours_start = $1, legal_hours_end = $2,
            legal_closed_weekdays = $3::smallint[], country_calling_windows = $4::jsonb WHERE id = 1`,
    [start, end, opts.closedWeekdays ?? [], JSON.stringify(opts.countries ?? [])],
  );
}
