import { describe, expect, it } from 'vitest';
import { callerNumberLabel, isWithheld } from './phone-format';

describe('callerNumberLabel: the number an incoming call pops with', () => {
  it.each([
    ['+447400120500', '+44 7400 120500'],
    ['+442079460999', '+44 20 7946 0999'],
    [' +442079460999 ', '+44 20 7946 0999'],
    ['', 'Number withheld'],
    ['anonymous', 'Number withheld'],
    ['12', '12'],
  ])('%j shows as %j', (from, shown) => {
    expect(callerNumberLabel(from)).toBe(shown);
  });
});

describe('isWithheld: the caller panel asks for the name instead of matching a number', () => {
  it.each([
    ['', true],
    ['  ', true],
    ['anonymous', true],
    ['Unknown', true],
    ['+447400120500', false],
    ['12', false],
  ])('%j: %j', (from, withheld) => {
    expect(isWithheld(from)).toBe(withheld);
  });
});
