import { describe, expect, it } from 'vitest';
import type { InboundCallStatus } from '@engage/contracts';
import { nextCallState } from './inbound.rules';

const call = (status: InboundCallStatus, over: Partial<Parameters<typeof nextCallState>[0]> = {}) => ({
  status,
  ringingAgentId: status === 'ringing' ? 7 : null,
  answeredBy: status === 'answered' || status === 'ended' ? 7 : null,
  endedAt: status === 'ended' ? new Date() : null,
  ...over,
});

describe("an inbound call's state machine", () => {
  it.each([
    // [status, event, agentId, expected kind, new status]
    ['queued', 'ringing', 7, 'apply', 'ringing'],
    ['ringing', 'ringing', 7, 'same', undefined],
    ['ringing', 'ringing', 8, 'apply', 'ringing'],
    ['abandoned', 'ringing', 7, 'refuse', undefined],
    ['closed', 'ringing', 7, 'refuse', undefined],
    ['ringing', 'no_answer', 7, 'apply', 'queued'],
    ['ringing', 'no_answer', undefined, 'apply', 'queued'],
    ['ringing', 'no_answer', 8, 'same', undefined],
    ['queued', 'declined', 7, 'same', undefined],
    ['ringing', 'answered', 7, 'apply', 'answered'],
    ['queued', 'answered', 9, 'apply', 'answered'],
    ['answered', 'answered', 7, 'same', undefined],
    ['answered', 'answered', 8, 'refuse', undefined],
    ['abandoned', 'answered', 7, 'refuse', undefined],
    ['queued', 'abandoned', undefined, 'apply', 'abandoned'],
    ['ringing', 'abandoned', undefined, 'apply', 'abandoned'],
    ['abandoned', 'abandoned', undefined, 'same', undefined],
    ['answered', 'abandoned', undefined, 'refuse', undefined],
    ['answered', 'ended', undefined, 'apply', 'ended'],
    ['ended', 'ended', undefined, 'same', undefined],
    ['abandoned', 'ended', undefined, 'same', undefined],
    ['closed', 'ended', undefined, 'apply', undefined],
  ] as const)('%s + %s (agent %s): %s', (status, type, agentId, kind, newStatus) => {
    const step = nextCallState(call(status), { type, agentId });
    expect(step.kind).toBe(kind);
    if (step.kind === 'apply') expect(step.changes.status).toBe(newStatus);
  });

  it('a closed call ended once is not ended again', () => {
    expect(nextCallState(call('closed', { endedAt: new Date() }), { type: 'ended' }).kind).toBe('same');
  });

  it('a ringing for an agent who already let this call ring out or declined it records nothing (late or repeated)', () => {
    // Agent 7 timed out, agent 8 is rung now: ringing(7) again must not take the call back.
    expect(nextCallState(call('ringing', { ringingAgentId: 8 }), { type: 'ringing', agentId: 7 }, [7]).kind).toBe(
      'same',
    );
    expect(nextCallState(call('queued'), { type: 'ringing', agentId: 7 }, [7]).kind).toBe('same');
    // Another agent the phone system rings itself is still recorded.
    expect(nextCallState(call('ringing', { ringingAgentId: 8 }), { type: 'ringing', agentId: 9 }, [7]).kind).toBe(
      'apply',
    );
  });

  it('ringing and answered must name the agent', () => {
    expect(nextCallState(call('queued'), { type: 'ringing' })).toMatchObject({ kind: 'refuse', message: /agentId/ });
    expect(nextCallState(call('queued'), { type: 'answered' })).toMatchObject({ kind: 'refuse', message: /agentId/ });
  });
});
