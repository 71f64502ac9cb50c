import { describe, expect, it } from 'vitest';
import { CARD_NUMBER_MESSAGE, containsCardNumber, freeText, luhnValid } from './free-text';

/** Full-width digits (U+FF10..U+FF19), as an IME types them. */
const fullWidth = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
/** Arabic-Indic digits (U+0660..U+0669). */
const arabicIndic = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));

describe('the card-number guard', () => {
  it.each([
    // Written together, in groups, with every kind of separator
    ['a Visa test number', '4111111111111111'],
    ['spaces', '4111 1111 1111 1111'],
    ['dashes', '4111-1111-1111-1111'],
    ['dots', '4111.1111.1111.1111'],
    ['slashes', '4111/1111/1111/1111'],
    ['backslashes and underscores', '4111\\1111_1111\\1111'],
    ['commas', '4111,1111,1111,1111'],
    ['mixed separators', '4111 - 1111 . 1111 / 1111'],
    ['one digit at a time', '4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1'],
    ['non-breaking and thin spaces', '4111\u00a01111\u20091111\u202f1111'],
    ['zero-width spaces', '4111\u200b1111\u200b1111\u200b1111'],
    ['a soft hyphen', '4111\u00ad1111\u00ad1111\u00ad1111'],
    ['an en dash', '4111\u20131111\u20131111\u20131111'],
    ['full-width digits', fullWidth('4111 1111 1111 1111')],
    ['full-width digits with full-width dots', fullWidth('4111．1111．1111．1111')],
    ['Arabic-Indic digits', arabicIndic('4111111111111111')],
    ['mathematical bold digits', '𝟒𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏'],
    // Other card lengths and brands
    ['a Mastercard test number', '5555 5555 5555 4444'],
    ['an American Express test number (15 digits, 4-6-5)', '3782 822463 10005'],
    ['a Discover test number', '6011-1111-1111-1117'],
    ['a 13-digit Visa', '4222222222222'],
    ['a 19-digit number', '4111111111111111110'],
    // In a sentence, with other digits around it
    ['inside notes', 'Donor read her card 4111 1111 1111 1111 to me, said thanks'],
    ['followed by the expiry date and code', 'card 4111 1111 1111 1111 12/28 123'],
    ['after an amount', 'GBP 25 4111 1111 1111 1111'],
    ['after a colon', 'Card:4111111111111111'],
  ])('refuses %s', (_label, text) => {
    expect(containsCardNumber(text)).toBe(true);
  });

  it.each([
    ['an order number that fails the Luhn check (16 digits)', '1234 5678 1234 5678'],
    ['a Visa-looking number one digit off', '4111 1111 1111 1112'],
    ['an 11-digit UK phone number', '07700 900123'],
    ['a 12-digit international phone number failing Luhn', '+44 7700 900123'],
    ['a Luhn-valid 12 digits starting with 0 (no card starts with 0)', '0000 0000 0000'],
    ['a date and a time', 'Called 12/06/2026 at 10:30, call back 13/06/2026'],
    ['a payment reference with letters', 'PAY-2026-000123-AB'],
    ['a number split by words', '4111 1111 and 1111 1111'],
    ['more than 19 digits written together', '41111111111111111111111'],
    ['11 digits', '41111111111'],
    ['an empty note', ''],
    ['an amount', 'Gave £25.00 monthly'],
  ])('accepts %s', (_label, text) => {
    expect(containsCardNumber(text)).toBe(false);
  });

  it('checks the Luhn digit', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
  });

  it('every free-text field refuses a card number with a message that says what to do', () => {
    const notes = freeText(4000);
    expect(notes.parse('  Thanked her  ')).toBe('Thanked her');
    const refused = notes.safeParse('card 4111.1111.1111.1111');
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe(CARD_NUMBER_MESSAGE);
    expect(CARD_NUMBER_MESSAGE).toMatch(/take the payment on the payment line and record only its reference/);
  });
});
