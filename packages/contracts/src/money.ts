import { z } from 'zod';

/**
 * Money is integer minor units plus an ISO 4217 currency code. Which currencies an organisation
 * takes is its own setting (organisation settings); these are the rules every amount and code
 * obeys before that.
 */

/**
 * ISO 4217 codes that are not money a donor gives: the test and "no currency" codes, precious
 * metals, the IMF's special drawing right, bond-market units, the SUCRE and the ADB unit.
 */
const NOT_MONEY = new Set(['XXX', 'XTS', 'XAU', 'XAG', 'XPT', 'XPD', 'XDR', 'XBA', 'XBB', 'XBC', 'XBD', 'XSU', 'XUA']);

/** The ISO 4217 currencies the platform knows (from its ICU data), money only, sorted. */
export const isoCurrencyCodes: readonly string[] = Intl.supportedValuesOf('currency').filter((c) => !NOT_MONEY.has(c));
const ISO_CURRENCIES = new Set(isoCurrencyCodes);

export function isIsoCurrency(code: string): boolean {
  return ISO_CURRENCIES.has(code);
}

/** A currency code as sent: case does not matter ("gbp" is GBP); only ISO 4217 money codes pass. */
export const currencyCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isIsoCurrency, { message: 'Use an ISO 4217 currency code, e.g. GBP, EUR or USD' });

/** The largest amount accepted, in minor units (1,000,000.00 in a two-decimal currency). */
export const MAX_AMOUNT_MINOR = 100_000_000;

/**
 * An amount in minor units (pence, cents): a JSON number, a whole one, above zero, bounded.
 * Nothing is coerced: true, [7] and "0x10" are refused, not read as 1, 7 and 16.
 */
export const amountMinorSchema = z
  .number({ error: 'Give the amount as a number of minor units (pence, cents), e.g. 2500 for 25.00' })
  .int('Give the amount in minor units (pence, cents): a whole number')
  .positive('The amount must be above zero')
  .max(MAX_AMOUNT_MINOR, `At most ${MAX_AMOUNT_MINOR.toLocaleString('en')} minor units`);
