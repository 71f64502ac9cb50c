import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/** An E.164 number as people write it: "+44 20 7946 0321"; the number itself when it does not parse. */
export function formatPhoneNumber(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

/**
 * A caller's number as people write it ("+44 7400 120500"); "Number withheld" when the phone
 * system sent none ("", "anonymous": anything without a digit); as sent when it does not parse.
 */
export function callerNumberLabel(from: string): string {
  return isWithheld(from) ? 'Number withheld' : formatPhoneNumber(from.trim());
}

/** The caller withheld their number: the phone system sent none ("", "anonymous": anything without a digit). */
export function isWithheld(from: string): boolean {
  return !/\d/.test(from);
}

/** The country an E.164 number belongs to ("GB"), or null. */
export function phoneCountry(e164: string): string | null {
  return parsePhoneNumberFromString(e164)?.country ?? null;
}

/** The country of the browser's language ("en-GB" → GB), else GB: where a number typed nationally belongs. */
export function defaultPhoneCountry(): string {
  try {
    const region = new Intl.Locale(navigator.language).maximize().region;
    return region && /^[A-Z]{2}$/.test(region) ? region : 'GB';
  } catch {
    return 'GB';
  }
}
