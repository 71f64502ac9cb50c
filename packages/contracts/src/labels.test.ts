import { describe, expect, it } from 'vitest';
import { campaignPurposes } from './campaigns';
import { donationFrequencies, donationMethods } from './donors';
import {
  campaignPurposeLabels,
  donationFrequencyLabels,
  donationMethodLabels,
  endOutcomeEffect,
  minutesWords,
} from './labels';

describe('labels', () => {
  it.each([
    [1, '1 minute'],
    [30, '30 minutes'],
    [90, '90 minutes'],
    [60, '1 hour'],
    [120, '2 hours'],
    [1440, '1 day'],
    [2880, '2 days'],
    [1500, '25 hours'],
    [0, '0 minutes'],
  ])('%j minutes read "%s"', (minutes, words) => {
    expect(minutesWords(minutes)).toBe(words);
  });

  it("tells the agent when a retry calls the donor again, in the admin's words for the delay", () => {
    expect(endOutcomeEffect('retry', 1440)).toBe('Called again in 1 day');
    expect(endOutcomeEffect('retry', 45)).toBe('Called again in 45 minutes');
    expect(endOutcomeEffect('retry', null)).toBe('The donor will be called again later');
  });

  it('names every purpose, method and frequency, each differently', () => {
    for (const [codes, labels] of [
      [campaignPurposes, campaignPurposeLabels],
      [donationMethods, donationMethodLabels],
      [donationFrequencies, donationFrequencyLabels],
    ] as const) {
      const words = codes.map((c) => (labels as Record<string, string>)[c]);
      expect(words.every((w) => typeof w === 'string' && w.length > 0)).toBe(true);
      expect(new Set(words).size).toBe(codes.length);
    }
  });
});
