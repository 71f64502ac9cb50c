import type { OutOfDataReasons } from '@engage/contracts';

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
