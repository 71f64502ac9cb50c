import { describe, expect, it } from 'vitest';
import { nameRegexOf, searchCriteria } from './donors.search';

describe('searchCriteria', () => {
  it('reads an empty search as every donor', () => {
    expect(searchCriteria('   ').all).toBe(true);
  });

  it('reads digits as a phone number (GB by default), an @ as an email, anything else as a name', () => {
    expect(searchCriteria('07700 900123')).toMatchObject({ phone: '+447700900123', nameLike: null, email: null });
    expect(searchCriteria('Ann@Example.org')).toMatchObject({ email: 'Ann@Example.org', nameLike: null, phone: null });
    expect(searchCriteria("  O'Brien ")).toMatchObject({
      nameLike: "%O'Brien%",
      reference: "O'Brien",
      phone: null,
      email: null,
    });
  });

  it('escapes LIKE wildcards', () => {
    expect(searchCriteria('50%_off\\').nameLike).toBe('%50\\%\\_off\\\\%');
  });
});

describe('nameRegexOf', () => {
  const matches = (q: string, name: string) => {
    const re = nameRegexOf(q);
    return re !== null && new RegExp(re.replace(/\[:space:\]/g, '\\s'), 'i').test(name);
  };

  it('ignores apostrophes, hyphens, dots and spaces in names', () => {
    expect(matches('obrien', "siobhan o'brien")).toBe(true);
    expect(matches('obrien', 'o’brien')).toBe(true);
    expect(matches("o'brien", 'obrien')).toBe(true);
    expect(matches('mary jane', 'mary-jane smith')).toBe(true);
    expect(matches('maryjane', 'mary-jane')).toBe(true);
    expect(matches('st john', 'st. john')).toBe(true);
    expect(matches('obrien', 'o brian')).toBe(false);
  });

  it('keeps a three-letter run in every alternative (so the trigram index can be used), or gives none', () => {
    expect(nameRegexOf('al')).toBeNull();
    expect(nameRegexOf('a b')).toBeNull();
    expect(nameRegexOf('abcd')).toBe("abcd|a[-'’.[:space:]]+bcd|abc[-'’.[:space:]]+d");
    expect(nameRegexOf('x'.repeat(30))).toBeNull();
  });
});
