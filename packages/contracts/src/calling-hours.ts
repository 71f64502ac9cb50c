import { z } from 'zod';

/**
 * Calling hours: when a donor may be called, in the donor's local time. The rule itself runs in
 * the database (engage_may_call_at and friends, apps/server/src/features/dialer/sql/calling-window.sql);
 * `mayCallAt` below is its TypeScript display for the browser (marking a chosen call-back time),
 * held to the same cases by calling-hours.cases.ts, which the database's test and the browser's read.
 *
 * A donor may be called when, on the donor's local date: it is not one of the campaign's closed
 * dates, not a weekday the legal window of the donor's country closes, the campaign has hours that
 * weekday, and the local time is within both the campaign's hours and the legal window.
 */

export const startTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM, e.g. 09:00')
  .describe("HH:MM in the donor's local time");
export const endTimeSchema = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'Use HH:MM, e.g. 21:00 (24:00 for midnight)')
  .describe("HH:MM in the donor's local time; 24:00 is midnight");

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

export const dayHoursSchema = z
  .object({ start: startTimeSchema, end: endTimeSchema })
  .refine((h) => h.start < h.end, { message: 'The hours end after they start (24:00 for midnight)', path: ['end'] });
export type DayHours = z.infer<typeof dayHoursSchema>;

export const weekdayHoursSchema = z
  .array(dayHoursSchema.nullable())
  .length(7, 'Seven days, Monday first')
  .describe('Calling hours per weekday, Monday first; null: no calls that day');
export type WeekdayHours = z.infer<typeof weekdayHoursSchema>;

export const closedDatesSchema = z
  .array(z.iso.date('Use a date YYYY-MM-DD'))
  .max(366, 'At most 366 closed dates')
  .describe('Dates (public holidays) on which the campaign calls nobody');

const isoWeekday = z.number().int().min(1, '1 is Monday').max(7, '7 is Sunday');

export const legalWindowSchema = z
  .object({
    start: startTimeSchema,
    end: endTimeSchema,
    closedWeekdays: z
      .array(isoWeekday)
      .max(7)
      .refine((d) => new Set(d).size === d.length, { message: 'Name each weekday once' })
      .describe('ISO weekdays (1 Monday .. 7 Sunday) on which nobody may be called'),
  })
  .refine((h) => h.start < h.end, { message: 'The window ends after it starts (24:00 for midnight)', path: ['end'] });
export type LegalWindow = z.infer<typeof legalWindowSchema>;

/** A country's own window, as the settings answer it. */
export const countryCallingWindowSchema = z.object({
  country: z.string().describe('ISO 3166-1 alpha-2'),
  start: z.string(),
  end: z.string(),
  closedWeekdays: z.array(z.number().int()),
});
export type CountryCallingWindow = z.infer<typeof countryCallingWindowSchema>;

/** The legal window as the settings answer it. */
export const legalWindowOutSchema = z.object({
  start: z.string().describe("HH:MM, the donor's local time"),
  end: z.string().describe("HH:MM, the donor's local time; 24:00 is midnight"),
  closedWeekdays: z.array(z.number().int()).describe('ISO weekdays (1 Monday .. 7 Sunday) without calls'),
});

/** A country's own window, as an administrator sends it. */
export const countryCallingWindowInputSchema = z
  .object({
    country: z
      .string()
      .transform((s) => s.trim().toUpperCase())
      .pipe(z.string().regex(/^[A-Z]{2}$/, 'Use a two-letter ISO country code, e.g. FR')),
    start: startTimeSchema,
    end: endTimeSchema,
    closedWeekdays: z.array(isoWeekday).max(7),
  })
  .refine((h) => h.start < h.end, { message: 'The window ends after it starts (24:00 for midnight)', path: ['end'] });

/** What decides one donor's calling hours: the campaign's, and the legal window of their country. */
export interface CallingRules {
  weekdayHours: WeekdayHours;
  closedDates: string[];
  legal: LegalWindow;
}

/** The legal window of a country: its own if the organisation set one, else the default. */
export function legalWindowFor(
  country: string | null,
  settings: { legalWindow: LegalWindow; countryWindows: CountryCallingWindow[] },
): LegalWindow {
  const own = country ? settings.countryWindows.find((w) => w.country === country.toUpperCase()) : undefined;
  return own ? { start: own.start, end: own.end, closedWeekdays: own.closedWeekdays } : settings.legalWindow;
}

/** The window of one local date (ISO weekday 1..7): null when nobody may be called that day. */
export function callingWindowOn(date: string, weekday: number, rules: CallingRules): DayHours | null {
  const day = rules.weekdayHours[weekday - 1];
  if (!day || rules.closedDates.includes(date) || rules.legal.closedWeekdays.includes(weekday)) return null;
  const start = day.start > rules.legal.start ? day.start : rules.legal.start;
  const end = day.end < rules.legal.end ? day.end : rules.legal.end;
  return start < end ? { start, end } : null;
}

const weekdayNumber: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The donor's local date, ISO weekday and "HH:MM" at an instant (IANA zone, daylight saving included). */
export function localParts(at: Date, timeZone: string): { date: string; weekday: number; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: weekdayNumber[parts.weekday ?? ''] ?? 0,
    time: `${parts.hour}:${parts.minute}`,
  };
}

/** Whether a donor in `timeZone` may be called at `at` under `rules` (the database's rule, for display). */
export function mayCallAt(at: Date, timeZone: string, rules: CallingRules): boolean {
  const local = localParts(at, timeZone);
  const window = callingWindowOn(local.date, local.weekday, rules);
  return window !== null && local.time >= window.start && local.time < window.end;
}
