import {
  classifyHangup,
  type CallSignalBody,
  type HangupCause,
  type HangupSide,
  type SoftphoneCredentials,
} from '@engage/contracts';
import { UA, WebSocketInterface } from 'jssip';
import type { DTMF_TRANSPORT } from 'jssip/lib/Constants';
import type { EndEvent, RTCSession } from 'jssip/lib/RTCSession';
import type { UAConfiguration } from 'jssip/lib/UA';

/** The softphone's connection to the SIP server. */
export type Registration =
  | { state: 'off' }
  | { state: 'connecting' }
  | { state: 'registered' }
  | { state: 'failed'; problem: SoftphoneProblem; message: string };

export type SoftphoneProblem = 'microphone_missing' | 'microphone_refused' | 'refused' | 'network' | 'credentials';

/**
 * The line of the call the agent is on, as the signalling says. `callId` is the call record's; an
 * answered inbound call has none until Engage opens it (the shift shows it; bindInboundCall).
 */
export type Line =
  | { state: 'idle' }
  | { state: 'dialling'; callId: number | null }
  | { state: 'ringing'; callId: number | null }
  | { state: 'connected'; callId: number | null; since: number; muted: boolean; held: boolean }
  | { state: 'ended'; callId: number | null; side: HangupSide; cause: HangupCause; statusCode: number | null };

export interface SoftphoneSnapshot {
  registration: Registration;
  line: Line;
  /** An inbound call ringing the softphone, named by Engage's inbound call id (the pop-up's). */
  incoming: { inboundCallId: number } | null;
}

/** The SIP header Kamailio adds to each agent's INVITE: Engage's inbound call id (telephony/kamailio.cfg). */
export const INBOUND_CALL_HEADER = 'X-Engage-Inbound-Call-Id';

/** The call record a session reports to; an inbound one keeps its signals until it has its id. */
interface CallRecord {
  callId: number | null;
  queued: CallSignalBody[];
}

export interface SoftphoneDeps {
  /** Fresh credentials (createSoftphoneCredentials): at start and before they lapse. */
  credentials: () => Promise<SoftphoneCredentials>;
  /** What the signalling said of a call, for the call record (recordCallSignal). */
  report: (callId: number, signal: CallSignalBody) => void;
  /** The microphone (navigator.mediaDevices.getUserMedia in the browser). */
  microphone?: () => Promise<MediaStream>;
  /** Makes the SIP user agent (JsSIP's UA); the unit tests pass a fake one. */
  userAgent?: (configuration: UAConfiguration) => UA;
}

const MESSAGES: Record<SoftphoneProblem, string> = {
  microphone_missing:
    'No microphone found: plug in a headset, then press Reconnect. Meanwhile dial from the phone number link.',
  microphone_refused:
    'The browser refused the microphone: allow it for this site (the icon in the address bar), then press Reconnect. Meanwhile dial from the phone number link.',
  refused:
    'The phone server refused your sign-in: press Reconnect; if it happens again, ask your administrator to check the phone server secret. Meanwhile dial from the phone number link.',
  network:
    'The phone server cannot be reached: check your network; the softphone keeps trying. Meanwhile dial from the phone number link.',
  credentials:
    'Engage could not issue your phone credentials: press Reconnect; if it happens again, sign out and in. Meanwhile dial from the phone number link.',
};

/** A problem the agent can act on, with the words the screen shows. */
export function softphoneProblem(problem: SoftphoneProblem): Registration {
  return { state: 'failed', problem, message: MESSAGES[problem] };
}

function microphoneProblem(err: unknown): SoftphoneProblem {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  return name === 'NotAllowedError' || name === 'SecurityError' ? 'microphone_refused' : 'microphone_missing';
}

/**
 * The softphone (JsSIP over WebSocket): registers the agent with the credentials Engage issues,
 * places the call Start Call opened, and reports what the signalling said so the call record
 * gains it. Framework-free: the screen reads `snapshot()` through `subscribe` (useSyncExternalStore).
 * Credentials live in this object only, never in the browser's storage.
 */
export class Softphone {
  private ua: UA | null = null;
  private mic: MediaStream | null = null;
  private session: RTCSession | null = null;
  private record: CallRecord | null = null;
  private incoming: { session: RTCSession; inboundCallId: number } | null = null;
  private sipDomain = '';
  private iceServers: RTCIceServer[] = [];
  private readonly audio: HTMLAudioElement | null = typeof Audio === 'undefined' ? null : new Audio();
  private state: SoftphoneSnapshot = { registration: { state: 'off' }, line: { state: 'idle' }, incoming: null };
  private readonly listeners = new Set<() => void>();
  /** Each start() and stop() moves it on: a start overtaken while it awaited stops what it got. */
  private generation = 0;

  constructor(private readonly deps: SoftphoneDeps) {
    if (this.audio) this.audio.autoplay = true;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): SoftphoneSnapshot => this.state;

  private set(next: Partial<SoftphoneSnapshot>) {
    this.state = { ...this.state, ...next };
    for (const l of this.listeners) l();
  }

  /** Connects and registers (again, after a problem). */
  async start(): Promise<void> {
    this.stop();
    const generation = this.generation;
    const current = () => this.generation === generation;
    this.set({ registration: { state: 'connecting' } });
    let mic: MediaStream;
    try {
      const getMic = this.deps.microphone ?? (() => navigator.mediaDevices.getUserMedia({ audio: true, video: false }));
      mic = await getMic();
    } catch (err) {
      if (current()) this.set({ registration: softphoneProblem(microphoneProblem(err)) });
      return;
    }
    // Stopped (page left, shift closed) or started again while the browser asked for the microphone.
    if (!current()) {
      for (const t of mic.getTracks()) t.stop();
      return;
    }
    this.mic = mic;
    let creds: SoftphoneCredentials;
    try {
      creds = await this.deps.credentials();
    } catch {
      if (current()) this.set({ registration: softphoneProblem('credentials') });
      return;
    }
    if (!current()) return; // stop() has released the microphone
    this.sipDomain = creds.sipUri.slice(creds.sipUri.indexOf('@') + 1);
    this.iceServers = creds.iceServers;
    const ua = (this.deps.userAgent ?? ((c) => new UA(c)))({
      sockets: [new WebSocketInterface(creds.wsUrl)],
      uri: creds.sipUri,
      authorization_user: creds.authorizationUser,
      password: creds.password,
      register: true,
      register_expires: 300,
      // SIPp and many carriers do not answer UPDATE session refreshes.
      session_timers: false,
      no_answer_timeout: 130,
    });
    ua.on('registered', () => {
      if (this.ua === ua) this.set({ registration: { state: 'registered' } });
    });
    ua.on('registrationFailed', (e: { cause?: string }) => {
      if (this.ua !== ua) return;
      this.set({
        registration: softphoneProblem(
          e.cause === 'Connection Error' || e.cause === 'Request Timeout' ? 'network' : 'refused',
        ),
      });
    });
    ua.on('disconnected', () => {
      if (this.ua === ua) this.set({ registration: softphoneProblem('network') });
    });
    ua.on('connected', () => {
      if (this.state.registration.state === 'failed') this.set({ registration: { state: 'connecting' } });
    });
    // A listener replaces JsSIP's own re-REGISTER: new credentials first, the old ones may lapse.
    ua.on('registrationExpiring', () => {
      void this.deps
        .credentials()
        .then((c) => {
          ua.set('authorization_user', c.authorizationUser);
          ua.set('password', c.password);
          ua.register();
        })
        .catch(() => this.set({ registration: softphoneProblem('credentials') }));
    });
    ua.on(
      'newRTCSession',
      (e: { originator: string; session: RTCSession; request: { getHeader(name: string): string | undefined } }) => {
        if (e.originator === 'remote') this.ring(e.session, e.request.getHeader(INBOUND_CALL_HEADER));
      },
    );
    this.ua = ua;
    ua.start();
  }

  /** Hangs up and unregisters (sign-out, shift closed, page left). */
  stop(): void {
    this.generation += 1;
    this.hangup();
    this.declineIncoming();
    const ua = this.ua;
    this.ua = null;
    if (ua) {
      ua.unregister({ all: false });
      ua.stop();
    }
    for (const t of this.mic?.getTracks() ?? []) t.stop();
    this.mic = null;
    this.set({ registration: { state: 'off' }, line: { state: 'idle' }, incoming: null });
  }

  registered(): boolean {
    return this.ua !== null && this.state.registration.state === 'registered';
  }

  /** Places the call Start Call opened to the donor's E.164 number; false when the softphone cannot. */
  dial(callId: number, e164: string): boolean {
    if (!this.ua || !this.mic || !this.registered() || this.lineOpen() || this.incoming) return false;
    const session = this.ua.call(`sip:${e164}@${this.sipDomain}`, {
      mediaStream: this.mic,
      mediaConstraints: { audio: true, video: false },
      pcConfig: this.pcConfig(),
      rtcOfferConstraints: { offerToReceiveAudio: true, offerToReceiveVideo: false },
      extraHeaders: [`X-Engage-Call-Id: ${callId}`],
    });
    this.follow(session, { callId, queued: [] }, 'dialling');
    return true;
  }

  // rtpengine drops a=group:BUNDLE in its answer: Chrome refuses max-bundle then.
  private pcConfig(): RTCConfiguration {
    return { iceServers: this.iceServers, rtcpMuxPolicy: 'require', bundlePolicy: 'balanced' };
  }

  private report(record: CallRecord, signal: CallSignalBody): void {
    if (record.callId === null) record.queued.push(signal);
    else this.deps.report(record.callId, signal);
  }

  /** The line follows the session (placed, or answered): its audio, its states, its reports. */
  private follow(session: RTCSession, record: CallRecord, first: 'dialling' | 'ringing'): void {
    this.session = session;
    this.record = record;
    const callId = () => record.callId;
    let answered = false;
    this.set({ line: { state: first, callId: callId() } });
    const play = (pc: RTCPeerConnection) =>
      pc.addEventListener('track', (t) => {
        if (this.audio && t.streams[0]) this.audio.srcObject = t.streams[0];
      });
    // An answered call's peer connection exists already (answer() creates it before 'accepted').
    if (session.connection) play(session.connection);
    else session.on('peerconnection', (e: { peerconnection: RTCPeerConnection }) => play(e.peerconnection));
    session.on('sending', () => this.report(record, { type: 'dialled' }));
    session.on('progress', () => {
      if (!answered) this.set({ line: { state: 'ringing', callId: callId() } });
    });
    session.on('accepted', () => {
      answered = true;
      this.report(record, { type: 'answered' });
      this.set({ line: { state: 'connected', callId: callId(), since: Date.now(), muted: false, held: false } });
    });
    const end = (e: EndEvent) => {
      // JsSIP's Originator is a declare-only enum of these strings.
      const originator = e.originator as string as 'local' | 'remote' | 'system';
      const statusCode =
        originator === 'remote' && e.message && 'status_code' in e.message ? e.message.status_code : undefined;
      this.report(record, { type: 'ended', statusCode, originator, cause: e.cause });
      const { side, cause } = classifyHangup({ answered, statusCode, originator, cause: e.cause });
      if (this.session === session) this.session = null;
      // Mute and hold switch the shared microphone's tracks off: the next call starts with them on.
      for (const t of this.mic?.getAudioTracks() ?? []) t.enabled = true;
      this.set({ line: { state: 'ended', callId: callId(), side, cause, statusCode: statusCode ?? null } });
    };
    session.on('failed', end);
    session.on('ended', end);
  }

  /**
   * A call to the agent (Kamailio rings them for an inbound call Engage chose them for): kept as
   * the incoming one when it names Engage's inbound call and the agent is free, else 486.
   */
  private ring(session: RTCSession, header: string | undefined): void {
    const inboundCallId = Number(header);
    if (!header || !Number.isInteger(inboundCallId) || inboundCallId <= 0 || this.lineOpen() || this.incoming) {
      session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
      return;
    }
    this.incoming = { session, inboundCallId };
    this.set({ incoming: { inboundCallId } });
    // The caller hung up, or the ring time ran out (Kamailio's CANCEL): the pop-up goes with the shift.
    session.on('failed', () => {
      if (this.incoming?.session !== session) return;
      this.incoming = null;
      this.set({ incoming: null });
    });
  }

  /**
   * Answer on the pop-up: picks up the softphone's ringing session for this inbound call (Engage
   * learns it from the SIP server and opens the call); false when the softphone has no such call.
   */
  answerIncoming(inboundCallId: number): boolean {
    const ringing = this.incoming;
    if (!ringing || ringing.inboundCallId !== inboundCallId || !this.mic || ringing.session.isEnded()) return false;
    this.incoming = null;
    this.set({ incoming: null });
    this.follow(ringing.session, { callId: null, queued: [] }, 'ringing');
    ringing.session.answer({
      mediaStream: this.mic,
      mediaConstraints: { audio: true, video: false },
      pcConfig: this.pcConfig(),
    });
    return true;
  }

  /** Decline on the pop-up: 603 Decline, which Engage hears as declined (it rings the next agent). */
  declineIncoming(inboundCallId?: number): boolean {
    const ringing = this.incoming;
    if (!ringing || (inboundCallId !== undefined && ringing.inboundCallId !== inboundCallId)) return false;
    this.incoming = null;
    this.set({ incoming: null });
    if (!ringing.session.isEnded()) ringing.session.terminate({ status_code: 603, reason_phrase: 'Decline' });
    return true;
  }

  /** The answered inbound call's record (the shift shows it): the line and its reports name it. */
  bindInboundCall(callId: number): void {
    const record = this.record;
    if (!record || record.callId !== null) return;
    record.callId = callId;
    for (const signal of record.queued.splice(0)) this.deps.report(callId, signal);
    const line = this.state.line;
    if (line.state !== 'idle' && line.callId === null) this.set({ line: { ...line, callId } });
  }

  lineOpen(): boolean {
    return this.session !== null && !this.session.isEnded();
  }

  /** Hangs up the open line (End Call does, when the donor has not). */
  hangup(): void {
    if (this.session && !this.session.isEnded()) this.session.terminate();
  }

  mute(on: boolean): void {
    const s = this.session;
    const line = this.state.line;
    if (!s || line.state !== 'connected') return;
    if (on) s.mute({ audio: true });
    else s.unmute({ audio: true });
    this.set({ line: { ...line, muted: on } });
  }

  hold(on: boolean): void {
    const s = this.session;
    const line = this.state.line;
    if (!s || line.state !== 'connected') return;
    // The line as it is when the re-INVITE is answered (a mute pressed meanwhile stays).
    const done = () => {
      const now = this.state.line;
      if (this.session === s && now.state === 'connected') this.set({ line: { ...now, held: on } });
    };
    if (on) s.hold({}, done);
    else s.unhold({}, done);
  }

  /** Keypad tones (a payment line's menu), as RTP telephone-events carriers understand. */
  dtmf(tones: string): void {
    if (this.session && this.state.line.state === 'connected') {
      this.session.sendDTMF(tones, {
        transportType: 'RFC2833' as DTMF_TRANSPORT,
        duration: 100,
        interToneGap: 70,
      });
    }
  }

  /** Forgets an ended line once its call is closed (End Call), so the next call starts clean. */
  clearEnded(callId: number): void {
    const line = this.state.line;
    if (line.state !== 'idle' && line.callId === callId && !this.lineOpen()) this.set({ line: { state: 'idle' } });
  }
}
