import { describe, expect, it } from 'vitest';
import { classifyHangup, HANGUP_CASES } from '@engage/contracts';
import { ephemeralCredentials } from '../../../../../telephony/stack.mjs';
import { applySignal, callLineView, recordedCallLine, type LineState } from './telephony.rules';
import { ephemeralSipCredentials } from './telephony';

const empty: LineState = {
  dialledAt: null,
  answeredAt: null,
  hungUpAt: null,
  hangupSide: null,
  hangupCause: null,
  sipStatus: null,
};
const at = (s: number) => new Date(Date.UTC(2026, 2, 10, 12, 0, s));

describe('classifyHangup: how a call ended, from its signalling', () => {
  it.each(HANGUP_CASES)('%j -> %s, %s', (input, side, cause) => {
    expect(classifyHangup(input)).toEqual({ side, cause });
  });
});

describe('applySignal: each fact once, in order', () => {
  it('dialled, answered, ended; then nothing more', () => {
    const dialled = applySignal(empty, { type: 'dialled' }, 'outbound', at(0))!;
    expect(applySignal(dialled, { type: 'dialled' }, 'outbound', at(1))).toBeNull();
    const answered = applySignal(dialled, { type: 'answered' }, 'outbound', at(5))!;
    const ended = applySignal(
      answered,
      { type: 'ended', originator: 'local', cause: 'Terminated' },
      'outbound',
      at(9),
    )!;
    expect(callLineView(ended, null)).toMatchObject({ talkSeconds: 4, hangupSide: 'agent', hangupCause: 'normal' });
    for (const type of ['dialled', 'answered', 'ended'] as const) {
      expect(applySignal(ended, { type }, 'outbound', at(20))).toBeNull();
    }
  });

  it('an answer with no dialled seen counts as dialled then; an inbound call is never dialled', () => {
    expect(applySignal(empty, { type: 'answered' }, 'outbound', at(3))).toMatchObject({
      dialledAt: at(3),
      answeredAt: at(3),
    });
    expect(applySignal(empty, { type: 'dialled' }, 'inbound', at(3))).toBeNull();
    expect(applySignal(empty, { type: 'answered' }, 'inbound', at(3))).toMatchObject({
      dialledAt: null,
      answeredAt: at(3),
    });
  });

  it('talk time runs to End Call when the hang-up was not seen', () => {
    const answered = applySignal(empty, { type: 'answered' }, 'outbound', at(0))!;
    expect(callLineView(answered, at(42)).talkSeconds).toBe(42);
    expect(callLineView(answered, null).talkSeconds).toBeNull();
  });
});

describe('recordedCallLine: the line a call record shows', () => {
  it('is null when no softphone signalled anything, else the line as callLineView shows it', () => {
    expect(recordedCallLine(empty, at(30))).toBeNull();
    const dialled = applySignal(empty, { type: 'dialled' }, 'outbound', at(0))!;
    expect(recordedCallLine(dialled, at(30))).toEqual(callLineView(dialled, at(30)));
    const inbound = applySignal(empty, { type: 'answered' }, 'inbound', at(0))!;
    expect(recordedCallLine(inbound, at(30))).toMatchObject({ dialledAt: null, talkSeconds: 30 });
  });
});

describe('ephemeral SIP credentials', () => {
  it("are the ones the reference deployment's test agents sign with (telephony/stack.mjs)", () => {
    const now = new Date('2026-03-10T12:00:00Z');
    const ours = ephemeralSipCredentials('s3cret-s3cret-s3cret', 'agent-7', now, 600);
    const theirs = ephemeralCredentials('s3cret-s3cret-s3cret', 'agent-7', 600, now.getTime() / 1000);
    expect({ username: ours.authorizationUser, password: ours.password }).toEqual(theirs);
    expect(ours.expiresAt.toISOString()).toBe('2026-03-10T12:10:00.000Z');
  });
});
