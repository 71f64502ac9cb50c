import { and, eq } from 'drizzle-orm';
import type { HangupCause, HangupSide } from '@engage/contracts';
import type { DbOrTx } from '../../db/client';
import { calls } from '../../db/schema';

/** A call's signalling as recorded, with what the rules need; locked for the signal being written. */
export async function lockAgentCallLine(tx: DbOrTx, callId: number, agentId: number) {
  const [row] = await tx
    .select({
      id: calls.id,
      direction: calls.direction,
      endedAt: calls.endedAt,
      dialledAt: calls.dialledAt,
      answeredAt: calls.answeredAt,
      hungUpAt: calls.hungUpAt,
      hangupSide: calls.hangupSide,
      hangupCause: calls.hangupCause,
      sipStatus: calls.sipStatus,
    })
    .from(calls)
    .where(and(eq(calls.id, callId), eq(calls.agentId, agentId)))
    .for('update');
  return row ?? null;
}
export type CallLineRow = NonNullable<Awaited<ReturnType<typeof lockAgentCallLine>>>;

export async function writeCallLine(
  tx: DbOrTx,
  callId: number,
  v: {
    dialledAt: Date | null;
    answeredAt: Date | null;
    hungUpAt: Date | null;
    hangupSide: HangupSide | null;
    hangupCause: HangupCause | null;
    sipStatus: number | null;
  },
) {
  const { dialledAt, answeredAt, hungUpAt, hangupSide, hangupCause, sipStatus } = v;
  await tx
    .update(calls)
    .set({ dialledAt, answeredAt, hungUpAt, hangupSide, hangupCause, sipStatus })
    .where(eq(calls.id, callId));
}
