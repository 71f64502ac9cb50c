import { CALLING_HOURS_CASES, CASE_CAMPAIGNS, CASE_LEGAL } from '@engage/contracts/calling-hours.cases';
import { describe, expect, it } from 'vitest';
import { callingHoursHint, outsideCallingHours, weekSummary } from './calling-hours-display';

// The browser's "Outside calling hours" mark (BothZones) against the cases the database's rule
// passes (apps/server/src/features/dialer/calling-window.int.test.ts), daylight-saving days included.
describe('outsideCallingHours, the mark beside a chosen call-back time', () => {
  it.each(CALLING_HOURS_CASES)('$name: callable $callable', (c) => {
    const rules = { campaign: CASE_CAMPAIGNS[c.campaign], organisation: CASE_LEGAL, donorCountry: c.country };
    expect(outsideCallingHours(c.at, c.timeZone, rules)).toBe(!c.callable);
  });
});

describe('callingHoursHint, the hours beside a call-back picker', () => {
  const office = { campaign: CASE_CAMPAIGNS.office, organisation: CASE_LEGAL, donorCountry: 'GB' };
  it("says the chosen day's hours in the donor's time, as the rule applies them", () => {
    // Wed 9 Dec 2026 23:30 UTC is Thu 10 Dec 10:30 in Sydney: the weekday hours.
    expect(callingHoursHint('2026-12-09T23:30:00Z', 'Australia/Sydney', office)).toBe(
      "In your time. Calling hours on Thu 10 Dec are 09:00–20:00 in the donor's time.",
    );
    expect(callingHoursHint('2026-12-12T12:00:00Z', 'Europe/London', office)).toBe(
      "In your time. Calling hours on Sat 12 Dec are 10:00–16:00 in the donor's time.",
    );
    // The legal window narrows a whole-day campaign; France's own window and closed Sunday apply.
    const wholeDayFr = { campaign: CASE_CAMPAIGNS.wholeDay, organisation: CASE_LEGAL, donorCountry: 'FR' };
    expect(callingHoursHint('2026-12-11T12:00:00Z', 'Europe/Paris', wholeDayFr)).toBe(
      "In your time. Calling hours on Fri 11 Dec are 09:00–20:00 in the donor's time.",
    );
    expect(callingHoursHint('2026-12-13T12:00:00Z', 'Europe/Paris', wholeDayFr)).toBe(
      "In your time. No calls on Sun 13 Dec in the donor's time: choose another day.",
    );
  });

  it('names a closed date, uses today while nothing is chosen, and says nothing of hours it does not know', () => {
    expect(callingHoursHint('2026-12-25T12:00:00Z', 'Europe/London', office)).toBe(
      "In your time. No calls on Fri 25 Dec in the donor's time: choose another day.",
    );
    expect(callingHoursHint(null, 'Europe/London', office, new Date('2026-12-14T08:00:00Z'))).toBe(
      "In your time. Calling hours on Mon 14 Dec are 09:00–20:00 in the donor's time.",
    );
    expect(callingHoursHint('2026-12-14T08:00:00Z', 'Europe/London', null)).toBe('In your time.');
  });
});

describe("weekSummary, a campaign's week in the agent's campaign choice", () => {
  it('groups days with the same hours and leaves closed days out', () => {
    expect(weekSummary(CASE_CAMPAIGNS.office.weekdayHours)).toBe('Mon–Fri 09:00–20:00, Sat 10:00–16:00');
    expect(weekSummary(CASE_CAMPAIGNS.wholeDay.weekdayHours)).toBe('any hour');
    const day = { start: '00:00', end: '24:00' };
    expect(weekSummary([day, day, null, day, day, null, null])).toBe('Mon–Tue all day, Thu–Fri all day');
    expect(weekSummary([null, null, null, null, null, null, null])).toBe('no day');
  });
});
