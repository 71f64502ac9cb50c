import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CARD_NUMBER_MESSAGE } from '@engage/contracts';
import { CsvScanner, suggestMapping, uniqueHeaders } from './imports.file';
import { columnPlan, splitFullName, validateRow } from './imports.rows';

const headers = ['ref', 'first', 'last', 'name', 'phone', 'alt', 'email', 'country', 'tz', 'lang'];
const plan = columnPlan(
  {
    reference: 'ref',
    firstName: 'first',
    lastName: 'last',
    fullName: 'name',
    phone: 'phone',
    altPhone: 'alt',
    email: 'email',
    country: 'country',
    timeZone: 'tz',
    language: 'lang',
  },
  headers,
);
const row = (cells: Record<string, string>) => headers.map((h) => cells[h] ?? '');

describe('validateRow', () => {
  it('refuses a card number in any cell, with the same guard as the API, never repeating it', () => {
    const card = '４１１１.１１１１/１１１１-１１１１';
    for (const [column, field] of [
      ['first', 'firstName'],
      ['name', 'fullName'],
      ['email', 'email'],
      ['phone', 'phone'],
      ['alt', 'altPhone'],
    ] as const) {
      const r = validateRow(row({ ref: 'R1', [column]: card }), 2, plan, 'GB');
      expect(r.ok, field).toBe(false);
      if (r.ok) continue;
      expect(r.errors).toEqual([{ row: 2, reference: 'R1', field, message: CARD_NUMBER_MESSAGE }]);
    }
    const inReference = validateRow(row({ ref: `Ref ${card}` }), 2, plan, 'GB');
    expect(inReference).toEqual({
      ok: false,
      errors: [{ row: 2, reference: null, field: 'reference', message: CARD_NUMBER_MESSAGE }],
    });
    // A phone number that happens to pass the Luhn check (442079460014) is a phone number.
    expect(validateRow(row({ ref: 'R2', phone: '+44 20 7946 0014' }), 2, plan, 'GB').ok).toBe(true);
    // An order number (fails the Luhn check) is kept.
    expect(validateRow(row({ ref: 'ORD 1234 5678 1234 5678' }), 2, plan, 'GB')).toMatchObject({
      ok: true,
      donor: { reference: 'ORD 1234 5678 1234 5678' },
    });
  });

  it('keeps names as written in NFC, reads phones in the default country, stores E.164', () => {
    const r = validateRow(
      row({ ref: ' R1 ', first: 'Jose\u0301', last: "O'Brien", phone: '020 7946 0018' }),
      2,
      plan,
      'GB',
    );
    expect(r).toEqual({
      ok: true,
      donor: expect.objectContaining({
        row: 2,
        reference: 'R1',
        first_name: 'Jos\u00e9',
        last_name: "O'Brien",
        phone: '+442079460018',
        time_zone: 'Europe/London',
        country: null,
      }),
    });
  });

  it('keeps formula-looking values: they are data', () => {
    const r = validateRow(row({ ref: '=1+1', first: '@SUM(A1)', last: '-2' }), 2, plan, 'GB');
    expect(r.ok && [r.donor.reference, r.donor.first_name, r.donor.last_name]).toEqual(['=1+1', '@SUM(A1)', '-2']);
  });

  it('derives the time zone from the column, else the country, else the phone; UTC said aloud is kept', () => {
    const zone = (cells: Record<string, string>) => {
      const r = validateRow(row({ ref: 'R', ...cells }), 2, plan, 'GB');
      return r.ok ? r.donor.time_zone : r.errors;
    };
    expect(zone({ tz: 'america/chicago', country: 'US' })).toBe('America/Chicago');
    expect(zone({ country: 'United States' })).toBe('America/New_York');
    expect(zone({ country: 'KE' })).toBe('Africa/Nairobi');
    expect(zone({ phone: '+33 6 12 34 56 78' })).toBe('Europe/Paris');
    expect(zone({ tz: 'UTC' })).toBe('Etc/UTC');
    expect(zone({})).toBeNull();
  });

  it('splits a full name when no first or last name is given', () => {
    const r = validateRow(row({ ref: 'R', name: 'Mary Ann  Smith' }), 2, plan, 'GB');
    expect(r.ok && [r.donor.first_name, r.donor.last_name]).toEqual(['Mary Ann', 'Smith']);
    expect(splitFullName('Cher')).toEqual({ first: 'Cher', last: '' });
  });

  it('refuses a row with every problem it has, each with its field and what to do', () => {
    const r = validateRow(
      row({ phone: 'abc', alt: '1', email: 'x@', country: 'Narnia', tz: 'Mars/Base', lang: 'Klingon' }),
      7,
      plan,
      'GB',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.field).sort()).toEqual(
      ['altPhone', 'country', 'email', 'language', 'phone', 'reference', 'timeZone'].sort(),
    );
    expect(r.errors.every((e) => e.row === 7 && e.message.length > 20)).toBe(true);
  });

  it('refuses cells that are too long', () => {
    const r = validateRow(row({ ref: 'R'.repeat(101) }), 2, plan, 'GB');
    expect(!r.ok && r.errors[0]).toMatchObject({ field: 'reference', message: expect.stringMatching(/at most 100/) });
  });
});

describe('the uploaded file', () => {
  it('suggests a mapping from common header spellings', () => {
    expect(
      suggestMapping(['Supporter ID', 'Forename', 'Surname', 'Tel', 'Mobile', 'Email Address', 'Post code', 'TZ']),
    ).toEqual({
      reference: 'Supporter ID',
      firstName: 'Forename',
      lastName: 'Surname',
      phone: 'Mobile',
      altPhone: 'Tel',
      email: 'Email Address',
      postcode: 'Post code',
      timeZone: 'TZ',
    });
    expect(suggestMapping(['Ref', 'Name', 'Phone number'])).toEqual({
      reference: 'Ref',
      fullName: 'Name',
      phone: 'Phone number',
    });
  });

  it('names repeated and empty headers', () => {
    expect(uniqueHeaders(['Phone', 'phone', ' ', 'Phone'])).toEqual(['Phone', 'phone (2)', 'Column 3', 'Phone (3)']);
  });

  async function scan(chunks: Buffer[]) {
    const scanner = new CsvScanner();
    await pipeline(
      Readable.from(chunks),
      scanner,
      new Writable({
        write: (_c, _e, cb) => cb(),
      }),
    );
    return scanner;
  }

  it('counts records, not lines: quoted line breaks and blank lines do not count', async () => {
    const text = '\ufeffa,b\r\n1,"x\r\ny"\r\n\r\n2,"say ""hi"""\n3,z';
    const s = await scan([Buffer.from(text.slice(0, 9)), Buffer.from(text.slice(9))]);
    expect(s.records).toBe(4);
    expect(s.bytes).toBe(Buffer.byteLength(text));
  });

  it('accepts UTF-8 split anywhere, tells a Windows-1252 (or cut) file from UTF-8, refuses UTF-16', async () => {
    const utf8 = Buffer.from('name\nJosé\n');
    expect((await scan([utf8.subarray(0, 9), utf8.subarray(9)])).utf8).toBe(true);
    expect((await scan([Buffer.from('name\nJos\xe9\n', 'latin1')])).utf8).toBe(false);
    expect((await scan([Buffer.from('name\n'), Buffer.from([0xc3])])).utf8).toBe(false);
    await expect(scan([Buffer.from([0xff, 0xfe, 0x6e, 0x00])])).rejects.toMatchObject({ code: 'unsupported_encoding' });
    await expect(scan([Buffer.from('name\n'), Buffer.from([0x6e, 0x00])])).rejects.toMatchObject({
      code: 'unsupported_encoding',
    });
  });
});
