import type { ErrorCode, InboundCallEventBody, InboundCallStatus } from '@engage/contracts';

/** What one phone-system event does to a call. */
export type CallStep =
  | {
      kind: 'apply';
      /** The agent the history names. */
      agentId: number | null;
      changes: { status?: InboundCallStatus; ringingAgentId?: number | null; answeredBy?: number };
      /** The moment this event marks on the call. */
      stamp?: 'abandoned' | 'ended';
    }
  /** Already so: the same event again, or one the call has passed. Nothing is written. */
  | { kind: 'same' }
  /** Cannot happen to this call; nothing is written. */
  | { kind: 'refuse'; code: ErrorCode; message: string };

const same: CallStep = { kind: 'same' };

function refuse(message: string): CallStep {
  return { kind: 'refuse', code: 'conflict', message };
}

const statusWords: Record<InboundCallStatus, string> = {
  queued: 'waiting in the queue',
  ringing: 'ringing an agent',
  answered: 'answered',
  abandoned: 'abandoned (the caller hung up)',
  ended: 'ended',
  closed: 'closed (the line was closed)',
  overflow: 'overflowed (the wait ran out)',
};

/**
 * The call's state machine, one event at a time. Every event is idempotent: sent twice, the
 * second finds the call already where the first left it and changes nothing. A caller who hung
 * up is never rung again. `passedOver`: the agents this call already has a no_answer, declined or left
 * for; a `ringing` for one of them is a late or repeated message (the call has moved on), so it
 * records nothing rather than taking the call back from the agent rung since.
 */
export function nextCallState(
  call: { status: InboundCallStatus; ringingAgentId: number | null; answeredBy: number | null; endedAt: Date | null },
  event: Pick<InboundCallEventBody, 'type' | 'agentId'>,
  passedOver: readonly number[] = [],
): CallStep {
  const { status } = call;
  const waiting = status === 'queued' || status === 'ringing';
  const agentId = event.agentId ?? null;
  switch (event.type) {
    case 'ringing':
      if (agentId === null) return refuse('A ringing event names the agent rung: send agentId.');
      if (status === 'ringing' && call.ringingAgentId === agentId) return same;
      if (passedOver.includes(agentId)) return same;
      if (waiting) return { kind: 'apply', agentId, changes: { status: 'ringing', ringingAgentId: agentId } };
      return refuse(`This call is ${statusWords[status]}: it is not rung again. Stop ringing agents for it.`);
    case 'no_answer':
    case 'declined': {
      const who = agentId ?? call.ringingAgentId;
      if (status !== 'ringing' || who === null || who !== call.ringingAgentId) return same;
      return { kind: 'apply', agentId: who, changes: { status: 'queued', ringingAgentId: null } };
    }
    case 'answered':
      if (agentId === null) return refuse('An answered event names the agent who answered: send agentId.');
      if (status === 'answered' || status === 'ended') {
        return call.answeredBy === agentId
          ? same
          : refuse(`This call was already answered by another agent (${call.answeredBy ?? 'none'}).`);
      }
      if (waiting) {
        return { kind: 'apply', agentId, changes: { status: 'answered', ringingAgentId: null, answeredBy: agentId } };
      }
      return refuse(`This call is ${statusWords[status]}: it cannot be answered now.`);
    case 'abandoned':
      if (waiting)
        return {
          kind: 'apply',
          agentId: null,
          changes: { status: 'abandoned', ringingAgentId: null },
          stamp: 'abandoned',
        };
      if (status === 'answered') {
        return refuse('This call was answered: when the caller hangs up, send ended, not abandoned.');
      }
      return same;
    case 'ended':
      if (status === 'ended' || status === 'abandoned' || call.endedAt !== null) return same;
      if (status === 'closed' || status === 'overflow')
        return { kind: 'apply', agentId: null, changes: {}, stamp: 'ended' };
      return {
        kind: 'apply',
        agentId: status === 'answered' ? call.answeredBy : null,
        changes: { status: 'ended', ringingAgentId: null },
        stamp: 'ended',
      };
  }
}
