import { describe, expect, it } from 'vitest';
import { datePresets } from './date-presets';

describe('datePresets', () => {
  it('Today, Yesterday, This week from Monday, Last 7 days and This month, in the user’s own dates', () => {
    // Wednesday 10 June 2026, late evening.
    const presets = Object.fromEntries(datePresets(new Date(2026, 5, 10, 23, 30)).map((p) => [p.label, p.value]));
    expect(presets).toEqual({
      Today: ['2026-06-10', '2026-06-10'],
      Yesterday: ['2026-06-09', '2026-06-09'],
      'This week': ['2026-06-08', '2026-06-10'],
      'Last 7 days': ['2026-06-04', '2026-06-10'],
      'This month': ['2026-06-01', '2026-06-10'],
    });
  });

  it('on a Sunday the week still starts on the Monday before; on the 1st the month is one day', () => {
    const sunday = Object.fromEntries(datePresets(new Date(2026, 2, 1, 8)).map((p) => [p.label, p.value]));
    expect(sunday['This week']).toEqual(['2026-02-23', '2026-03-01']);
    expect(sunday['This month']).toEqual(['2026-03-01', '2026-03-01']);
  });
});
