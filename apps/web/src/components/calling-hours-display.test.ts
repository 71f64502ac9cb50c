import { CALLING_HOURS_CASES, CASE_CAMPAIGNS, CASE_LEGAL } from '@engage/contracts/calling-hours.cases';
import { describe, expect, it } from 'vitest';
import { outsideCallingHours } from './calling-hours-display';

// The browser's "Outside calling hours" mark (BothZones) against the cases the database's rule
// passes (apps/server/src/features/dialer/calling-window.int.test.ts), daylight-saving days included.
describe('outsideCallingHours, the mark beside a chosen call-back time', () => {
  it.each(CALLING_HOURS_CASES)('$name: callable $callable', (c) => {
    const rules = { campaign: CASE_CAMPAIGNS[c.campaign], organisation: CASE_LEGAL, donorCountry: c.country };
    expect(outsideCallingHours(c.at, c.timeZone, rules)).toBe(!c.callable);
  });
});
