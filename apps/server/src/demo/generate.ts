import type { WeekdayHours } from '@engage/contracts';
import type { donations, donors, payments, sponsorships } from '../db/schema';
import { COUNTRIES, type City, type Country } from './countries';
import {
  BANK_FAILURES,
  CARD_FAILURES,
  COMMUNITY_SPONSORSHIPS,
  DONATION_PURPOSES,
  DONOR_NOTES,
  GIFT_AMOUNTS_GBP,
  RESOLUTIONS,
  SCRIPTS,
  SPONSORED_CHILDREN,
  type DemoUserKey,
} from './content';
import { NAME_POOLS, SHOWCASE_NAMES, type Culture } from './names';
import { randomValidPhone } from './phones';
import { Prng } from './prng';

/**
 * Builds the whole demo data set in memory, without touching the database: donors with their
 * histories, lists and campaigns. Everything comes from a seeded generator and `now`, so the same
 * inputs always give the same plan.
 */

export const DEMO_SEED = 0x5eed_2025;
export const MIN_DONOR_COUNT = 30;

export type DonorRow = Omit<typeof donors.$inferInsert, 'id'>;
export type DonationRow = Omit<typeof donations.$inferInsert, 'id' | 'donorId' | 'recordedBy'>;
export type SponsorshipRow = Omit<typeof sponsorships.$inferInsert, 'id' | 'donorId'>;
export type PaymentRow = Omit<typeof payments.$inferInsert, 'id' | 'donorId' | 'sponsorshipId'>;

export type Segment = 'sponsor' | 'regular' | 'occasional' | 'new' | 'lapsed';

export interface DonorPlan {
  index: number;
  donor: DonorRow;
  segment: Segment;
  /** Has a phone and no do-not-call / deceased / suppressed flag. */
  callable: boolean;
  /** One of the five donors of the "Lapsed (small)" list. */
  lapsedSmall: boolean;
  region: 'North' | 'South';
  donations: { row: DonationRow; recordedBy: DemoUserKey | null }[];
  sponsorships: { row: SponsorshipRow; payments: PaymentRow[] }[];
  /** Payments of regular gifts, not tied to a sponsorship. */
  payments: PaymentRow[];
  notes: { body: string; author: DemoUserKey; createdAt: Date }[];
  hasUnresolvedFailure: boolean;
}

export interface ListPlan {
  name: string;
  description: string;
  donorIndexes: number[];
}

export interface CampaignPlan {
  name: string;
  purpose: 'sponsorship_follow_up' | 'failed_payments' | 'new_donors' | 'reactivation' | 'thank_you' | 'inbound_line';
  status: 'draft' | 'active' | 'paused' | 'finished';
  startsOn: string;
  endsOn: string;
  callingHoursStart: string;
  callingHoursEnd: string;
  /** Monday first; null: no calls that day. */
  weekdayHours: WeekdayHours;
  maxAttempts: number;
  script: string;
  teams: string[];
  /** [list name, priority]: lower priority is called first. */
  lists: [string, number][];
}

export interface DemoPlan {
  donors: DonorPlan[];
  lists: ListPlan[];
  campaigns: CampaignPlan[];
}

const DAY_MS = 86_400_000;
/** Monday to Friday, the same hours. */
const weekdays = (start: string, end: string) => Array.from({ length: 5 }, () => ({ start, end }));
/** The demo's usual calling week: Mon-Fri 09:00-20:00, Sat 10:00-16:00, Sun closed (donor time). */
const OFFICE_WEEK: WeekdayHours = [...weekdays('09:00', '20:00'), { start: '10:00', end: '16:00' }, null];
const nfc = (s: string) => s.normalize('NFC');
const nfcOrNull = (s: string | null) => (s === null ? null : nfc(s));
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Independent generator per donor: donor N is the same whatever donorCount is. */
function donorRng(index: number): Prng {
  let h = (DEMO_SEED ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return new Prng((h ^ (h >>> 16)) >>> 0);
}

/** A friendly amount in `country`'s currency, as integer minor units. */
function moneyMinor(country: Country, pounds: number): number {
  let units = pounds * country.perPound;
  if (units >= 1000) units = Math.round(units / 100) * 100;
  else if (units >= 100) units = Math.round(units / 10) * 10;
  else units = Math.max(1, Math.round(units));
  // Zero-decimal currencies (JPY, KRW) store whole units: there is no minor unit.
  return country.currencyDigits === 0 ? units : units * 100;
}

function paymentReference(r: Prng, method: string): string | null {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let code = '';
  for (let i = 0; i < 12; i++) code += alphabet.charAt(r.int(0, alphabet.length - 1));
  switch (method) {
    case 'card':
      return `CARD-${code}`;
    case 'direct_debit':
      return `DD-${code}`;
    case 'bank_transfer':
      return `BT-${code}`;
    case 'cheque':
      return `CHQ-${r.digits(6)}`;
    default:
      return null;
  }
}

interface Ctx {
  now: Date;
  today: Day;
  usedPhones: Set<string>;
}

/** A moment between minDays and maxDays before now (a random time of day). */
function daysAgo(ctx: Ctx, r: Prng, minDays: number, maxDays: number): Date {
  const days = r.int(minDays, maxDays);
  return new Date(ctx.now.getTime() - days * DAY_MS - r.int(0, 8 * 3600) * 1000);
}

/*
 * Calendar dates are plain UTC-midnight epoch milliseconds here: thousands of schedules are
 * computed, and plain arithmetic is far faster than a date library.
 */
type Day = number;

function isoDate(d: Day): string {
  return new Date(d).toISOString().slice(0, 10);
}

function utcDay(d: Date): Day {
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

function plusDays(d: Day, days: number): Day {
  return d + days * DAY_MS;
}

/** Moves by whole months, clamping the day to the target month's length (31 Mar - 1 month = 28/29 Feb). */
function plusMonths(d: Day, months: number): Day {
  const date = new Date(d);
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(date.getUTCDate(), lastDay));
}

/**
 * Due dates of a schedule anchored on `startedOn`, every `stepMonths`, from `windowStart` to
 * `until` (inclusive), newest first.
 */
function dueDates(startedOn: Day, stepMonths: number, windowStart: Day, until: Day): Day[] {
  const out: Day[] = [];
  const start = new Date(startedOn);
  const sy = start.getUTCFullYear();
  const sm = start.getUTCMonth();
  const day = Math.min(start.getUTCDate(), 28);
  const end = new Date(until);
  let k = (end.getUTCFullYear() - sy) * 12 + (end.getUTCMonth() - sm);
  k -= k % stepMonths;
  for (; k >= 0; k -= stepMonths) {
    const due = Date.UTC(sy, sm + k, day);
    if (due > until) continue;
    if (due < windowStart || due < startedOn) break;
    out.push(due);
  }
  return out;
}

function pickCulture(r: Prng, country: Country): Culture {
  return r.weighted(country.cultures);
}

/** The language a donor prefers: their city's or country's, sometimes their family's. */
function pickLanguage(r: Prng, country: Country, city: City, culture: Culture): string {
  const cultureLanguage = NAME_POOLS[culture].language;
  const local = city.language ?? country.language;
  if (cultureLanguage === local) return local;
  if (culture === country.cultures[0]?.[0]) {
    if (country.altLanguage && r.chance(country.altLanguage[1])) return country.altLanguage[0];
    return country.language;
  }
  return r.chance(0.25) ? cultureLanguage : country.language;
}

function buildDonor(ctx: Ctx, index: number, lapsedSmall: boolean): DonorPlan {
  const r = donorRng(index);
  const showcase = SHOWCASE_NAMES[index];
  const country: Country = showcase
    ? (COUNTRIES.find((c) => c.code === showcase.country) ?? r.weighted(COUNTRIES.map((c) => [c, c.weight] as const)))
    : r.weighted(COUNTRIES.map((c) => [c, c.weight] as const));
  const city = r.weighted(country.cities);
  const culture: Culture = showcase?.culture ?? pickCulture(r, country);
  const pool = NAME_POOLS[culture];
  const firstName = showcase?.first ?? r.pick(pool.first);
  const lastName = showcase?.last ?? r.pick(pool.last);
  const language = pickLanguage(r, country, city, culture);

  const segment: Segment = showcase
    ? 'sponsor'
    : lapsedSmall
      ? 'lapsed'
      : r.weighted<Segment>([
          ['sponsor', 50],
          ['regular', 12],
          ['occasional', 20],
          ['new', 6],
          ['lapsed', 12],
        ]);

  // Flags. Showcase and "Lapsed (small)" donors are always callable, so the demo flows.
  const forceCallable = Boolean(showcase) || lapsedSmall;
  const hasPhone = forceCallable || !r.chance(0.03);
  const phone = hasPhone ? randomValidPhone(r, country, city, ctx.usedPhones) : null;
  const altPhone = phone && r.chance(0.05) ? randomValidPhone(r, country, city, ctx.usedPhones) : null;
  const flagRoll = r.float();
  const doNotCall = !forceCallable && flagRoll < 0.02;
  const deceased = !forceCallable && flagRoll >= 0.02 && flagRoll < 0.025;
  const suppressed = !forceCallable && flagRoll >= 0.025 && flagRoll < 0.028;
  const email = r.chance(0.9) ? `donor${index + 1}@${r.chance(0.7) ? 'example.org' : 'example.com'}` : null;

  const hasAddress = r.chance(0.95);
  const streets = city.streets ?? country.streets;
  const houseNumber = r.int(1, 180);
  let addressLine2: string | null = null;
  if (hasAddress && r.chance(0.15)) {
    if (country.code === 'GB' || country.code === 'IE') addressLine2 = `Flat ${r.int(1, 24)}`;
    else if (country.code === 'US' || country.code === 'CA')
      addressLine2 = `Apt ${r.int(1, 30)}${r.pick(['', 'A', 'B', 'C'])}`;
    else if (country.code === 'AU') addressLine2 = `Unit ${r.int(1, 40)}`;
  }

  const plan: DonorPlan = {
    index,
    segment,
    callable: phone !== null && !doNotCall && !deceased && !suppressed,
    lapsedSmall,
    region: r.chance(0.55) ? 'North' : 'South',
    donations: [],
    sponsorships: [],
    payments: [],
    notes: [],
    hasUnresolvedFailure: false,
    donor: {
      reference: `D-${pad(index + 1, 6)}`,
      firstName: nfc(firstName),
      lastName: nfc(lastName),
      phone,
      altPhone,
      email,
      addressLine1: hasAddress ? nfc(country.addressLine(r.pick(streets), houseNumber)) : null,
      addressLine2: nfcOrNull(addressLine2),
      city: hasAddress ? nfc(city.name) : null,
      postcode: hasAddress ? city.postcode(r) : null,
      country: country.code,
      timeZone: city.timeZone,
      language,
      doNotCall,
      deceased,
      suppressed,
    },
  };

  const activity: Date[] = [];
  const gift = (
    at: Date,
    pounds: number,
    frequency: DonationRow['frequency'],
    forcedMethod?: DonationRow['method'],
  ) => {
    const method =
      forcedMethod ??
      r.weighted<DonationRow['method']>([
        ['card', 50],
        ['bank_transfer', 15],
        ['cash', 8],
        ['cheque', 8],
        ['other', 2],
      ]);
    plan.donations.push({
      row: {
        amountMinor: moneyMinor(country, pounds),
        currency: country.currency,
        purpose: r.weighted(DONATION_PURPOSES),
        method,
        frequency,
        paymentReference: paymentReference(r, method),
        donatedAt: at,
      },
      recordedBy: r.chance(0.1)
        ? r.pick<DemoUserKey>(['agent1', 'agent2', 'agent3', 'agent4', 'agent5', 'agent6'])
        : null,
    });
    activity.push(at);
  };
  const giftAmount = () => r.weighted(GIFT_AMOUNTS_GBP);
  const failureFor = (method: PaymentRow['method']) =>
    method === 'card' ? r.pick(CARD_FAILURES) : r.pick(BANK_FAILURES);

  /** Payments for a schedule; `failLatest` leaves the newest one(s) failed and unresolved. */
  const schedulePayments = (
    startedOn: Day,
    stepMonths: number,
    amountMinor: number,
    method: PaymentRow['method'],
    stopMonthsAgo: number,
    windowMonths: number,
    failLatest: boolean,
  ): PaymentRow[] => {
    const dues = dueDates(
      startedOn,
      stepMonths,
      plusMonths(ctx.today, -windowMonths),
      plusMonths(ctx.today, -stopMonthsAgo),
    );
    const failedCount = failLatest && dues.length > 0 ? (r.chance(0.35) && dues.length > 1 ? 2 : 1) : 0;
    const resolvedFailureAt = dues.length > 2 && r.chance(0.06) ? r.int(failedCount, dues.length - 1) : -1;
    return dues.map((due, i): PaymentRow => {
      const base = { amountMinor, currency: country.currency, method, dueOn: isoDate(due) };
      if (i < failedCount) {
        plan.hasUnresolvedFailure = true;
        return { ...base, status: 'failed', failureReason: failureFor(method) };
      }
      if (i === resolvedFailureAt) {
        const resolvedAt = new Date(plusDays(due, r.int(2, 12)) + r.int(9, 17) * 3_600_000);
        return {
          ...base,
          status: 'failed',
          failureReason: failureFor(method),
          resolution: r.pick(RESOLUTIONS),
          resolvedAt: resolvedAt < ctx.now ? resolvedAt : ctx.now,
        };
      }
      return { ...base, status: 'succeeded' };
    });
  };

  switch (segment) {
    case 'sponsor': {
      const count = r.chance(0.12) ? 2 : 1;
      const subjects = new Set<string>();
      for (let s = 0; s < count; s++) {
        let subject = '';
        for (let tries = 0; tries < 10 && (subject === '' || subjects.has(subject)); tries++) {
          if (r.chance(0.85)) {
            const [where, children] = r.pick(SPONSORED_CHILDREN);
            subject = `Child sponsorship – ${r.pick(children)} (${where})`;
          } else {
            subject = r.pick(COMMUNITY_SPONSORSHIPS);
          }
        }
        if (subjects.has(subject)) continue;
        subjects.add(subject);
        const startedOn = plusDays(ctx.today, -r.int(95, 8 * 365));
        const frequency = r.weighted<SponsorshipRow['frequency'] & string>([
          ['monthly', 90],
          ['quarterly', 3],
          ['yearly', 7],
        ]);
        const step = frequency === 'monthly' ? 1 : frequency === 'quarterly' ? 3 : 12;
        const status = r.weighted<SponsorshipRow['status'] & string>([
          ['active', 84],
          ['paused', 4],
          ['lapsed', 8],
          ['cancelled', 4],
        ]);
        const monthly = r.weighted([
          [25, 60],
          [30, 25],
          [35, 10],
          [50, 5],
        ] as const);
        const amountMinor = moneyMinor(country, monthly * step);
        const method: PaymentRow['method'] = r.chance(0.6) ? 'direct_debit' : 'card';
        const stopMonthsAgo = status === 'active' ? 0 : status === 'paused' ? 2 : status === 'lapsed' ? 4 : 7;
        const windowMonths = step === 1 ? 6 : step === 3 ? 12 : 24;
        const failLatest = status === 'active' && r.chance(0.09);
        plan.sponsorships.push({
          row: {
            subject: nfc(subject),
            amountMinor,
            currency: country.currency,
            frequency,
            status,
            startedOn: isoDate(startedOn),
          },
          payments: schedulePayments(startedOn, step, amountMinor, method, stopMonthsAgo, windowMonths, failLatest),
        });
        activity.push(new Date(startedOn));
      }
      const extraGifts = r.weighted([
        [0, 50],
        [1, 25],
        [2, 15],
        [3, 10],
      ] as const);
      for (let g = 0; g < extraGifts; g++) gift(daysAgo(ctx, r, 3, 5 * 365), giftAmount(), 'one_off');
      break;
    }
    case 'regular': {
      const startedOn = plusDays(ctx.today, -r.int(70, 6 * 365));
      const quarterly = r.chance(0.15);
      const step = quarterly ? 3 : 1;
      const method: PaymentRow['method'] = r.chance(0.7) ? 'direct_debit' : 'card';
      const pounds = r.weighted([
        [5, 20],
        [10, 35],
        [15, 15],
        [20, 20],
        [30, 10],
      ] as const);
      const amountMinor = moneyMinor(country, pounds * step);
      const payments = schedulePayments(startedOn, step, amountMinor, method, 0, 6, r.chance(0.1));
      plan.payments.push(...payments);
      // Each gift received over the last year is also a donation.
      const purpose = r.weighted(DONATION_PURPOSES);
      for (const due of dueDates(startedOn, step, plusMonths(ctx.today, -12), ctx.today)) {
        const dueOn = isoDate(due);
        if (payments.some((p) => p.dueOn === dueOn && p.status === 'failed')) continue;
        const at = new Date(due + r.int(6, 12) * 3_600_000);
        plan.donations.push({
          row: {
            amountMinor,
            currency: country.currency,
            purpose,
            method,
            frequency: quarterly ? 'quarterly' : 'monthly',
            paymentReference: paymentReference(r, method),
            donatedAt: at < ctx.now ? at : ctx.now,
          },
          recordedBy: null,
        });
      }
      activity.push(new Date(startedOn));
      break;
    }
    case 'occasional': {
      gift(daysAgo(ctx, r, 5, 2 * 365), giftAmount(), 'one_off');
      const more = r.int(0, 4);
      for (let g = 0; g < more; g++)
        gift(daysAgo(ctx, r, 30, 5 * 365), giftAmount(), r.chance(0.05) ? 'yearly' : 'one_off');
      break;
    }
    case 'new': {
      const joinedDaysAgo = r.int(5, 88);
      const first = daysAgo(ctx, r, joinedDaysAgo, joinedDaysAgo);
      const monthly = r.chance(0.2);
      gift(
        first,
        monthly ? r.pick([10, 15, 20]) : giftAmount(),
        monthly ? 'monthly' : 'one_off',
        monthly ? 'direct_debit' : undefined,
      );
      if (r.chance(0.3)) gift(daysAgo(ctx, r, 1, Math.max(1, joinedDaysAgo - 3)), giftAmount(), 'one_off');
      break;
    }
    case 'lapsed': {
      const count = r.int(1, 6);
      for (let g = 0; g < count; g++) gift(daysAgo(ctx, r, 2 * 365, 7 * 365), giftAmount(), 'one_off');
      break;
    }
  }

  // The donor record predates their first gift or sponsorship (new donors: a day or two before).
  const firstActivity = activity.reduce((min, d) => (d < min ? d : min), ctx.now);
  const createdAt = new Date(firstActivity.getTime() - (segment === 'new' ? r.int(0, 2) : r.int(1, 60)) * DAY_MS);
  plan.donor.createdAt = createdAt;
  plan.donor.updatedAt = createdAt;

  // Notes: flags leave a trace; a few donors have everyday notes.
  if (deceased) {
    plan.notes.push({
      body: 'A family member let us know the donor has passed away. Marked as deceased; no more calls.',
      author: 'manager',
      createdAt: daysAgo(ctx, r, 3, 200),
    });
  } else if (doNotCall) {
    plan.notes.push({
      body: 'Asked by letter not to be called again. Marked as do not call.',
      author: 'manager',
      createdAt: daysAgo(ctx, r, 3, 400),
    });
  }
  if (!lapsedSmall && r.chance(0.02)) {
    const author = r.pick<DemoUserKey>(['manager', 'agent1', 'agent2', 'agent3', 'agent4', 'agent5', 'agent6']);
    plan.notes.push({ body: r.pick(DONOR_NOTES), author, createdAt: daysAgo(ctx, r, 1, 300) });
  }
  for (const n of plan.notes) if (n.createdAt < createdAt) n.createdAt = createdAt;
  return plan;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const monthName = (d: Day) => MONTHS[new Date(d).getUTCMonth()] ?? '';
const quarter = (d: Day) => Math.floor(new Date(d).getUTCMonth() / 3) + 1;

export function buildDemoPlan(now: Date, donorCount: number): DemoPlan {
  if (!Number.isInteger(donorCount) || donorCount < MIN_DONOR_COUNT) {
    throw new RangeError(`donorCount must be an integer of at least ${MIN_DONOR_COUNT}`);
  }
  const today = utcDay(now);
  const ctx: Ctx = { now, today, usedPhones: new Set() };

  // The five "Lapsed (small)" donors are spread through the file (different countries), after
  // the showcase donors at the start.
  const lapsedSmallIndexes = new Set<number>();
  const span = donorCount - SHOWCASE_NAMES.length;
  for (let k = 0; k < 5; k++) lapsedSmallIndexes.add(SHOWCASE_NAMES.length + Math.floor(((k + 1) * span) / 6));

  const plans: DonorPlan[] = [];
  for (let i = 0; i < donorCount; i++) plans.push(buildDonor(ctx, i, lapsedSmallIndexes.has(i)));

  const listRng = new Prng(DEMO_SEED ^ 0x1157);
  const year = new Date(today).getUTCFullYear();
  const sponsorsNorth = `Sponsors ${year} – North`;
  const sponsorsSouth = `Sponsors ${year} – South`;
  const failedList = `Failed payments – ${monthName(today)}`;
  // Named after the quarter most of these first gifts fall in.
  const newDonorsList = `New donors Q${quarter(plusDays(today, -45))}`;
  const lapsedSmallList = 'Lapsed (small)';
  const springList = 'Spring appeal prospects';

  const idx = (pred: (p: DonorPlan) => boolean) => plans.filter(pred).map((p) => p.index);
  const lists: ListPlan[] = [
    {
      name: sponsorsNorth,
      description: 'Child and community sponsors of the North fundraising region: thank them and check their details.',
      donorIndexes: idx((p) => p.sponsorships.length > 0 && p.region === 'North'),
    },
    {
      name: sponsorsSouth,
      description: 'Child and community sponsors of the South fundraising region.',
      donorIndexes: idx((p) => p.sponsorships.length > 0 && p.region === 'South'),
    },
    {
      name: failedList,
      description: 'Donors whose latest sponsorship or regular-gift payment failed and is not resolved yet.',
      donorIndexes: idx((p) => p.hasUnresolvedFailure),
    },
    {
      name: newDonorsList,
      description: 'Donors who gave for the first time in the last three months.',
      donorIndexes: idx((p) => p.segment === 'new'),
    },
    {
      name: lapsedSmallList,
      description: 'Five lapsed donors: a small list to see "Out of Data" quickly.',
      donorIndexes: idx((p) => p.lapsedSmall),
    },
    {
      name: springList,
      description: 'Past and occasional donors for the spring appeal.',
      donorIndexes: idx(
        (p) => (p.segment === 'lapsed' || p.segment === 'occasional') && !p.lapsedSmall && listRng.chance(0.5),
      ),
    },
  ];

  const on = (days: number) => isoDate(plusDays(today, days));
  const campaigns: CampaignPlan[] = [
    {
      name: 'Sponsorship follow-up',
      purpose: 'sponsorship_follow_up',
      status: 'active',
      startsOn: on(-30),
      endsOn: on(365),
      callingHoursStart: '09:00',
      callingHoursEnd: '20:00',
      weekdayHours: OFFICE_WEEK,
      maxAttempts: 5,
      script: SCRIPTS.sponsorship,
      teams: ['Donor Care', 'Sponsorship Desk'],
      lists: [
        [sponsorsNorth, 10],
        [sponsorsSouth, 20],
      ],
    },
    {
      name: 'Failed payments',
      purpose: 'failed_payments',
      status: 'active',
      startsOn: on(-30),
      endsOn: on(365),
      callingHoursStart: '09:00',
      callingHoursEnd: '20:00',
      weekdayHours: OFFICE_WEEK,
      maxAttempts: 6,
      script: SCRIPTS.failedPayments,
      teams: ['Donor Care'],
      lists: [[failedList, 10]],
    },
    {
      name: 'Spring appeal',
      purpose: 'thank_you',
      status: 'paused',
      startsOn: on(-30),
      endsOn: on(365),
      callingHoursStart: '10:00',
      callingHoursEnd: '20:00',
      weekdayHours: [...weekdays('10:00', '20:00'), null, null],
      maxAttempts: 3,
      script: SCRIPTS.springAppeal,
      teams: ['Donor Care'],
      lists: [
        [springList, 10],
        // One list feeding two campaigns.
        [sponsorsSouth, 50],
      ],
    },
    {
      name: 'Welcome new donors',
      purpose: 'new_donors',
      status: 'active',
      startsOn: on(-30),
      endsOn: on(365),
      callingHoursStart: '09:00',
      callingHoursEnd: '20:00',
      weekdayHours: OFFICE_WEEK,
      maxAttempts: 4,
      script: SCRIPTS.newDonors,
      teams: ['Supporter Welcome', 'Donor Care'],
      lists: [[newDonorsList, 10]],
    },
    {
      name: 'Lapsed donors (small)',
      purpose: 'reactivation',
      status: 'active',
      startsOn: on(-30),
      endsOn: on(365),
      callingHoursStart: '10:00',
      callingHoursEnd: '19:00',
      weekdayHours: [...weekdays('10:00', '19:00'), { start: '10:00', end: '13:00' }, null],
      maxAttempts: 3,
      script: SCRIPTS.lapsed,
      teams: ['Donor Care'],
      lists: [[lapsedSmallList, 10]],
    },
  ];

  return { donors: plans, lists, campaigns };
}
