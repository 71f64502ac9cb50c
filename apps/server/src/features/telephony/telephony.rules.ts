import {
  classifyHangup,
  type CallLine,
  type CallSignalBody,
  type HangupCause,
  type HangupSide,
} from '@engage/contracts';

/** A call's signalling as stored (calls.dialled_at ... sip_status). */
export interface LineState {
  dialledAt: Date | null;
  answeredAt: Date | null;
  hungUpAt: Date | null;
  hangupSide: HangupSide | null;
  hangupCause: HangupCause | null;
  sipStatus: number | null;
}

/**
 * What one signal does to a call's line, stamped `at` (the server's clock, but never later than
 * the call's End Call: a hang-up reported after it counts from then, so talk time cannot be
 * stretched by reporting late). Each fact is written once, in order: dialled, answered, ended;
 * a signal that comes again, out of order or after the line closed changes nothing (null), so
 * the softphone may retry freely. An inbound call is never dialled; its answer is the agent's.
 */
export function applySignal(
  line: LineState,
  signal: CallSignalBody,
  direction: 'outbound' | 'inbound',
  at: Date,
): LineState | null {
  if (line.hungUpAt !== null) return null;
  switch (signal.type) {
    case 'dialled':
      if (direction === 'inbound' || line.dialledAt !== null) return null;
      return { ...line, dialledAt: at };
    case 'answered':
      if (line.answeredAt !== null) return null;
      return { ...line, dialledAt: direction === 'outbound' ? (line.dialledAt ?? at) : null, answeredAt: at };
    case 'ended': {
      const { side, cause } = classifyHangup({
        answered: line.answeredAt !== null,
        statusCode: signal.statusCode,
        originator: signal.originator,
        cause: signal.cause,
      });
      return { ...line, hungUpAt: at, hangupSide: side, hangupCause: cause, sipStatus: signal.statusCode ?? null };
    }
  }
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The line as the API shows it: talk time from the answer to the hang-up, or to End Call when the hang-up was not seen. */
export function callLineView(line: LineState, endedAt: Date | null): CallLine {
  const until = line.hungUpAt ?? endedAt;
  return {
    dialledAt: iso(line.dialledAt),
    answeredAt: iso(line.answeredAt),
    hungUpAt: iso(line.hungUpAt),
    talkSeconds:
      line.answeredAt && until ? Math.max(0, Math.round((until.getTime() - line.answeredAt.getTime()) / 1000)) : null,
    hangupSide: line.hangupSide,
    hangupCause: line.hangupCause,
    sipStatus: line.sipStatus,
  };
}

/**
 * The line a call record shows (Calls, My calls): null when no softphone signalled anything (a
 * call placed from the tel: link, or with TELEPHONY=none), else callLineView.
 */
export function recordedCallLine(line: LineState, endedAt: Date | null): CallLine | null {
  if (line.dialledAt === null && line.answeredAt === null && line.hungUpAt === null) return null;
  return callLineView(line, endedAt);
}
