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

/** Digits after the decimal point for a currency: 2 for GBP, 0 for JPY and KRW, 3 for KWD (ICU data). */
export function currencyExponent(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * An amount as people read it, the same on the server (the agent's "why this donor" line) and in
 * the browser: British English currency format, "£25.00", "€30.00", "US$25.00", "JP¥3,000"
 * (en-GB marks every dollar and yen that is not the local one); "GBP 25.00" when the platform
 * does not know the code.
 */
export function formatMoney(amountMinor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const major = amountMinor / 10 ** exponent;
  try {
    return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(major);
  } catch {
    return `${currency} ${major.toFixed(exponent)}`;
  }
}

export type ParsedAmount = { ok: true; minor: number } | { ok: false; message: string };

/**
 * "25", "25.5", "25.50" or "1,250.00" in major units → integer minor units, without floating point
 * rounding. Refuses more decimals than the currency has.
 */
export function parseMajorAmount(input: string | number, currency: string): ParsedAmount {
  const exponent = currencyExponent(currency);
  const text = String(input).trim().replace(/[,\s]/g, '');
  if (text === '') return { ok: false, message: 'Enter the amount' };
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text);
  if (match === null) return { ok: false, message: 'Enter the amount as a number, e.g. 25.00' };
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) {
    return {
      ok: false,
      message:
        exponent === 0 ? `${currency} has no minor units: enter a whole number` : `Use at most ${exponent} decimals`,
    };
  }
  const minor = Number(whole) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
  if (!Number.isSafeInteger(minor) || minor <= 0) return { ok: false, message: 'Enter an amount above zero' };
  return { ok: true, minor };
}
