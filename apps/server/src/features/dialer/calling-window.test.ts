import { describe, expect, it } from 'vitest';
import { legalWindowFor, mayCallAt } from '@engage/contracts';
import { CALLING_HOURS_CASES, CASE_CAMPAIGNS, CASE_LEGAL } from '@engage/contracts/calling-hours.cases';

// The browser's display of the rule (mayCallAt) against the cases the database's rule passes
// (calling-window.int.test.ts).
describe('mayCallAt, the TypeScript display of engage_may_call_at', () => {
  it.each(CALLING_HOURS_CASES)('$name: callable $callable', (c) => {
    const rules = { ...CASE_CAMPAIGNS[c.campaign], legal: legalWindowFor(c.country, CASE_LEGAL) };
    expect(mayCallAt(new Date(c.at), c.timeZone, rules)).toBe(c.callable);
  });
});
