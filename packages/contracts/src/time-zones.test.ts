import { describe, expect, it } from 'vitest';
import { canonicalTimeZone, isTimeZone } from './time-zones';

describe('time zones', () => {
  it.each([
    ['Europe/London', 'Europe/London'],
    ['europe/london', 'Europe/London'],
    [' America/New_York ', 'America/New_York'],
    ['UTC', 'UTC'],
    ['Etc/GMT+3', 'Etc/GMT+3'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['Asia/Calcutta', 'Asia/Calcutta'],
  ])('%j is the zone %j', (raw, zone) => {
    expect(canonicalTimeZone(raw)).toBe(zone);
    expect(isTimeZone(raw)).toBe(true);
  });

  it.each(['Mars/Olympus', 'BST', 'EST', '+03:00', 'UTC+3', 'London', '', 'Europe/London; DROP'])(
    'refuses %j: not an IANA zone name',
    (raw) => {
      expect(canonicalTimeZone(raw)).toBeNull();
      expect(isTimeZone(raw)).toBe(false);
    },
  );
});
