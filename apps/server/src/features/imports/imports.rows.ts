import { CARD_NUMBER_MESSAGE, containsCardNumber, type ImportField, type ImportMapping } from '@engage/contracts';
import {
  cleanText,
  parseCountry,
  parseEmail,
  parseLanguage,
  parsePhone,
  parseTimeZone,
  zoneOfCountry,
} from '../donors/donor-fields';

/**
 * The rules for one CSV row of an import: pure, so they are tested without a database.
 * Values are kept as written (trimmed, Unicode NFC), formula-looking ones included: they are data.
 * A card number is never kept, in whichever column it comes.
 */

/** A donor as a valid row gives it; null means "the row says nothing", which keeps what is there. */
export interface DonorInput {
  row: number;
  /** null: the file has no reference column; the import matches the donor by phone or email (matchDonors). */
  reference: string | null;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  alt_phone: string | null;
  email: string | null;
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  postcode: string | null;
  country: string | null;
  /** null: nothing in the row tells the zone (a new donor gets UTC, an existing one keeps its own). */
  time_zone: string | null;
  language: string | null;
}

export interface RowError {
  row: number;
  reference: string | null;
  field: string | null;
  message: string;
  /** A warning: the row was imported, with what the message says. Absent: the row was not imported. */
  severity?: 'warning';
}

export type RowResult = { ok: true; donor: DonorInput; warnings?: RowError[] } | { ok: false; errors: RowError[] };

/** Column index of each mapped field, from the mapping (field → header) and the file's headers. */
export type ColumnPlan = Partial<Record<ImportField, number>>;

export function columnPlan(mapping: ImportMapping, headers: readonly string[]): ColumnPlan {
  const plan: ColumnPlan = {};
  for (const [field, header] of Object.entries(mapping) as [ImportField, string | undefined][]) {
    if (header === undefined) continue;
    const i = headers.indexOf(header);
    if (i >= 0) plan[field] = i;
  }
  return plan;
}

const PHONE_FIELDS: ReadonlySet<ImportField> = new Set(['phone', 'altPhone']);

const MAX_LENGTH: Partial<Record<ImportField, number>> = {
  reference: 100,
  firstName: 200,
  lastName: 200,
  fullName: 400,
  addressLine1: 200,
  addressLine2: 200,
  city: 100,
  postcode: 20,
};

/** Splits "Mary Ann Smith" into first names and the last word ("Mary Ann", "Smith"). */
export function splitFullName(full: string): { first: string; last: string } {
  const parts = full.split(/\s+/).filter(Boolean);
  if (parts.length <= 1) return { first: parts[0] ?? '', last: '' };
  return { first: parts.slice(0, -1).join(' '), last: parts.at(-1)! };
}

export function validateRow(
  record: readonly string[],
  row: number,
  plan: ColumnPlan,
  defaultCountry: string,
): RowResult {
  const errors: RowError[] = [];
  // Card numbers are never stored, not even in the error report: a cell holding one is refused
  // and read as empty. Phone cells are checked when they are not a valid phone number.
  const cards = new Set<ImportField>();
  for (const [field, i] of Object.entries(plan) as [ImportField, number][]) {
    if (!PHONE_FIELDS.has(field) && containsCardNumber(record[i] ?? '')) cards.add(field);
  }
  const cell = (field: ImportField): string | null => {
    const i = plan[field];
    if (i === undefined || cards.has(field)) return null;
    const v = cleanText(record[i]);
    return v === '' ? null : v;
  };
  const reference = cell('reference');
  const fail = (field: string | null, message: string) => errors.push({ row, reference, field, message });
  for (const field of cards) fail(field, CARD_NUMBER_MESSAGE);
  /** A phone cell that is not a phone number: refused as a card number when it holds one. */
  const failPhone = (field: 'phone' | 'altPhone', text: string, message: string) =>
    fail(field, containsCardNumber(text) ? CARD_NUMBER_MESSAGE : message);

  for (const [field, max] of Object.entries(MAX_LENGTH) as [ImportField, number][]) {
    const v = cell(field);
    if (v !== null && v.length > max) fail(field, `Too long: at most ${max} characters.`);
  }
  // Without a reference column the donor is matched by phone or email, or gets a generated reference.
  if (reference === null && plan.reference !== undefined && !cards.has('reference'))
    fail(
      'reference',
      'The reference is missing: in a file with a reference column every donor needs one. Fill it in or remove the row.',
    );

  let first = cell('firstName');
  let last = cell('lastName');
  const full = cell('fullName');
  if (full !== null && first === null && last === null) {
    const split = splitFullName(full);
    first = split.first || null;
    last = split.last || null;
  }

  let country: string | null = null;
  const countryText = cell('country');
  if (countryText !== null) {
    const parsed = parseCountry(countryText);
    if (parsed.ok) country = parsed.value;
    else fail('country', parsed.message);
  }

  const phoneCountry = country ?? defaultCountry;
  let phone: string | null = null;
  let phoneCountryOfNumber: string | null = null;
  let altPhone: string | null = null;
  let altCountryOfNumber: string | null = null;
  /** Phone cells that are not phone numbers (card numbers are always refused). */
  const badPhones: { field: 'phone' | 'altPhone'; text: string; message: string }[] = [];
  const phoneText = cell('phone');
  if (phoneText !== null) {
    const parsed = parsePhone(phoneText, phoneCountry);
    if (parsed.ok) {
      phone = parsed.value.e164;
      phoneCountryOfNumber = parsed.value.country;
    } else badPhones.push({ field: 'phone', text: phoneText, message: parsed.message });
  }
  const altText = cell('altPhone');
  if (altText !== null) {
    const parsed = parsePhone(altText, phoneCountry);
    if (parsed.ok) {
      altPhone = parsed.value.e164;
      altCountryOfNumber = parsed.value.country;
    } else badPhones.push({ field: 'altPhone', text: altText, message: parsed.message });
  }
  // A bad number next to a good one is left out with a warning: the donor is kept and called on
  // the good one. Alone, it refuses the row, so that the file is corrected.
  const warnings: RowError[] = [];
  for (const bad of badPhones) {
    if (containsCardNumber(bad.text) || (phone === null && altPhone === null))
      failPhone(bad.field, bad.text, bad.message);
    else
      warnings.push({
        row,
        reference,
        field: bad.field,
        message: `${bad.message} This number was left out; the donor was imported with the other one.`,
        severity: 'warning',
      });
  }

  let email: string | null = null;
  const emailText = cell('email');
  if (emailText !== null) {
    const parsed = parseEmail(emailText);
    if (parsed.ok) email = parsed.value;
    else fail('email', parsed.message);
  }

  let language: string | null = null;
  const languageText = cell('language');
  if (languageText !== null) {
    const parsed = parseLanguage(languageText);
    if (parsed.ok) language = parsed.value;
    else fail('language', parsed.message);
  }

  // The time zone: the row's own, else the country's, else that of the number the dialer will call
  // (the main phone, else the other one: a donor called on their other phone is called in its zone).
  let timeZone: string | null = null;
  const zoneText = cell('timeZone');
  if (zoneText !== null) {
    const parsed = parseTimeZone(zoneText);
    // "UTC" said by the row is kept as Etc/UTC (the same zone): a plain "UTC" in the upsert means
    // "the row does not say", which leaves an existing donor's zone as it is.
    if (parsed.ok) timeZone = parsed.value === 'UTC' ? 'Etc/UTC' : parsed.value;
    else fail('timeZone', parsed.message);
  } else {
    timeZone = zoneOfCountry(country) ?? zoneOfCountry(phoneCountryOfNumber ?? altCountryOfNumber);
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    ...(warnings.length > 0 ? { warnings } : {}),
    donor: {
      row,
      reference,
      first_name: first,
      last_name: last,
      phone,
      alt_phone: altPhone,
      email,
      address_line1: cell('addressLine1'),
      address_line2: cell('addressLine2'),
      city: cell('city'),
      postcode: cell('postcode'),
      // The phone's country only guides the time zone: it does not overwrite a donor's country.
      country,
      time_zone: timeZone,
      language,
    },
  };
}
