import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { HANGUP_CASES, type CallSignalBody, type SoftphoneCredentials } from '@engage/contracts';
import type { UA } from 'jssip';
import type { UAConfiguration } from 'jssip/lib/UA';
import { lineLabel } from './line-label';
import { Softphone, type SoftphoneDeps } from './softphone';

/** A JsSIP call as the softphone uses it: events, isEnded, terminate. */
class FakeSession extends EventEmitter {
  ended = false;
  terminated: unknown[] = [];
  isEnded() {
    return this.ended;
  }
  terminate(options?: unknown) {
    this.terminated.push(options);
    this.ended = true;
  }
  /** The call closes with JsSIP's `failed` (never answered) or `ended` (after an answer). */
  close(event: 'failed' | 'ended', e: { originator: string; cause: string; statusCode?: number }) {
    this.ended = true;
    this.emit(event, {
      originator: e.originator,
      cause: e.cause,
      message: e.statusCode === undefined ? undefined : { status_code: e.statusCode },
    });
  }
}

/** A JsSIP user agent that never opens a socket: the test plays the SIP server's answers. */
class FakeUA extends EventEmitter {
  started = false;
  stopped = false;
  registers = 0;
  settings: Record<string, unknown> = {};
  calls: { target: string; options: unknown; session: FakeSession }[] = [];
  constructor(readonly configuration: UAConfiguration) {
    super();
  }
  start() {
    this.started = true;
  }
  stop() {
    this.stopped = true;
  }
  unregister() {}
  register() {
    this.registers += 1;
  }
  set(key: string, value: unknown) {
    this.settings[key] = value;
    return true;
  }
  call(target: string, options: unknown) {
    const session = new FakeSession();
    this.calls.push({ target, options, session });
    return session;
  }
}

const credentials = (n = 1): SoftphoneCredentials => ({
  wsUrl: 'ws://127.0.0.1:8088',
  sipUri: 'sip:agent-7@sip.charity.example',
  authorizationUser: `${1_900_000_000 + n}:agent-7`,
  password: `password-${n}`,
  expiresAt: '2030-03-17T17:46:40.000Z',
  iceServers: [],
});

/** The microphone's one track; mute and hold switch it off (the fake session does not: set by hand). */
const micTrack = { enabled: true, stop: () => undefined };
const microphone = () =>
  Promise.resolve({ getTracks: () => [micTrack], getAudioTracks: () => [micTrack] } as unknown as MediaStream);

function softphone(deps: Partial<SoftphoneDeps> = {}) {
  const uas: FakeUA[] = [];
  const reports: [number, CallSignalBody][] = [];
  let issued = 0;
  const phone = new Softphone({
    credentials: () => Promise.resolve(credentials(++issued)),
    report: (callId, signal) => reports.push([callId, signal]),
    microphone,
    userAgent: (c) => {
      const ua = new FakeUA(c);
      uas.push(ua);
      return ua as unknown as UA;
    },
    ...deps,
  });
  return { phone, uas, reports, ua: () => uas.at(-1)! };
}

const registration = (phone: Softphone) => phone.snapshot().registration;
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('Softphone: registering, and what each problem tells the agent', () => {
  it('registers with the credentials Engage issued, kept in the user agent only', async () => {
    const { phone, ua } = softphone();
    await phone.start();
    expect(registration(phone)).toEqual({ state: 'connecting' });
    expect(ua().configuration).toMatchObject({
      uri: 'sip:agent-7@sip.charity.example',
      authorization_user: '1900000001:agent-7',
      password: 'password-1',
      register: true,
      session_timers: false,
    });
    expect(ua().started).toBe(true);
    ua().emit('registered');
    expect(registration(phone)).toEqual({ state: 'registered' });
    expect(phone.registered()).toBe(true);
  });

  it.each([
    ['NotAllowedError', 'microphone_refused', /browser refused the microphone: allow it for this site/],
    ['SecurityError', 'microphone_refused', /allow it for this site/],
    ['NotFoundError', 'microphone_missing', /No microphone found: plug in a headset/],
  ])('a microphone %s says %s and what to do, and connects nothing', async (name, problem, message) => {
    const asked = vi.fn(() => Promise.resolve(credentials()));
    const { phone, uas } = softphone({
      microphone: () => Promise.reject(new DOMException('no', name)),
      credentials: asked,
    });
    await phone.start();
    expect(registration(phone)).toMatchObject({ state: 'failed', problem, message: expect.stringMatching(message) });
    expect(registration(phone)).toMatchObject({ message: expect.stringMatching(/dial from the phone number link/) });
    expect(asked).not.toHaveBeenCalled();
    expect(uas).toHaveLength(0);
  });

  it('credentials Engage could not issue: says so (Reconnect, else sign out and in), no user agent', async () => {
    const { phone, uas } = softphone({ credentials: () => Promise.reject(new Error('409 no_open_shift')) });
    await phone.start();
    expect(registration(phone)).toMatchObject({
      state: 'failed',
      problem: 'credentials',
      message: expect.stringMatching(/could not issue your phone credentials: press Reconnect/),
    });
    expect(uas).toHaveLength(0);
  });

  it.each([
    ['Authentication Error', 'refused', /refused your sign-in.*phone server secret/],
    ['Rejected', 'refused', /refused your sign-in/],
    ['Connection Error', 'network', /cannot be reached: check your network/],
    ['Request Timeout', 'network', /cannot be reached/],
  ])('registration failed with %s: %s', async (cause, problem, message) => {
    const { phone, ua } = softphone();
    await phone.start();
    ua().emit('registrationFailed', { cause });
    expect(registration(phone)).toMatchObject({ state: 'failed', problem, message: expect.stringMatching(message) });
  });

  it('a lost WebSocket says network; back to connecting when it reconnects', async () => {
    const { phone, ua } = softphone();
    await phone.start();
    ua().emit('registered');
    ua().emit('disconnected');
    expect(registration(phone)).toMatchObject({ state: 'failed', problem: 'network' });
    ua().emit('connected');
    expect(registration(phone)).toEqual({ state: 'connecting' });
  });

  it('asks for new credentials before the registration lapses, and registers with them', async () => {
    const { phone, ua } = softphone();
    await phone.start();
    ua().emit('registered');
    ua().emit('registrationExpiring');
    await flush();
    expect(ua().settings).toEqual({ authorization_user: '1900000002:agent-7', password: 'password-2' });
    expect(ua().registers).toBe(1);
  });

  it('Reconnect starts a fresh user agent and stops the old one', async () => {
    const { phone, uas } = softphone();
    await phone.start();
    uas[0]!.emit('registrationFailed', { cause: 'Authentication Error' });
    await phone.start();
    expect(uas).toHaveLength(2);
    expect(uas[0]!.stopped).toBe(true);
    expect(uas[1]!.configuration.password).toBe('password-2');
  });
});

describe('Softphone: a call, what the screen shows and what the call record is told', () => {
  async function registered() {
    const s = softphone();
    await s.phone.start();
    s.ua().emit('registered');
    return s;
  }

  it('dials the donor, rings, connects, and shows the donor hanging up at once', async () => {
    const { phone, ua, reports } = await registered();
    expect(phone.dial(41, '+447700900123')).toBe(true);
    const { target, session } = ua().calls[0]!;
    expect(target).toBe('sip:+447700900123@sip.charity.example');
    expect(phone.snapshot().line).toEqual({ state: 'dialling', callId: 41 });
    session.emit('sending');
    session.emit('progress');
    expect(phone.snapshot().line).toEqual({ state: 'ringing', callId: 41 });
    session.emit('accepted');
    expect(phone.snapshot().line).toMatchObject({ state: 'connected', callId: 41, muted: false, held: false });
    expect(phone.dial(42, '+447700900999')).toBe(false); // one line at a time
    micTrack.enabled = false; // as JsSIP's mute leaves the shared microphone
    session.close('ended', { originator: 'remote', cause: 'Terminated' });
    expect(micTrack.enabled).toBe(true); // the next call is heard
    expect(phone.snapshot().line).toEqual({
      state: 'ended',
      callId: 41,
      side: 'donor',
      cause: 'normal',
      statusCode: null,
    });
    expect(lineLabel(phone.snapshot().line)).toBe('The donor hung up');
    expect(reports).toEqual([
      [41, { type: 'dialled' }],
      [41, { type: 'answered' }],
      [41, { type: 'ended', statusCode: undefined, originator: 'remote', cause: 'Terminated' }],
    ]);
  });

  it('a busy donor (486) shows Busy and reports the status', async () => {
    const { phone, ua, reports } = await registered();
    phone.dial(43, '+447700900123');
    const { session } = ua().calls[0]!;
    session.emit('sending');
    session.close('failed', { originator: 'remote', cause: 'Busy', statusCode: 486 });
    expect(phone.snapshot().line).toMatchObject({ state: 'ended', cause: 'busy', side: 'donor', statusCode: 486 });
    expect(reports.at(-1)).toEqual([43, { type: 'ended', statusCode: 486, originator: 'remote', cause: 'Busy' }]);
  });

  it('End Call hangs up an open line; nothing to hang up once it has ended', async () => {
    const { phone, ua } = await registered();
    phone.dial(44, '+447700900123');
    const { session } = ua().calls[0]!;
    expect(phone.lineOpen()).toBe(true);
    phone.hangup();
    expect(session.terminated).toHaveLength(1);
    expect(phone.lineOpen()).toBe(false);
    phone.hangup();
    expect(session.terminated).toHaveLength(1);
  });

  it('does not dial before it is registered', async () => {
    const { phone, ua } = softphone();
    await phone.start();
    expect(phone.dial(45, '+447700900123')).toBe(false);
    expect(ua().calls).toHaveLength(0);
  });
});

describe('lineLabel: what the line says, for every way a call ends (HANGUP_CASES)', () => {
  const expected = {
    busy: () => 'Busy',
    no_answer: (side: string) => (side === 'agent' ? 'You hung up before an answer' : 'No answer'),
    failed: (_: string, code: number | null) => (code ? `Call failed (SIP ${code})` : 'Call failed'),
    normal: (side: string) => (side === 'donor' ? 'The donor hung up' : 'Call ended'),
  };
  it.each(HANGUP_CASES)('%j (%s, %s)', (input, side, cause) => {
    const statusCode = input.statusCode ?? null;
    expect(lineLabel({ state: 'ended', callId: 1, side, cause, statusCode })).toBe(expected[cause](side, statusCode));
  });

  it('while the call is placed', () => {
    expect(lineLabel({ state: 'idle' })).toBe('Not dialled');
    expect(lineLabel({ state: 'dialling', callId: 1 })).toBe('Calling…');
    expect(lineLabel({ state: 'ringing', callId: 1 })).toBe('Ringing…');
    expect(lineLabel({ state: 'connected', callId: 1, since: 0, muted: false, held: false })).toBe('Connected');
    expect(lineLabel({ state: 'connected', callId: 1, since: 0, muted: false, held: true })).toBe('On hold');
  });

  it('names the outcomes the agent must tell apart', () => {
    expect(lineLabel({ state: 'ended', callId: 1, side: 'donor', cause: 'busy', statusCode: 486 })).toBe('Busy');
    expect(lineLabel({ state: 'ended', callId: 1, side: 'system', cause: 'failed', statusCode: 404 })).toBe(
      'Call failed (SIP 404)',
    );
    expect(lineLabel({ state: 'ended', callId: 1, side: 'agent', cause: 'no_answer', statusCode: null })).toBe(
      'You hung up before an answer',
    );
  });
});
