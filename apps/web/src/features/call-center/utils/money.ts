/** Money is integer minor units plus an ISO currency code; the agent types major units. */

/** Digits after the decimal point for a currency: 2 for GBP, 0 for JPY and KRW, 3 for KWD. */
export function currencyExponent(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** "£25.00", "¥3,000". */
export function formatMoney(amountMinor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  try {
    return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(amountMinor / 10 ** exponent);
  } catch {
    return `${currency} ${(amountMinor / 10 ** exponent).toFixed(exponent)}`;
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
