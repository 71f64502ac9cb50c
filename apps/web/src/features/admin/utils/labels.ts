import type { EndOutcome, SkipOutcome } from '@engage/contracts';

export const skipOutcomeLabels: Record<SkipOutcome, string> = {
  requeue: 'Requeue: someone may call the donor later',
  remove: 'Remove the donor from the campaign',
};

export const endOutcomeLabels: Record<EndOutcome, string> = {
  final: 'Final',
  retry: 'Retry later',
  appointment: 'Call-back (appointment)',
  do_not_call: 'Do not call',
};

export const endOutcomeHelp: Record<EndOutcome, string> = {
  final: 'Done with this donor in this campaign',
  retry: 'The donor is called again after the minutes below',
  appointment: 'The agent books a call-back with the donor',
  do_not_call: 'The donor is marked do not call, everywhere',
};

export function minutesWords(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? '1 day' : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
  return `${minutes} min`;
}
