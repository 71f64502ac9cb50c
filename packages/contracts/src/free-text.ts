import { z } from 'zod';

/**
 * Card numbers are never stored. This is the one guard, run on every free-text field the API
 * stores (through `freeText`) and on every cell the CSV import stores (the server's importer calls
 * `containsCardNumber`). The web forms call it too, to answer before sending.
 */

export const CARD_NUMBER_MESSAGE =
  'This looks like a card number. Card numbers are never stored: take the payment on the payment line and record only its reference.';

const MIN_DIGITS = 12;
const MAX_DIGITS = 19;

const ANY_NUMBER = /\p{N}/gu;
const DECIMAL_DIGIT = /\p{Nd}/u;
const LETTER = /\p{L}/u;

/**
 * The value of a decimal digit of any script ("٤" → 4). Unicode encodes every set of decimal
 * digits as ten consecutive code points from 0 to 9, so the value is the digit's place in its run.
 */
function digitValue(ch: string): number {
  let cp = ch.codePointAt(0)!;
  let value = 0;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(cp - 1))) {
    cp--;
    value++;
  }
  return value % 10;
}

/** The Luhn checksum every payment card number carries in its last digit. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * The groups of digits of the text, gathered in runs: NFKC turns full-width and other compatibility
 * digits into ASCII ones, digits of other scripts count by their value, anything that is neither a
 * letter nor a digit (spaces, dots, dashes, slashes, commas, invisible characters...) separates
 * groups of one run, and a letter ends the run.
 */
function digitRuns(text: string): string[][] {
  const runs: string[][] = [];
  let run: string[] = [];
  let group = '';
  const endGroup = () => {
    if (group !== '') run.push(group);
    group = '';
  };
  for (const ch of text.normalize('NFKC')) {
    if (ch >= '0' && ch <= '9') group += ch;
    else if (DECIMAL_DIGIT.test(ch)) group += String(digitValue(ch));
    else if (LETTER.test(ch)) {
      endGroup();
      if (run.length > 0) runs.push(run);
      run = [];
    } else endGroup();
  }
  endGroup();
  if (run.length > 0) runs.push(run);
  return runs;
}

/**
 * Whether the text holds what looks like a payment card number: 12 to 19 digits, written together
 * or in groups split by any separators, that pass the Luhn check and do not start with 0 (no card
 * number does). Every span of whole groups is tried, so digits written before or after the number
 * (an amount, an expiry date) do not hide it. A number that fails the Luhn check (an order number)
 * passes.
 */
export function containsCardNumber(text: string): boolean {
  // Fast path: most text has nowhere near 12 digits.
  if ((text.match(ANY_NUMBER)?.length ?? 0) < MIN_DIGITS) return false;
  for (const groups of digitRuns(text)) {
    for (let first = 0; first < groups.length; first++) {
      let digits = '';
      for (let last = first; last < groups.length; last++) {
        digits += groups[last];
        if (digits.length > MAX_DIGITS) break;
        if (digits.length >= MIN_DIGITS && digits[0] !== '0' && luhnValid(digits)) return true;
      }
    }
  }
  return false;
}

/** The refinement every stored free-text field carries. */
export const noCardNumber = [(s: string) => !containsCardNumber(s), { message: CARD_NUMBER_MESSAGE }] as const;

/** Free text the API stores: trimmed, at most `max` characters, never a card number. */
export function freeText(max: number, tooLong = `At most ${max.toLocaleString('en')} characters`) {
  return z
    .string()
    .trim()
    .max(max, tooLong)
    .refine(...noCardNumber);
}
