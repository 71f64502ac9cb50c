import { describe, expect, it } from 'vitest';
import {
  checkCallbackTime,
  instantFromLocal,
  localTime,
  outOfDataMessage,
  whyCalled,
  type WhyInput,
} from './dialer.rules';

// The calling-hours rule itself: calling-window.test.ts and calling-window.int.test.ts (one case table).
describe('local time', () => {
  it('local time follows daylight saving (London springs forward on 2026-03-29 at 01:00 UTC)', () => {
    expect(localTime(new Date('2026-03-29T00:59:00Z'), 'Europe/London')).toBe('00:59');
    expect(localTime(new Date('2026-03-29T01:00:00Z'), 'Europe/London')).toBe('02:00');
    expect(localTime(new Date('2026-10-25T00:30:00Z'), 'Europe/London')).toBe('01:30'); // BST, first 01:30
    expect(localTime(new Date('2026-10-25T01:30:00Z'), 'Europe/London')).toBe('01:30'); // GMT, second 01:30
    expect(localTime(new Date('2026-03-29T08:30:00Z'), 'Australia/Sydney')).toBe('19:30');
  });
});

// Campaign dates: the rule is the database's (engage_campaign_unworkable), tested in dialer-rules.int.test.ts.

const none: WhyInput = {
  purpose: 'thank_you',
  fp_amount: null,
  fp_currency: null,
  fp_due: null,
  fp_reason: null,
  sp_subject: null,
  sp_amount: null,
  sp_currency: null,
  sp_frequency: null,
  sp_status: null,
  dn_amount: null,
  dn_currency: null,
  dn_at: null,
  dn_purpose: null,
  first_dn_amount: null,
  first_dn_currency: null,
  first_dn_at: null,
  first_dn_purpose: null,
};

describe('why the donor is called', () => {
  it('names the failed payment, with money in the right units', () => {
    expect(
      whyCalled({
        ...none,
        purpose: 'failed_payments',
        fp_amount: 2500,
        fp_currency: 'GBP',
        fp_due: '2026-11-01',
        fp_reason: 'Card expired',
      }),
    ).toBe('Failed payment: £25.00 due 2026-11-01 (Card expired)');
    expect(
      whyCalled({
        ...none,
        purpose: 'failed_payments',
        fp_amount: 3000,
        fp_currency: 'JPY',
        fp_due: '2026-11-01',
        fp_reason: null,
      }),
    ).toBe('Failed payment: JP¥3,000 due 2026-11-01');
  });

  it('names the sponsorship', () => {
    expect(
      whyCalled({
        ...none,
        purpose: 'sponsorship_follow_up',
        sp_subject: 'Child sponsorship – Amina (Kenya)',
        sp_amount: 3000,
        sp_currency: 'EUR',
        sp_frequency: 'monthly',
        sp_status: 'lapsed',
      }),
    ).toBe('Sponsorship follow-up: Child sponsorship – Amina (Kenya), €30.00 monthly, lapsed');
  });
});

describe('the Out of Data explanation', () => {
  const reasons = {
    total: 10,
    finished: 4,
    maxAttempts: 1,
    heldByOthers: 2,
    waitingRetry: 2,
    outsideCallingHours: 1,
    doNotCall: 0,
    noPhone: 0,
  };
  it('says why and when', () => {
    const m = outOfDataMessage('Spring', reasons, new Date('2026-06-10T14:00:00Z'), 'Monday 09:00', 'thank_you');
    expect(m).toBe(
      'No donor in "Spring" can be called right now. 2 donors are with other agents; 2 donors are waiting for a retry or call-back time; 1 donor is outside calling hours until Monday 09:00 their time. More donors from 2026-06-10 14:00 UTC.',
    );
  });
  it('says when everyone has been dealt with', () => {
    const done = { ...reasons, finished: 9, heldByOthers: 0, waitingRetry: 0, outsideCallingHours: 0 };
    expect(outOfDataMessage('Spring', done, null, null, 'thank_you')).toBe(
      'Every donor in "Spring" has been dealt with. No more donors will become callable: choose another campaign.',
    );
  });
  it('a campaign with no donor at all: empty lists, or (an inbound line’s) no call-back asked for yet', () => {
    const empty = {
      ...reasons,
      total: 0,
      finished: 0,
      maxAttempts: 0,
      heldByOthers: 0,
      waitingRetry: 0,
      outsideCallingHours: 0,
    };
    expect(outOfDataMessage('Spring', empty, null, null, 'thank_you')).toBe(
      '"Spring" has no donors yet: its lists are empty. Choose another campaign or ask your manager.',
    );
    expect(outOfDataMessage('General enquiries', empty, null, null, 'inbound_line')).toBe(
      '"General enquiries" has no call-backs to make: its donors are the callers who asked an inbound line to call them back, and none has yet. Choose another campaign, or try again later.',
    );
  });
});

describe('instantFromLocal (daylight saving)', () => {
  it('an ordinary time is one instant', () => {
    expect(instantFromLocal('2026-06-11', '10:00', 'Europe/London')).toEqual({
      at: new Date('2026-06-11T09:00:00Z'),
      note: null,
    });
    expect(instantFromLocal('2026-01-15', '08:30', 'America/New_York').at).toEqual(new Date('2026-01-15T13:30:00Z'));
  });

  it('refuses a time the clocks skip on the spring-forward day, saying from when the day goes on', () => {
    expect(() => instantFromLocal('2026-03-29', '01:30', 'Europe/London')).toThrow(
      '01:30 does not exist on 2026-03-29 in Europe/London: the clocks go forward; choose 02:00 or later',
    );
    expect(() => instantFromLocal('2026-03-08', '02:15', 'America/New_York')).toThrow(
      '02:15 does not exist on 2026-03-08 in America/New_York: the clocks go forward; choose 03:00 or later',
    );
    // Either side of the gap exists.
    expect(instantFromLocal('2026-03-29', '00:59', 'Europe/London').at).toEqual(new Date('2026-03-29T00:59:00Z'));
    expect(instantFromLocal('2026-03-29', '02:00', 'Europe/London').at).toEqual(new Date('2026-03-29T01:00:00Z'));
  });

  it('a time that happens twice in autumn is the first one, and says so', () => {
    const r = instantFromLocal('2026-10-25', '01:30', 'Europe/London');
    expect(r.at).toEqual(new Date('2026-10-25T00:30:00Z'));
    expect(r.note).toContain(
      '01:30 happens twice on 2026-10-25 in Europe/London (the clocks go back): this is the first one',
    );
    expect(r.note).toContain('UTC+01:00');
    expect(instantFromLocal('2026-10-25', '02:00', 'Europe/London')).toEqual({
      at: new Date('2026-10-25T02:00:00Z'),
      note: null,
    });
  });

  it('refuses a malformed date or time, or an unknown zone', () => {
    expect(() => instantFromLocal('2026-02-30', '10:00', 'Europe/London')).toThrow('not a valid date and time');
    expect(() => instantFromLocal('2026-06-11', '10:00', 'Mars/Olympus')).toThrow('not a valid date and time');
  });

  it("the picked instant is refused when the calling-hours rule says no, naming that day's window", () => {
    const campaign = { name: 'Thanks', endsOn: null };
    const now = new Date('2026-06-10T12:00:00Z');
    const at = instantFromLocal('2026-06-11', '14:00', 'America/New_York').at;
    const window = { timeZone: 'Europe/London', localTime: '19:00', localDay: 'Thursday 11 Jun' };
    expect(() =>
      checkCallbackTime(at, now, { ...window, allowed: true, opens: '09:00', closes: '20:00' }, campaign),
    ).not.toThrow();
    expect(() =>
      checkCallbackTime(at, now, { ...window, allowed: false, opens: '09:00', closes: '17:00' }, campaign),
    ).toThrow(
      'That is 19:00 for the donor (Europe/London) on Thursday 11 Jun, outside the calling hours of "Thanks". Choose a time between 09:00 and 17:00',
    );
    expect(() =>
      checkCallbackTime(at, now, { ...window, allowed: false, opens: null, closes: '17:00' }, campaign),
    ).toThrow('"Thanks" calls nobody there that day. Choose another day.');
  });
});
