import type { PgClient } from '../../lib/tx';
import { CALLING_WINDOW_AT } from './calling-window.sql';
import type { CallbackWindow } from './dialer.rules';

/**
 * What the calling-hours rule (sql/calling-window.sql) says of calling a donor in a campaign at an
 * instant; null when the donor or the campaign does not exist. Used to check a call-back time.
 */
export async function readCallbackWindow(
  c: PgClient,
  campaignId: number,
  donorId: number,
  at: Date,
): Promise<CallbackWindow | null> {
  const r = await c.query<{
    allowed: boolean;
    time_zone: string;
    local_time: string;
    local_day: string;
    opens: string | null;
    closes: string | null;
  }>(CALLING_WINDOW_AT, [campaignId, donorId, at]);
  const row = r.rows[0];
  if (!row) return null;
  return {
    allowed: row.allowed,
    timeZone: row.time_zone,
    localTime: row.local_time,
    localDay: row.local_day,
    opens: row.opens,
    closes: row.closes,
  };
}
