import { phoneForSearch } from './donor-fields';

/**
 * What a search box's text is matched against. One box takes a name, a reference, a phone
 * number or an email; the text is tried as each that it could be.
 */
export interface DonorSearchCriteria {
  /** Empty search: every donor. */
  all: boolean;
  /** ILIKE pattern for the name, e.g. "%josé%" (accents and case are folded in SQL). */
  nameLike: string | null;
  /**
   * Case-insensitive regular expression for the name that also ignores apostrophes, hyphens, dots
   * and spaces, so "obrien" finds "O'Brien" and "mary jane" finds "Mary-Jane" (see nameRegexOf).
   */
  nameRegex: string | null;
  /** Compared to the reference, case-insensitively. */
  reference: string | null;
  /** E.164, compared to phone and alt_phone. */
  phone: string | null;
  /** Compared to the email, case-insensitively. */
  email: string | null;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
/** Characters a name may have between its letters that a search should not care about. */
const SEP = `[-'’.[:space:]]`;
/** Longer searches skip the regular expression: its alternatives would grow past what pg_trgm analyses. */
const MAX_REGEX_LETTERS = 24;

/**
 * The name as a regular expression that ignores separators: the words the user typed with any
 * separators (or none) between them ("mary jane" finds "Mary-Jane" and "Maryjane"); a single
 * word may also have one separator inside it ("obrien" → "obrien|o[sep]+brien|ob[sep]+rien|...",
 * which finds "O'Brien"). Every alternative keeps a run of three letters, so the trigram index
 * narrows the search; null when there is none (words too short) or the text is too long.
 */
export function nameRegexOf(q: string): string | null {
  const words = q
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const letters = words.join('');
  if (letters.length < 3 || letters.length > MAX_REGEX_LETTERS) return null;
  const hasRun = (parts: string[]) => parts.some((p) => [...p].length >= 3);
  if (words.length > 1) return hasRun(words) ? words.join(`${SEP}*`) : null;
  const chars = [...letters];
  const alternatives = [letters];
  for (let i = 1; i < chars.length; i++) {
    const head = chars.slice(0, i).join('');
    const tail = chars.slice(i).join('');
    if (hasRun([head, tail])) alternatives.push(`${head}${SEP}+${tail}`);
  }
  return alternatives.join('|');
}

export function searchCriteria(rawQuery: string): DonorSearchCriteria {
  const q = rawQuery.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (q === '') return { all: true, nameLike: null, nameRegex: null, reference: null, phone: null, email: null };
  const phone = phoneForSearch(q);
  const looksLikeEmail = q.includes('@');
  const nameish = !looksLikeEmail && phone === null;
  const nameRegex = nameish ? nameRegexOf(q) : null;
  return {
    all: false,
    nameLike: nameish ? `%${escapeLike(q)}%` : null,
    nameRegex,
    reference: q,
    phone,
    email: looksLikeEmail ? q : null,
  };
}
