import { DateTime } from 'luxon';
import { canonicalTimeZone, encodePageCursor, type PageCursor } from '@engage/contracts';
import { AppError } from '../../lib/errors';

/**
 * Pure helpers shared by the managers' lists (calls, appointments): the time window of a filter
 * and the keyset page (its cursor's format is `pageCursorSchema` in contracts, which reads it back
 * at the boundary). Kept here until a third feature needs them (then: lib/).
 */

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validZone(raw: string): string {
  const zone = canonicalTimeZone(raw);
  if (zone === null) {
    throw new AppError('validation_failed', 'That is not a time zone. Use an IANA name such as Europe/London.', {
      issues: [{ path: 'querystring.timeZone', message: 'An IANA time zone name' }],
    });
  }
  return zone;
}

/**
 * [from, to) as instants. A date in `from` starts at that day's midnight in `timeZone`; a date in
 * `to` includes that whole day (the bound is the next day's midnight).
 */
export function timeWindow(
  q: { from?: string | undefined; to?: string | undefined; timeZone: string },
  /** The query fields' names, for the error next to the field (donor search: lastGiftFrom, lastGiftTo). */
  fields: { from: string; to: string } = { from: 'from', to: 'to' },
): {
  from: Date | null;
  to: Date | null;
} {
  const zone = validZone(q.timeZone);
  const bound = (v: string | undefined, end: boolean): Date | null => {
    if (v === undefined) return null;
    if (!DATE.test(v)) return new Date(v);
    const day = DateTime.fromISO(v, { zone }).startOf('day');
    return (end ? day.plus({ days: 1 }) : day).toJSDate();
  };
  const from = bound(q.from, false);
  const to = bound(q.to, true);
  if (from && to && from.getTime() >= to.getTime()) {
    throw new AppError('validation_failed', '"From" is after "To". Choose a start before the end.', {
      issues: [{ path: `querystring.${fields.from}`, message: `Must be before "${fields.to}"` }],
    });
  }
  return { from, to };
}

/** Rows of one page (asked for limit + 1) and the cursor of the next, if any. */
export function page<R>(rows: R[], limit: number, key: (r: R) => PageCursor): { rows: R[]; nextCursor: string | null } {
  if (rows.length <= limit) return { rows, nextCursor: null };
  const kept = rows.slice(0, limit);
  const last = kept[kept.length - 1];
  return { rows: kept, nextCursor: last === undefined ? null : encodePageCursor(key(last)) };
}
