import { describe, expect, it } from 'vitest';
import { HANGUP_CASES, type CallLine } from '@engage/contracts';
import { callLineLabel } from './call-line';

const none: CallLine = {
  dialledAt: null,
  answeredAt: null,
  hungUpAt: null,
  talkSeconds: null,
  hangupSide: null,
  hangupCause: null,
  sipStatus: null,
};
const T0 = '2026-03-10T12:00:00.000Z';
const T5 = '2026-03-10T12:00:05.000Z';
const T197 = '2026-03-10T12:03:17.000Z';

describe('callLineLabel: a call record line in a few words', () => {
  it('says — for a call with no softphone', () => {
    expect(callLineLabel(null)).toBe('—');
  });

  it.each<[string, Partial<CallLine>, string]>([
    [
      'answered, the donor hung up',
      { answeredAt: T5, hungUpAt: T197, talkSeconds: 192, hangupSide: 'donor', hangupCause: 'normal' },
      'Answered · 3:12 talk · donor hung up',
    ],
    [
      'answered, the agent hung up',
      { answeredAt: T5, hungUpAt: T197, talkSeconds: 192, hangupSide: 'agent', hangupCause: 'normal' },
      'Answered · 3:12 talk · agent hung up',
    ],
    [
      'answered, the line lost',
      { answeredAt: T5, hungUpAt: T197, talkSeconds: 192, hangupSide: 'system', hangupCause: 'failed' },
      'Answered · 3:12 talk · line lost',
    ],
    ['answered, the hang-up not seen: talk to End Call', { answeredAt: T5, talkSeconds: 42 }, 'Answered · 0:42 talk'],
    ['answered, still on the line', { answeredAt: T5 }, 'Answered'],
    ['busy', { hungUpAt: T5, hangupSide: 'donor', hangupCause: 'busy', sipStatus: 486 }, 'Busy (SIP 486)'],
    [
      'no answer',
      { hungUpAt: T5, hangupSide: 'donor', hangupCause: 'no_answer', sipStatus: 408 },
      'No answer (SIP 408)',
    ],
    [
      'the agent cancelled while it rang',
      { hungUpAt: T5, hangupSide: 'agent', hangupCause: 'no_answer' },
      'No answer (the agent hung up while it rang)',
    ],
    ['failed', { hungUpAt: T5, hangupSide: 'system', hangupCause: 'failed', sipStatus: 503 }, 'Failed (SIP 503)'],
    ['failed without a status', { hungUpAt: T5, hangupSide: 'system', hangupCause: 'failed' }, 'Failed'],
    ['dialled, nothing more reported', {}, 'Dialled, no answer recorded'],
  ])('%s', (_, line, label) => {
    expect(callLineLabel({ ...none, dialledAt: T0, ...line })).toBe(label);
  });

  // Every outcome classifyHangup gives (the server records by it) reads as that outcome.
  it.each(HANGUP_CASES)('%j (%s, %s) reads as its outcome', (input, side, cause) => {
    const line: CallLine = {
      ...none,
      dialledAt: T0,
      answeredAt: input.answered ? T5 : null,
      hungUpAt: T197,
      talkSeconds: input.answered ? 192 : null,
      hangupSide: side,
      hangupCause: cause,
      sipStatus: input.statusCode ?? null,
    };
    const expected = {
      normal: /^Answered · 3:12 talk · (donor|agent) hung up$/,
      busy: /^Busy \(SIP \d{3}\)$/,
      no_answer: /^No answer/,
      failed: input.answered ? /^Answered · 3:12 talk · line lost$/ : /^Failed/,
    }[cause];
    expect(callLineLabel(line)).toMatch(expected);
  });
});
