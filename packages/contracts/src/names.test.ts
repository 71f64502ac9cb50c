import { describe, expect, it } from 'vitest';
import { displayName } from './names';

describe('displayName', () => {
  it.each([
    ['Ada', 'Lovelace', 'Ada Lovelace'],
    ['', 'Lovelace', 'Lovelace'],
    ['Ada', '', 'Ada'],
    ['', '', ''],
  ])('%j %j is %j', (first, last, name) => {
    expect(displayName(first, last)).toBe(name);
  });
});
