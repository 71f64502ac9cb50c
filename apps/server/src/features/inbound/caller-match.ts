import type { DonorSummary } from '@engage/contracts';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { DbOrTx } from '../../db/client';
import { parsePhone } from '../donors/donor-fields';
import { donorsByPhone } from '../donors/donors.service';

/** The country a line's number belongs to: national caller numbers on it are read in it. */
export function lineCountry(lineNumber: string): string | null {
  return parsePhoneNumberFromString(lineNumber)?.country ?? null;
}

/** How many matched donors a pop shows at most; more means "search instead". */
export const CALLER_MATCH_LIMIT = 10;

/** What phone systems send for a number the caller withheld (compared lower-case, trimmed). */
const WITHHELD = new Set(['', 'anonymous', 'unknown', 'withheld', 'private', 'restricted', 'unavailable']);

export interface CallerMatch {
  /** The caller's number as sent. */
  from: string;
  /** The number in E.164, when it reads as a valid number. */
  fromE164: string | null;
  /** The caller withheld their number ("anonymous", empty, "unknown"...): nobody to match. */
  withheld: boolean;
  /** Donors whose main or other phone is the number, by name (at most `limit`). */
  donors: DonorSummary[];
  /** More donors than `limit` have the number. */
  more: boolean;
}

/**
 * The caller's number in whatever format the phone system or the agent wrote it (international,
 * "00" prefix, national in `country`, spaces, dashes, brackets), in E.164; null when withheld or
 * not a valid number. `country`: the line's (its number's country) or the organisation's.
 */
export function callerE164(from: string, country: string | null): { fromE164: string | null; withheld: boolean } {
  const text = from.trim();
  if (WITHHELD.has(text.toLowerCase()) || !/\d/.test(text)) return { fromE164: null, withheld: true };
  // "00" is the international prefix nearly everywhere; read it as "+" whatever the country.
  const international = text.replace(/^\(?00\)?\s*/, '+');
  const parsed = parsePhone(international, country ?? '');
  return { fromE164: parsed.ok ? parsed.value.e164 : null, withheld: false };
}

/**
 * Matches a caller to donors by their main and other phone numbers (donors_phone_idx and
 * donors_alt_phone_idx: no scan, however many donors). Withheld or unreadable numbers match nobody.
 */
export async function matchCaller(
  db: DbOrTx,
  from: string,
  opts: { country?: string | null; limit?: number } = {},
): Promise<CallerMatch> {
  const limit = opts.limit ?? CALLER_MATCH_LIMIT;
  const { fromE164, withheld } = callerE164(from, opts.country ?? null);
  if (fromE164 === null) return { from, fromE164, withheld, donors: [], more: false };
  const found = await donorsByPhone(db, fromE164, limit + 1);
  return { from, fromE164, withheld, donors: found.slice(0, limit), more: found.length > limit };
}
