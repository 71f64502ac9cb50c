import type { CountryCallingWindow, LegalWindow, WeekdayHours } from './calling-hours';

/**
 * The cases that hold every display of the calling-hours rule to the rule itself: the database
 * (apps/server/src/features/dialer/calling-window.int.test.ts runs engage_may_call_now on each),
 * `mayCallAt` (calling-window.test.ts next to it) and the browser's "Outside calling hours" mark
 * (apps/web/src/components/calling-hours-display.test.ts). Add a case here and all three check it.
 * Test data only: imported as `@engage/contracts/calling-hours.cases`, never from the index.
 */

const weekdays = (start: string, end: string) => Array.from({ length: 5 }, () => ({ start, end }));

export const CASE_CAMPAIGNS = {
  /** Mon-Fri 09:00-20:00, Sat 10:00-16:00, Sun closed; closed on Christmas Day 2026 (a Friday). */
  office: {
    weekdayHours: [...weekdays('09:00', '20:00'), { start: '10:00', end: '16:00' }, null] as WeekdayHours,
    closedDates: ['2026-12-25'],
  },
  /** The whole day, every day: only the legal window limits it. */
  wholeDay: {
    weekdayHours: Array.from({ length: 7 }, () => ({ start: '00:00', end: '24:00' })) as WeekdayHours,
    closedDates: [] as string[],
  },
};

export const CASE_LEGAL: { legalWindow: LegalWindow; countryWindows: CountryCallingWindow[] } = {
  legalWindow: { start: '08:00', end: '21:00', closedWeekdays: [] },
  countryWindows: [{ country: 'FR', start: '09:00', end: '20:00', closedWeekdays: [7] }],
};

export interface CallingHoursCase {
  name: string;
  campaign: keyof typeof CASE_CAMPAIGNS;
  at: string;
  timeZone: string;
  country: string | null;
  callable: boolean;
}

export const CALLING_HOURS_CASES: CallingHoursCase[] = [
  // The night call of the issue: 01:28 in Seoul, a campaign open all day.
  {
    name: '01:28 Thursday in Seoul, whole-day campaign',
    campaign: 'wholeDay',
    at: '2026-06-10T16:28:00Z',
    timeZone: 'Asia/Seoul',
    country: 'KR',
    callable: false,
  },
  {
    name: '10:00 Wednesday in Seoul, whole-day campaign',
    campaign: 'wholeDay',
    at: '2026-06-10T01:00:00Z',
    timeZone: 'Asia/Seoul',
    country: 'KR',
    callable: true,
  },
  // The legal window's edges, [08:00, 21:00).
  {
    name: '07:59 London, whole day',
    campaign: 'wholeDay',
    at: '2026-06-10T06:59:00Z',
    timeZone: 'Europe/London',
    country: 'GB',
    callable: false,
  },
  {
    name: '08:00 London, whole day',
    campaign: 'wholeDay',
    at: '2026-06-10T07:00:00Z',
    timeZone: 'Europe/London',
    country: 'GB',
    callable: true,
  },
  {
    name: '20:59 London, whole day',
    campaign: 'wholeDay',
    at: '2026-06-10T19:59:00Z',
    timeZone: 'Europe/London',
    country: 'GB',
    callable: true,
  },
  {
    name: '21:00 London, whole day',
    campaign: 'wholeDay',
    at: '2026-06-10T20:00:00Z',
    timeZone: 'Europe/London',
    country: 'GB',
    callable: false,
  },
  {
    name: 'no country: the default window',
    campaign: 'wholeDay',
    at: '2026-06-10T06:30:00Z',
    timeZone: 'Europe/Paris',
    country: null,
    callable: true,
  },
  // The campaign's own hours, [09:00, 20:00) on weekdays.
  {
    name: '08:59 Wednesday London, office',
    campaign: 'office',
    at: '2026-06-10T07:59:00Z',
    timeZone: 'Europe/London',
    country: 'GB',
    callable: false,
  },
  {
    name: '09:00 Wednesday London, office',
    campaign: 'office',
    at: '2026-06-10T08:00:00Z',
    timeZone: 'Europe/London',
    country: 'GB',
    callable: true,
  },
  {
    name: '19:59 Wednesday London, office',
    campaign: 'office',
    at: '2026-06-10T18:59:00Z',
    timeZone: 'Europe/London',
    country: 'GB',
    callable: true,
  },
  {
    name: '20:00 Wednesday London, office',
    campaign: 'office',
    at: '2026-06-10T19:00:00Z',
    timeZone: 'Europe/London',
    country: 'GB',
    callable: false,
  },
  // Saturday's own hours; Sunday without hours.
  {
    name: '10:00 Saturday London, office',
    campaign: 'office',
    at: '2026-06-13T09:00:00Z',
    timeZone: 'Europe/London',
    country: 'GB',
    callable: true,
  },
  {
    name: '16:00 Saturday London, office',
    campaign: 'office',
    at: '2026-06-13T15:00:00Z',
    timeZone: 'Europe/London',
    country: 'GB',
    callable: false,
  },
  {
    name: '12:00 Sunday London, office (no hours)',
    campaign: 'office',
    at: '2026-06-14T11:00:00Z',
    timeZone: 'Europe/London',
    country: 'GB',
    callable: false,
  },
  {
    name: '12:00 Sunday London, whole day',
    campaign: 'wholeDay',
    at: '2026-06-14T11:00:00Z',
    timeZone: 'Europe/London',
    country: 'GB',
    callable: true,
  },
  // The weekday is the donor's: Saturday 23:30 UTC is Sunday 08:30 in Seoul.
  {
    name: 'Sunday 08:30 in Seoul while Saturday in UTC, office',
    campaign: 'office',
    at: '2026-06-13T23:30:00Z',
    timeZone: 'Asia/Seoul',
    country: 'KR',
    callable: false,
  },
  {
    name: 'Friday 09:30 in Seoul while Thursday in UTC, office',
    campaign: 'office',
    at: '2026-06-11T00:30:00Z',
    timeZone: 'Asia/Seoul',
    country: 'KR',
    callable: true,
  },
  // A closed date (Christmas Day, a Friday) and the day before.
  {
    name: '12:00 on 2026-12-25 London, office (closed date)',
    campaign: 'office',
    at: '2026-12-25T12:00:00Z',
    timeZone: 'Europe/London',
    country: 'GB',
    callable: false,
  },
  {
    name: '12:00 on 2026-12-24 London, office',
    campaign: 'office',
    at: '2026-12-24T12:00:00Z',
    timeZone: 'Europe/London',
    country: 'GB',
    callable: true,
  },
  // A country's own window: France 09:00-20:00, closed on Sundays.
  {
    name: '08:30 Wednesday Paris, whole day (FR opens 09:00)',
    campaign: 'wholeDay',
    at: '2026-06-10T06:30:00Z',
    timeZone: 'Europe/Paris',
    country: 'FR',
    callable: false,
  },
  {
    name: '09:00 Wednesday Paris, whole day',
    campaign: 'wholeDay',
    at: '2026-06-10T07:00:00Z',
    timeZone: 'Europe/Paris',
    country: 'FR',
    callable: true,
  },
  {
    name: '20:00 Wednesday Paris, whole day (FR closes 20:00)',
    campaign: 'wholeDay',
    at: '2026-06-10T18:00:00Z',
    timeZone: 'Europe/Paris',
    country: 'FR',
    callable: false,
  },
  {
    name: '12:00 Sunday Paris, whole day (FR closed on Sundays)',
    campaign: 'wholeDay',
    at: '2026-06-14T10:00:00Z',
    timeZone: 'Europe/Paris',
    country: 'FR',
    callable: false,
  },
  // Daylight saving days: the local time moves, the window does not.
  {
    name: 'London spring forward: 07:00 UTC is 08:00 BST',
    campaign: 'wholeDay',
    at: '2026-03-29T07:00:00Z',
    timeZone: 'Europe/London',
    country: 'GB',
    callable: true,
  },
  {
    name: 'London spring forward: 06:59 UTC is 07:59 BST',
    campaign: 'wholeDay',
    at: '2026-03-29T06:59:00Z',
    timeZone: 'Europe/London',
    country: 'GB',
    callable: false,
  },
  {
    name: 'London autumn: 07:59 UTC is 07:59 GMT',
    campaign: 'wholeDay',
    at: '2026-10-25T07:59:00Z',
    timeZone: 'Europe/London',
    country: 'GB',
    callable: false,
  },
  {
    name: 'London autumn: 08:00 UTC is 08:00 GMT',
    campaign: 'wholeDay',
    at: '2026-10-25T08:00:00Z',
    timeZone: 'Europe/London',
    country: 'GB',
    callable: true,
  },
  {
    name: 'New York spring forward: 12:00 UTC is 08:00 EDT',
    campaign: 'wholeDay',
    at: '2026-03-08T12:00:00Z',
    timeZone: 'America/New_York',
    country: 'US',
    callable: true,
  },
  {
    name: 'New York spring forward: 11:59 UTC is 07:59 EDT',
    campaign: 'wholeDay',
    at: '2026-03-08T11:59:00Z',
    timeZone: 'America/New_York',
    country: 'US',
    callable: false,
  },
  {
    name: 'Sydney autumn (clocks back 5 April): 21:30 UTC is 07:30 AEST',
    campaign: 'wholeDay',
    at: '2026-04-05T21:30:00Z',
    timeZone: 'Australia/Sydney',
    country: 'AU',
    callable: false,
  },
  {
    name: 'Sydney: 22:00 UTC on 5 April is 08:00 AEST',
    campaign: 'wholeDay',
    at: '2026-04-05T22:00:00Z',
    timeZone: 'Australia/Sydney',
    country: 'AU',
    callable: true,
  },
  {
    name: 'New York autumn (clocks back 1 November): 12:59 UTC is 07:59 EST',
    campaign: 'wholeDay',
    at: '2026-11-01T12:59:00Z',
    timeZone: 'America/New_York',
    country: 'US',
    callable: false,
  },
  {
    name: 'New York autumn: 13:00 UTC is 08:00 EST',
    campaign: 'wholeDay',
    at: '2026-11-01T13:00:00Z',
    timeZone: 'America/New_York',
    country: 'US',
    callable: true,
  },
  {
    name: 'Sydney spring forward (4 October): 09:59 UTC is 20:59 AEDT',
    campaign: 'wholeDay',
    at: '2026-10-04T09:59:00Z',
    timeZone: 'Australia/Sydney',
    country: 'AU',
    callable: true,
  },
  {
    name: 'Sydney spring forward: 10:00 UTC is 21:00 AEDT',
    campaign: 'wholeDay',
    at: '2026-10-04T10:00:00Z',
    timeZone: 'Australia/Sydney',
    country: 'AU',
    callable: false,
  },
  // A weekday with campaign hours on which the clocks change (Cairo: Friday 24 April 2026, 00:00
  // EET becomes 01:00 EEST): the office campaign's Friday 09:00-20:00 in the new offset.
  {
    name: 'Cairo spring forward, a Friday: 05:59 UTC is 08:59 EEST, office hours not open',
    campaign: 'office',
    at: '2026-04-24T05:59:00Z',
    timeZone: 'Africa/Cairo',
    country: 'EG',
    callable: false,
  },
  {
    name: 'Cairo spring forward: 06:00 UTC is 09:00 EEST, office hours open',
    campaign: 'office',
    at: '2026-04-24T06:00:00Z',
    timeZone: 'Africa/Cairo',
    country: 'EG',
    callable: true,
  },
  {
    name: 'Cairo spring forward: 16:59 UTC is 19:59 EEST',
    campaign: 'office',
    at: '2026-04-24T16:59:00Z',
    timeZone: 'Africa/Cairo',
    country: 'EG',
    callable: true,
  },
  {
    name: 'Cairo spring forward: 17:00 UTC is 20:00 EEST, office hours closed',
    campaign: 'office',
    at: '2026-04-24T17:00:00Z',
    timeZone: 'Africa/Cairo',
    country: 'EG',
    callable: false,
  },
];
