import type { CampaignPurpose, Donation, EndOutcome, OutOfDataReasons, SkipOutcome } from '@engage/contracts';

export function campaignPurposeLabel(purpose: CampaignPurpose): string {
  switch (purpose) {
    case 'sponsorship_follow_up':
      return 'Sponsorship follow-up';
    case 'failed_payments':
      return 'Failed payments';
    case 'new_donors':
      return 'New donors';
    case 'reactivation':
      return 'Reactivation';
    case 'thank_you':
      return 'Thank-you';
    case 'inbound_line':
      return 'Inbound line';
  }
}

export function skipOutcomeLabel(outcome: SkipOutcome): string {
  switch (outcome) {
    case 'requeue':
      return 'Requeues: someone may call this donor later';
    case 'remove':
      return 'Removes this donor from the campaign';
  }
}

export function endOutcomeLabel(outcome: EndOutcome, retryMinutes: number | null): string {
  switch (outcome) {
    case 'final':
      return 'Done with this donor in this campaign';
    case 'retry':
      return retryMinutes === null
        ? 'The donor will be called again later'
        : `Called again in ${minutesWords(retryMinutes)}`;
    case 'appointment':
      return 'Book a call-back';
    case 'do_not_call':
      return 'Marks the donor as do not call everywhere';
  }
}

function minutesWords(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? '1 day' : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
  return `${minutes} minutes`;
}

export const donationMethodLabels: Record<Donation['method'], string> = {
  card: 'Card',
  direct_debit: 'Direct Debit',
  bank_transfer: 'Bank transfer',
  cash: 'Cash',
  cheque: 'Cheque',
  other: 'Other',
};

export const donationFrequencyLabels: Record<Donation['frequency'], string> = {
  one_off: 'One-off',
  monthly: 'Monthly',
  quarterly: 'Quarterly',
  yearly: 'Yearly',
};

/** The non-zero reasons why a campaign has no donor now, in plain words ("12 finished"). */
export function outOfDataReasonLines(reasons: OutOfDataReasons): { key: keyof OutOfDataReasons; text: string }[] {
  const words: [Exclude<keyof OutOfDataReasons, 'total'>, string][] = [
    ['finished', 'finished'],
    ['maxAttempts', 'reached the maximum number of attempts'],
    ['heldByOthers', 'being called by other agents'],
    ['waitingRetry', 'waiting for a retry or a booked call-back'],
    ['outsideCallingHours', 'outside calling hours in their local time'],
    ['doNotCall', 'do not call'],
    ['noPhone', 'without a phone number that can be called'],
  ];
  return words
    .filter(([key]) => reasons[key] > 0)
    .map(([key, text]) => ({ key, text: `${reasons[key].toLocaleString('en-GB')} ${text}` }));
}
