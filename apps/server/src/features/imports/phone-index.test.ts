import { describe, expect, it } from 'vitest';
import { PhoneIndex } from './phone-index';

describe('PhoneIndex', () => {
  it('remembers the first row of each phone through many growths, and nothing else', () => {
    const index = new PhoneIndex();
    const phone = (i: number) => `+4477${String(i).padStart(8, '0')}`;
    for (let i = 0; i < 300_000; i++) index.set(phone(i), i + 2);
    expect(index.size).toBe(300_000);
    for (const i of [0, 1, 65_535, 65_536, 123_457, 299_999]) expect(index.get(phone(i))).toBe(i + 2);
    expect(index.get(phone(300_000))).toBeUndefined();
    expect(index.get('+15551234567')).toBeUndefined();
  });

  it('tells apart the longest numbers (15 digits) and overwrites a row only when asked', () => {
    const index = new PhoneIndex();
    index.set('+999999999999999', 7);
    index.set('+999999999999998', 8);
    expect(index.get('+999999999999999')).toBe(7);
    expect(index.get('+999999999999998')).toBe(8);
    index.set('+999999999999999', 9);
    expect(index.get('+999999999999999')).toBe(9);
    expect(index.size).toBe(2);
  });
});
