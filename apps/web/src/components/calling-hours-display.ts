import {
  legalWindowFor,
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

/** The rules once the campaign and the organisation's settings have loaded, else null (nothing marked). */
export function donorCallingRules(
  campaign: DonorCallingRules['campaign'] | undefined,
  organisation: DonorCallingRules['organisation'] | undefined,
  donorCountry: string | null,
): DonorCallingRules | null {
  return campaign && organisation ? { campaign, organisation, donorCountry } : null;
}
