import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { callLineColumns, calls } from '../../db/schema';
import type { LineState } from './telephony.rules';

/** A call's signalling as recorded, with what the rules need; locked for the signal being written. */
export async function lockAgentCallLine(tx: DbOrTx, callId: number, agentId: number) {
  const [row] = await tx
    .select({
      id: calls.id,
      direction: calls.direction,
      endedAt: calls.endedAt,
      ...callLineColumns,
    })
    .from(calls)
    .where(and(eq(calls.id, callId), eq(calls.agentId, agentId)))
    .for('update');
  return row ?? null;
}
export type CallLineRow = NonNullable<Awaited<ReturnType<typeof lockAgentCallLine>>>;

export async function writeCallLine(tx: DbOrTx, callId: number, v: LineState) {
  const { dialledAt, answeredAt, hungUpAt, hangupSide, hangupCause, sipStatus } = v;
  await tx
    .update(calls)
    .set({ dialledAt, answeredAt, hungUpAt, hangupSide, hangupCause, sipStatus })
    .where(eq(calls.id, callId));
}
