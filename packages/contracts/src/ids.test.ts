import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { boundedIntSchema, encodePageCursor, idSchema, INT4_MAX, pageCursorSchema } from './ids';

describe('idSchema', () => {
  it.each([
    ['1', 1],
    ['42', 42],
    [String(INT4_MAX), INT4_MAX],
    [7, 7],
    [INT4_MAX, INT4_MAX],
  ])('reads %j as %j', (input, id) => {
    expect(idSchema.parse(input)).toBe(id);
  });

  it.each([
    'abc',
    '',
    '0',
    '-1',
    '+1',
    ' 1',
    '1 ',
    '1e3',
    '0x10',
    '01',
    '1.0',
    '1.5',
    String(INT4_MAX + 1),
    '99999999999',
    '9'.repeat(40),
  ])('refuses the string %j', (input) => {
    const r = idSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error?.issues).toEqual([expect.objectContaining({ path: [], message: expect.stringMatching(/^An id/) })]);
  });

  it.each([0, -1, 1.5, INT4_MAX + 1, 1e20, Number.NaN, null, true, [], {}, [1]])(
    'refuses the JSON value %j',
    (input) => {
      expect(idSchema.safeParse(input).success).toBe(false);
    },
  );

  it('names the field, never the value sent, in its message', () => {
    const r = z.object({ donorId: idSchema }).safeParse({ donorId: 'jane.doe@example.org' });
    expect(r.error?.issues).toHaveLength(1);
    expect(r.error?.issues[0]?.path).toEqual(['donorId']);
    expect(JSON.stringify(r.error?.issues)).not.toContain('jane');
  });
});

describe('boundedIntSchema', () => {
  const limit = boundedIntSchema(1, 200);
  it('reads digits and JSON integers within bounds', () => {
    expect(limit.parse('1')).toBe(1);
    expect(limit.parse('200')).toBe(200);
    expect(limit.parse(50)).toBe(50);
  });
  it.each(['0', '201', '-5', '+5', '5.0', '1e2', ' 5', 'abc', '', 0, 201, 2.5])('refuses %j', (input) => {
    expect(limit.safeParse(input).error?.issues[0]?.message).toBe('A whole number from 1 to 200');
  });
});

describe('pageCursorSchema', () => {
  it('reads back what encodePageCursor wrote', () => {
    const c = { at: new Date('2026-06-13T08:00:00.123Z'), id: 42 };
    expect(pageCursorSchema.parse(encodePageCursor(c))).toEqual(c);
  });
  it('reads an empty cursor as the first page', () => {
    expect(pageCursorSchema.parse('')).toBeUndefined();
  });
  it.each([
    'nonsense',
    '1781337600000',
    '1781337600000.0',
    '1781337600000.99999999999',
    `1781337600000.${INT4_MAX + 1}`,
    '-1.5',
    '99999999999999999.5',
    '253402300800000.1',
    '1781337600000.+1',
    '1781337600000.1e3',
  ])('refuses %j with one message', (input) => {
    expect(pageCursorSchema.safeParse(input).error?.issues).toEqual([
      expect.objectContaining({ message: 'That page cursor is not valid. Start again from the first page.' }),
    ]);
  });
});
