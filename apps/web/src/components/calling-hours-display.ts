import {
  callingWindowOn,
  legalWindowFor,
  localParts,
  mayCallAt,
  type CountryCallingWindow,
  type LegalWindow,
  type WeekdayHours,
} from '@engage/contracts';

/**
 * What decides whether a donor may be called at a time, as the screens have it: the campaign's
 * weekday hours and closed dates (the offer's, the appointment's or the agent's campaign), the
 * organisation's legal window and country windows (getOrganisationSettings) and the donor's
 * country. The rule itself runs in the database (engage_may_call_at); this is its display.
 */
export interface DonorCallingRules {
  campaign: { weekdayHours: WeekdayHours; closedDates: string[] };
  organisation: { legalWindow: LegalWindow; countryWindows: CountryCallingWindow[] };
  /** ISO 3166-1 alpha-2, null when unknown: the default legal window applies. */
  donorCountry: string | null;
}

/**
 * Whether `at` (an ISO instant) is outside the donor's calling hours in `donorTimeZone`: the
 * "Outside calling hours" mark of BothZones. Held to the database's cases by
 * calling-hours-display.test.ts (contracts' calling-hours.cases.ts).
 */
export function outsideCallingHours(at: string, donorTimeZone: string, rules: DonorCallingRules): boolean {
  return !mayCallAt(new Date(at), donorTimeZone, {
    weekdayHours: rules.campaign.weekdayHours,
    closedDates: rules.campaign.closedDates,
    legal: legalWindowFor(rules.donorCountry, rules.organisation),
  });
}

/**
 * The hint beside a call-back picker: the donor's calling hours on the day chosen (today while
 * nothing is chosen), in the donor's time, as the database will apply them: the campaign's hours
 * of that weekday within the legal window, or no calls at all (a closed day).
 */
export function callingHoursHint(
  at: string | null,
  donorTimeZone: string,
  rules: DonorCallingRules | null,
  now: Date = new Date(),
): string {
  if (rules === null) return 'In your time.';
  const local = localParts(at === null ? now : new Date(at), donorTimeZone);
  const window = callingWindowOn(local.date, local.weekday, {
    weekdayHours: rules.campaign.weekdayHours,
    closedDates: rules.campaign.closedDates,
    legal: legalWindowFor(rules.donorCountry, rules.organisation),
  });
  const day = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
  }).format(new Date(`${local.date}T12:00:00Z`));
  if (window === null) return `In your time. No calls on ${day} in the donor's time: choose another day.`;
  if (window.start === '00:00' && window.end === '24:00') return 'In your time.';
  return `In your time. Calling hours on ${day} are ${window.start}–${window.end} in the donor's time.`;
}

const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/**
 * A campaign's week in a few words, runs of days with the same hours together ("Mon–Fri
 * 09:00–20:00, Sat 10:00–16:00"; "any hour" when every day is whole). The legal window still
 * narrows it per donor.
 */
export function weekSummary(weekdayHours: WeekdayHours): string {
  const key = (d: WeekdayHours[number]) => (d ? `${d.start}–${d.end}` : null);
  if (weekdayHours.every((d) => key(d) === '00:00–24:00')) return 'any hour';
  const runs: string[] = [];
  for (let i = 0; i < 7;) {
    let j = i;
    while (j + 1 < 7 && key(weekdayHours[j + 1]!) === key(weekdayHours[i]!)) j++;
    const hours = key(weekdayHours[i]!);
    const days = i === j ? WEEKDAY_NAMES[i] : `${WEEKDAY_NAMES[i]}–${WEEKDAY_NAMES[j]}`;
    if (hours !== null) runs.push(`${days} ${hours === '00:00–24:00' ? 'all day' : hours}`);
    i = j + 1;
  }
  return runs.length ? runs.join(', ') : 'no day';
}

/** The rules once the campaign and the organisation's settings have loaded, else null (nothing marked). */
export function donorCallingRules(
  campaign: DonorCallingRules['campaign'] | undefined,
  organisation: DonorCallingRules['organisation'] | undefined,
  donorCountry: string | null,
): DonorCallingRules | null {
  return campaign && organisation ? { campaign, organisation, donorCountry } : null;
}
