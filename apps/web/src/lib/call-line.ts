import type { CallLine, HangupCause } from '@engage/contracts';
import { formatDuration } from './time';

/** The words for how a softphone line ended (the Calls list's filter). */
export const hangupCauseLabels: Record<HangupCause, string> = {
  normal: 'Answered, hung up',
  busy: 'Busy',
  no_answer: 'No answer',
  failed: 'Failed',
};

/**
 * A call record's line in a few words (the manager's Calls, the agent's My calls): "Answered ·
 * 3:12 talk · donor hung up", "Busy (SIP 486)", "No answer", "Failed", and "—" for a call placed
 * without the softphone. The signalling is the server's (recordedCallLine); talk seconds too.
 */
export function callLineLabel(line: CallLine | null): string {
  if (line === null) return '—';
  const sip = line.sipStatus !== null ? ` (SIP ${line.sipStatus})` : '';
  if (line.answeredAt !== null) {
    const parts = ['Answered'];
    if (line.talkSeconds !== null) parts.push(`${formatDuration(line.talkSeconds)} talk`);
    if (line.hungUpAt !== null) {
      if (line.hangupCause === 'failed') parts.push(`line lost${sip}`);
      else if (line.hangupSide === 'donor') parts.push('donor hung up');
      else if (line.hangupSide === 'agent') parts.push('agent hung up');
      else parts.push('ended by the system');
    }
    return parts.join(' · ');
  }
  switch (line.hangupCause) {
    case 'busy':
      return `Busy${sip}`;
    case 'no_answer':
      return line.hangupSide === 'agent' ? 'No answer (the agent hung up while it rang)' : `No answer${sip}`;
    case 'failed':
      return `Failed${sip}`;
    case 'normal':
    case null:
      return line.dialledAt !== null ? 'Dialled, no answer recorded' : '—';
  }
}
