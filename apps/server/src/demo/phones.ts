import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { City, Country } from './countries';
import type { Prng } from './prng';

/**
 * Draws random mobile numbers for a country until libphonenumber-js (full metadata) says one is
 * valid for that very country and not yet used; returns it in E.164.
 *
 * These are random numbers in real ranges, so some may belong to real people: demo data must never
 * be connected to a real telephone line.
 */
export function randomValidPhone(r: Prng, country: Country, city: City, used: Set<string>): string {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const candidate = country.mobile(r, city);
    const parsed = parsePhoneNumberFromString(candidate, country.code);
    if (!parsed || parsed.country !== country.code || !parsed.isValid()) continue;
    const e164 = parsed.number;
    if (used.has(e164)) continue;
    used.add(e164);
    return e164;
  }
  throw new Error(`Could not draw a valid ${country.code} phone number for ${city.name}`);
}
