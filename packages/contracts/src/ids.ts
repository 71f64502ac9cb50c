import { z } from 'zod';

/*
 * The numbers a request carries: row ids (path, query string or JSON body), page cursors, and
 * bounded whole numbers (page sizes, limits). Every route reads them through these schemas, never
 * through `z.coerce.number()`: coercion reads "+1", " 1", "1e3" and "0x10" as numbers, and lets
 * ids beyond PostgreSQL's integer range through to the database, which answers with an error (a
 * 500). Here anything but plain digits within range is a 400 next to its field.
 */

/** PostgreSQL's `integer` maximum: every row id a request names is one (no request names a bigint id). */
export const INT4_MAX = 2_147_483_647;

/** Plain decimal digits, no sign, spaces, leading zeros, exponent or hex. */
const DIGITS = /^(0|[1-9][0-9]{0,15})$/;

/**
 * A whole number from `min` to `max`: a JSON integer, or a string of plain digits (path and query
 * string values are strings). `message` replaces zod's: it names the rule, never the value sent.
 */
export function boundedIntSchema(min: number, max: number, message = `A whole number from ${min} to ${max}`) {
  const inRange = z.int({ error: message }).min(min, { error: message }).max(max, { error: message });
  return z.union([inRange, z.string().regex(DIGITS).transform(Number).pipe(inRange)], { error: message });
}

const ID_MESSAGE = `An id: a whole number from 1 to ${INT4_MAX}, in digits only`;

/** A row id anywhere in a request: 1 to 2147483647, a JSON integer or plain digits. */
export const idSchema = boundedIntSchema(1, INT4_MAX, ID_MESSAGE).describe(
  `A row id: a whole number from 1 to ${INT4_MAX}`,
);

/** A list of row ids in a JSON body. */
export const idListSchema = (max: number) => z.array(idSchema).max(max, { error: `At most ${max} ids` });

/** Where a page of a keyset-paged list ends: the sort time and the id of its last row. */
export interface PageCursor {
  at: Date;
  id: number;
}

/** The latest instant a cursor may carry (9999-12-31T23:59:59.999Z), well inside PostgreSQL's range. */
const MAX_CURSOR_MS = 253_402_300_799_999;
const CURSOR = /^(0|[1-9][0-9]{0,14})\.([1-9][0-9]{0,9})$/;
const CURSOR_MESSAGE = 'That page cursor is not valid. Start again from the first page.';

/** The `nextCursor` of a page: opaque to clients, who pass it back as `cursor`. */
export function encodePageCursor(c: PageCursor): string {
  return `${c.at.getTime()}.${c.id}`;
}

/**
 * A `cursor` query value: the `nextCursor` of the previous page, read back into a time and an id
 * (empty: the first page).
 */
export const pageCursorSchema = z
  .string({ error: CURSOR_MESSAGE })
  .transform((raw, ctx): PageCursor | undefined => {
    if (raw === '') return undefined;
    const m = CURSOR.exec(raw);
    const ms = Number(m?.[1]);
    const id = Number(m?.[2]);
    if (!m || ms > MAX_CURSOR_MS || id > INT4_MAX) {
      ctx.addIssue({ code: 'custom', message: CURSOR_MESSAGE });
      return z.NEVER;
    }
    return { at: new Date(ms), id };
  })
  .describe('`nextCursor` of the previous page');
