import { describe, expect, it } from 'vitest';
import { amountMinorSchema, currencyCodeSchema, isoCurrencyCodes } from './money';

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
});
