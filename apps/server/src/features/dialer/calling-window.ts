import type { DbOrTx } from '../../db/client';
import { CALLING_WINDOW_AT } from './calling-window.sql';
import type { CallbackWindow } from './dialer.rules';

/**
 * What the calling-hours rule (sql/calling-window.sql) says of calling a donor in a campaign at an
 * instant; null when the donor or the campaign does not exist. Used to check a call-back time.
 */
export async function readCallbackWindow(
  tx: DbOrTx,
  campaignId: number,
  donorId: number,
  at: Date,
): Promise<CallbackWindow | null> {
  const r = await tx.execute<Pick<CallbackWindow, keyof CallbackWindow>>(CALLING_WINDOW_AT(campaignId, donorId, at));
  return r.rows[0] ?? null;
}
