import { describe, expect, it } from 'vitest';
import { END_REASON_FIT_CASES, endReasonDirections, endReasonFits, endReasonWrongDirectionMessage } from './settings';

describe('endReasonFits: the calls an end reason may end', () => {
  it.each(END_REASON_FIT_CASES)('a reason for %s on an %s call: %s', (reason, call, fits) => {
    expect(endReasonFits(reason, call)).toBe(fits);
  });

  it('the cases cover every direction against both kinds of call', () => {
    for (const reason of endReasonDirections) {
      for (const call of ['outbound', 'inbound'] as const) {
        expect(END_REASON_FIT_CASES.filter(([r, c]) => r === reason && c === call)).toHaveLength(1);
      }
    }
  });

  it('the refusal names the fix', () => {
    expect(endReasonWrongDirectionMessage('Busy', 'inbound')).toBe(
      '"Busy" does not apply to inbound calls. Choose an end reason for inbound calls from the list.',
    );
  });
});
