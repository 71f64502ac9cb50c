import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/** An E.164 number as people write it: "+44 20 7946 0321"; the number itself when it does not parse. */
export function formatPhoneNumber(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
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
