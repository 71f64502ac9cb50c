/** Digits after the decimal point for a currency (2 for GBP, 0 for JPY), from the platform's ICU data. */
export function currencyExponent(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** "GBP 25.00" from 2500 minor units: unambiguous for agents in any country. */
export function formatMoney(amountMinor: number, currency: string): string {
  const exp = currencyExponent(currency);
  return `${currency} ${(amountMinor / 10 ** exp).toFixed(exp)}`;
}
