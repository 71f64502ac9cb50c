import { sql } from 'drizzle-orm';
import { donors } from '../../db/schema';

// The calling-hours rule itself (engage_may_call_at and friends) is written in
// sql/calling-window.sql, installed with the dialer's routines (dialer.routines.ts).

/**
 * A call-back time being booked, for one donor in one campaign: whether the rule allows it, and
 * that local day's window for the refusal's words (the columns of a CallbackWindow).
 */
export const CALLING_WINDOW_AT = (campaignId: number, donorId: number, at: Date) => sql`
SELECT engage_may_call_at(l.local, d.country, r.rules) AS allowed,
       d.time_zone AS "timeZone", to_char(l.local, 'HH24:MI') AS "localTime",
       to_char(l.local, 'FMDay DD Mon') AS "localDay",
       to_char(engage_day_opens(l.local::date, d.country, r.rules), 'HH24:MI') AS opens,
       CASE WHEN engage_day_closes(l.local::date, d.country, r.rules) = '24:00' THEN '24:00'
            ELSE to_char(engage_day_closes(l.local::date, d.country, r.rules), 'HH24:MI') END AS closes
  FROM ${donors} d
 CROSS JOIN LATERAL (SELECT ${at}::timestamptz AT TIME ZONE d.time_zone AS local) l
 CROSS JOIN LATERAL (SELECT engage_calling_rules(${campaignId}::int) AS rules) r
 WHERE d.id = ${donorId}`;
