import { describe, expect, it } from 'vitest';
import { secondsWords } from './labels';
import { formatPhoneNumber, phoneCountry } from '../../../lib/phone-format';

describe('inbound lines as the pages show them', () => {
  it.each([
    [20, '20 s'],
    [60, '1 min'],
    [90, '1 min 30 s'],
    [300, '5 min'],
    [3600, '60 min'],
  ])('%i seconds read "%s"', (seconds, words) => {
    expect(secondsWords(seconds)).toBe(words);
  });

  it('formats a stored E.164 number as people write it, and knows its country', () => {
    expect(formatPhoneNumber('+442079460321')).toBe('+44 20 7946 0321');
    expect(formatPhoneNumber('+12125550142')).toBe('+1 212 555 0142');
    expect(phoneCountry('+442079460321')).toBe('GB');
    // Something that is not a number stays as it is, never blank.
    expect(formatPhoneNumber('anonymous')).toBe('anonymous');
    expect(phoneCountry('anonymous')).toBeNull();
  });
});
