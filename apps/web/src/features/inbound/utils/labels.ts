import type { InboundAction } from '@engage/contracts';

/** What a caller gets when the line is closed or the wait runs out. */
export const inboundActionLabels: Record<InboundAction, string> = {
  voicemail: 'Voicemail',
  callback: 'Call-back request',
};

export const inboundActionHelp: Record<InboundAction, string> = {
  voicemail: 'The caller leaves a message',
  callback: 'The caller asks to be called back: an appointment anyone in the line’s teams may take',
};

/** 300 → "5 min", 90 → "1 min 30 s", 45 → "45 s". */
export function secondsWords(total: number): string {
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  if (minutes === 0) return `${seconds} s`;
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}
