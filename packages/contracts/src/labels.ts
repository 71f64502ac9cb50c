import type { CampaignPurpose } from './campaigns';
import type { Donation } from './donors';
import type { EndOutcome, SkipOutcome } from './settings';

/**
 * The words people read for the platform's codes, one map per code list, for every screen and
 * message that names them (the manager's campaign pages, the agent's Call Center, the admin's
 * settings).
 */

export const campaignPurposeLabels: Record<CampaignPurpose, string> = {
  sponsorship_follow_up: 'Sponsorship follow-up',
  failed_payments: 'Failed payments',
  new_donors: 'New donors',
  reactivation: 'Reactivation',
  thank_you: 'Thank-you',
  inbound_line: 'Inbound line',
};

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

/** "30 minutes", "1 hour", "2 hours", "1 day": a retry delay in whole days or hours when it is one. */
export function minutesWords(minutes: number): string {
  const count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes !== 0 && minutes % 1440 === 0) return count(minutes / 1440, 'day');
  if (minutes !== 0 && minutes % 60 === 0) return count(minutes / 60, 'hour');
  return count(minutes, 'minute');
}

/** A skip reason's outcome, as the admin chooses it. */
export const skipOutcomeLabels: Record<SkipOutcome, string> = {
  requeue: 'Requeue: someone may call the donor later',
  remove: 'Remove the donor from the campaign',
};

/** A skip reason's outcome, as the agent reads it before skipping. */
export const skipOutcomeEffects: Record<SkipOutcome, string> = {
  requeue: 'Requeues: someone may call this donor later',
  remove: 'Removes this donor from the campaign',
};

/** An end reason's outcome, as the admin chooses it... */
export const endOutcomeLabels: Record<EndOutcome, string> = {
  final: 'Final',
  retry: 'Retry later',
  appointment: 'Call-back (appointment)',
  do_not_call: 'Do not call',
};

/** ...with what it does. */
export const endOutcomeHelp: Record<EndOutcome, string> = {
  final: 'Done with this donor in this campaign',
  retry: 'The donor is called again after the minutes below',
  appointment: 'The agent books a call-back with the donor',
  do_not_call: 'The donor is marked do not call, everywhere',
};

/** An end reason's outcome, as the agent reads it before ending the call. */
export function endOutcomeEffect(outcome: EndOutcome, retryMinutes: number | null): string {
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
