import { describe, expect, it } from 'vitest';
import {
  amountMinorSchema,
  currencyCodeSchema,
  currencyExponent,
  formatMoney,
  isoCurrencyCodes,
  parseMajorAmount,
} from './money';

describe('money', () => {
  it.each(['GBP', 'gbp', ' EUR ', 'JPY', 'KES', 'XOF'])('takes the ISO 4217 currency %j', (code) => {
    expect(currencyCodeSchema.safeParse(code).success).toBe(true);
  });

  it.each(['XXX', 'XTS', 'XAU', 'XDR', 'BTC', 'ABC', 'GB', 'GBPX', ''])('refuses %j as a currency', (code) => {
    expect(currencyCodeSchema.safeParse(code).success).toBe(false);
  });

  it('knows the currencies of the world and no test or metal codes', () => {
    expect(isoCurrencyCodes).toEqual(expect.arrayContaining(['GBP', 'EUR', 'USD', 'JPY', 'INR', 'BRL']));
    expect(isoCurrencyCodes).not.toContain('XXX');
    expect(isoCurrencyCodes).not.toContain('XAG');
  });

  it.each([2500, 1, 100_000_000])('takes %j minor units', (amount) => {
    expect(amountMinorSchema.parse(amount)).toBe(amount);
  });

  it.each([true, [7], '0x10', '2500', 25.5, 0, -100, 100_000_001, Number.NaN, null, {}])(
    'refuses %j as an amount',
    (amount) => {
      expect(amountMinorSchema.safeParse(amount).success).toBe(false);
    },
  );

  it.each([
    ['GBP', 2],
    ['JPY', 0],
    ['KWD', 3],
  ])('%s has %i decimals', (currency, exponent) => {
    expect(currencyExponent(currency)).toBe(exponent);
  });

  it.each([
    [2500, 'GBP', '£25.00'],
    [3000, 'EUR', '€30.00'],
    [2500, 'USD', 'US$25.00'],
    [3000, 'JPY', 'JP¥3,000'],
    [125_050, 'GBP', '£1,250.50'],
    [2500, 'KES', 'KES 25.00'],
    [2500, 'GBPX', 'GBPX 25.00'],
  ])('%i minor units of %s read %j, on the server and in the browser alike', (minor, currency, text) => {
    // Intl puts a no-break space between a code and the amount.
    expect(formatMoney(minor, currency).replace(/\u00a0/g, ' ')).toBe(text);
  });

  it.each([
    ['25', 'GBP', 2500],
    ['25.5', 'GBP', 2550],
    ['1,250.00', 'GBP', 125_000],
    [' 0.01 ', 'GBP', 1],
    ['3000', 'JPY', 3000],
    ['1.234', 'KWD', 1234],
    [25, 'EUR', 2500],
  ])('reads %j %s as %i minor units', (input, currency, minor) => {
    expect(parseMajorAmount(input, currency)).toEqual({ ok: true, minor });
  });

  it.each([
    ['', 'GBP', 'Enter the amount'],
    ['25.001', 'GBP', 'Use at most 2 decimals'],
    ['3000.5', 'JPY', 'JPY has no minor units: enter a whole number'],
    ['0', 'GBP', 'Enter an amount above zero'],
    ['-5', 'GBP', 'Enter the amount as a number, e.g. 25.00'],
    ['1e3', 'GBP', 'Enter the amount as a number, e.g. 25.00'],
  ])('refuses %j %s: %s', (input, currency, message) => {
    expect(parseMajorAmount(input, currency)).toEqual({ ok: false, message });
  });
});
