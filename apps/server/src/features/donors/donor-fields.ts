import { canonicalTimeZone } from '@engage/contracts';
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * The rules for a donor's fields, shared by the manager's edit form and the CSV import: phone
 * numbers (stored E.164), email, ISO country, IANA time zone, BCP 47 language. Each parser answers
 * the clean value, or what is wrong and how to write it: `message` quotes the value (the import's
 * error report, where it finds the cell), `issue` does not (API answers, which may be logged).
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; issue: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
/** `raw` "is not" `what`. */
const fail = <T>(raw: string, what: string): Parsed<T> => ({
  ok: false,
  message: `"${raw}" is not ${what}`,
  issue: `This is not ${what}`,
});

/**
 * Remembers the answers of a parser whose inputs repeat a lot (a country or a time zone on every
 * row of an import); bounded, so a file of random values cannot grow it.
 */
function memo<T>(fn: (raw: string) => Parsed<T>, max = 1000): (raw: string) => Parsed<T> {
  const seen = new Map<string, Parsed<T>>();
  return (raw) => {
    let answer = seen.get(raw);
    if (answer === undefined) {
      answer = fn(raw);
      if (seen.size >= max) seen.clear();
      seen.set(raw, answer);
    }
    return answer;
  };
}

/** Text as the user wrote it, trimmed and in Unicode NFC (so "é" is one character everywhere). */
export function cleanText(raw: string | null | undefined): string {
  return (raw ?? '').normalize('NFC').trim();
}

export function isPhoneCountry(code: string): code is CountryCode {
  return /^[A-Z]{2}$/.test(code) && isSupportedCountry(code);
}

export interface PhoneValue {
  e164: string;
  /** The country the number belongs to, when libphonenumber knows it. */
  country: string | null;
}

/**
 * A phone number in any format, read in `defaultCountry` when it has no +country code. Only
 * numbers libphonenumber (full metadata) says are valid are accepted. A leading apostrophe (how
 * spreadsheets keep "+44..." as text, and how our exports neutralise it) is ignored.
 */
export function parsePhone(raw: string, defaultCountry: string): Parsed<PhoneValue> {
  const text = raw.trim().replace(/^'+/, '');
  const country = isPhoneCountry(defaultCountry) ? defaultCountry : undefined;
  const parsed = parsePhoneNumberFromString(text, country ? { defaultCountry: country } : undefined);
  if (!parsed || !parsed.isValid()) {
    return fail(
      raw,
      country
        ? `a valid phone number (numbers without +country code are read as ${country}). Write it with its country code, e.g. +44 20 7946 0018.`
        : `a valid phone number. Write it with its country code, e.g. +44 20 7946 0018.`,
    );
  }
  return ok({ e164: parsed.number, country: parsed.country ?? null });
}

/** For searching: any text that reads as a phone number, valid or not, in E.164 (or null). */
export function phoneForSearch(raw: string, defaultCountry: CountryCode = 'GB'): string | null {
  const digits = raw.replace(/\D/g, '');
  if (digits.length < 6 || !/^\+?[\d\s().\-/]+$/.test(raw.trim())) return null;
  const parsed = parsePhoneNumberFromString(raw.trim(), { defaultCountry });
  return parsed?.number ?? null;
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]{2,}$/;

export function parseEmail(raw: string): Parsed<string> {
  const text = raw.trim();
  if (text.length > 254 || !EMAIL.test(text)) {
    return fail(raw, 'an email address. Write it like name@example.org.');
  }
  return ok(text);
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function allTwoLetterCodes(): string[] {
  const out: string[] = [];
  for (const a of LETTERS) for (const b of LETTERS) out.push(a + b);
  return out;
}

let countryByName: Map<string, string> | undefined;
/** English country names (and a few common aliases) → ISO code, built once. */
function countryNames(): Map<string, string> {
  if (countryByName) return countryByName;
  const map = new Map<string, string>();
  for (const code of allTwoLetterCodes()) {
    const name = regionNames.of(code);
    if (name && name !== code && isRealRegion(code) && !map.has(name.toLowerCase())) map.set(name.toLowerCase(), code);
  }
  for (const [alias, code] of [
    ['uk', 'GB'],
    ['great britain', 'GB'],
    ['england', 'GB'],
    ['scotland', 'GB'],
    ['wales', 'GB'],
    ['northern ireland', 'GB'],
    ['usa', 'US'],
    ['united states of america', 'US'],
    ['america', 'US'],
    ['holland', 'NL'],
    ['republic of ireland', 'IE'],
    ['eire', 'IE'],
    ['south korea', 'KR'],
  ] as const) {
    map.set(alias, code);
  }
  countryByName = map;
  return map;
}

/**
 * Codes Intl names that are not current countries: groupings (EU, UN, ZZ "Unknown Region"...),
 * and ISO's reserved or withdrawn codes (UK, FX "Metropolitan France", SU, YU...).
 */
const NOT_COUNTRIES = new Set('EU EZ UN ZZ QO XA XB UK FX SU YU DD ZR TP BU CS AN NT YD CP DG EA IC TA'.split(' '));
function isRealRegion(code: string): boolean {
  return !NOT_COUNTRIES.has(code);
}

/** An ISO 3166-1 alpha-2 code ("gb" → "GB"), or a country's English name ("United Kingdom"). */
export const parseCountry = memo(function parseCountry(raw: string): Parsed<string> {
  const text = raw.trim();
  const upper = text.toUpperCase();
  if (/^[A-Z]{2}$/.test(upper)) {
    if (upper === 'UK') return ok('GB');
    const name = regionNames.of(upper);
    if (name && name !== upper && isRealRegion(upper)) return ok(upper);
  }
  const byName = countryNames().get(text.toLowerCase());
  if (byName) return ok(byName);
  return fail(raw, 'a country. Use its two-letter ISO code, e.g. GB, IE, US.');
});

/**
 * The most common time zone of countries that span several (Intl lists them alphabetically, so
 * "America/Adak" would come first for the US). Single-zone countries are answered by Intl.
 */
const MAIN_ZONE: Record<string, string> = {
  US: 'America/New_York',
  CA: 'America/Toronto',
  AU: 'Australia/Sydney',
  BR: 'America/Sao_Paulo',
  RU: 'Europe/Moscow',
  MX: 'America/Mexico_City',
  ES: 'Europe/Madrid',
  PT: 'Europe/Lisbon',
  DE: 'Europe/Berlin',
  NZ: 'Pacific/Auckland',
  CN: 'Asia/Shanghai',
  IN: 'Asia/Kolkata',
  ID: 'Asia/Jakarta',
  AR: 'America/Argentina/Buenos_Aires',
  CL: 'America/Santiago',
  EC: 'America/Guayaquil',
  KZ: 'Asia/Almaty',
  UA: 'Europe/Kyiv',
  MN: 'Asia/Ulaanbaatar',
  CD: 'Africa/Kinshasa',
  MY: 'Asia/Kuala_Lumpur',
  PF: 'Pacific/Tahiti',
  KI: 'Pacific/Tarawa',
  FM: 'Pacific/Pohnpei',
  PG: 'Pacific/Port_Moresby',
  UZ: 'Asia/Tashkent',
  CY: 'Asia/Nicosia',
  GL: 'America/Nuuk',
  DK: 'Europe/Copenhagen',
  FR: 'Europe/Paris',
  NL: 'Europe/Amsterdam',
  GB: 'Europe/London',
};

interface LocaleWithZones {
  timeZones?: string[];
}

/** The usual time zone of a country (ISO-2), or null when there is none to give. */
const zoneCache = new Map<string, string | null>();

export function zoneOfCountry(country: string | null | undefined): string | null {
  if (!country) return null;
  const main = MAIN_ZONE[country];
  if (main) return main;
  let zone = zoneCache.get(country);
  if (zone === undefined) {
    try {
      zone = (new Intl.Locale(`und-${country}`) as unknown as LocaleWithZones).timeZones?.[0] ?? null;
    } catch {
      zone = null;
    }
    if (zoneCache.size < 1000) zoneCache.set(country, zone);
  }
  return zone;
}

/** An IANA time zone name ("Europe/London"; case is corrected), as PostgreSQL and Intl know it. */
export const parseTimeZone = memo(function parseTimeZone(raw: string): Parsed<string> {
  const zone = canonicalTimeZone(raw);
  return zone === null ? fail(raw, 'a time zone. Use an IANA name, e.g. Europe/London or America/New_York.') : ok(zone);
});

let languageByName: Map<string, string> | undefined;

/** A BCP 47 language tag ("en", "fr-CA"), or a language's English name ("French" → "fr"). */
export const parseLanguage = memo(function parseLanguage(raw: string): Parsed<string> {
  const text = raw.trim();
  if (!languageByName) {
    languageByName = new Map();
    for (const code of allTwoLetterCodes()) {
      const lower = code.toLowerCase();
      const name = languageNames.of(lower);
      if (name && name !== lower) languageByName.set(name.toLowerCase(), lower);
    }
  }
  const byName = languageByName.get(text.toLowerCase());
  if (byName) return ok(byName);
  if (/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/.test(text)) {
    try {
      const [tag] = Intl.getCanonicalLocales(text.replace(/_/g, '-'));
      const base = tag?.split('-')[0] ?? '';
      if (tag && languageNames.of(base) !== undefined) return ok(tag);
    } catch {
      // not a tag: below
    }
  }
  return fail(raw, 'a language. Use a language code such as en, fr or es-MX.');
});
