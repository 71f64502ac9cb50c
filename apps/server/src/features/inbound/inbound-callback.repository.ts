import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { inboundCalls, inboundLines } from '../../db/schema';

/**
 * What a call-back request needs to know of the call and its line, and when the line next opens
 * at or after `at`: `engage_next_opening` (features/dialer/sql/calling-window.sql, the one home of
 * opening hours) over the line's hours and closed dates in its zone, with the whole day as legal
 * window, as `inboundLineOpenAt` reads them. `nextOpeningMs` is `at` itself while the line is open
 * (an overflow), null when it opens on no day in the coming year.
 */
export async function callbackContext(db: DbOrTx, callId: number, at: Date) {
  const [row] = await db
    .select({
      callId: inboundCalls.id,
      fromE164: inboundCalls.fromE164,
      lineId: inboundLines.id,
      lineName: inboundLines.name,
      lineNumber: inboundLines.number,
      timeZone: inboundLines.timeZone,
      campaignId: inboundLines.campaignId,
      nextOpeningMs: sql<number | null>`(extract(epoch FROM engage_next_opening(
        ${inboundLines.timeZone}, NULL,
        ROW(
          ARRAY(SELECT (h.d->>'start')::time FROM jsonb_array_elements(${inboundLines.weekdayHours}) WITH ORDINALITY h(d, n) ORDER BY h.n),
          ARRAY(SELECT (h.d->>'end')::time FROM jsonb_array_elements(${inboundLines.weekdayHours}) WITH ORDINALITY h(d, n) ORDER BY h.n),
          ${inboundLines.closedDates},
          '00:00'::time, '24:00'::time, 0,
          '{}'::text[], '{}'::time[], '{}'::time[], '{}'::int[]
        )::engage_calling_rules,
        ${at.toISOString()}::timestamptz)) * 1000)::float8`.mapWith(Number),
    })
    .from(inboundCalls)
    .innerJoin(inboundLines, eq(inboundLines.id, inboundCalls.lineId))
    .where(eq(inboundCalls.id, callId));
  return row ?? null;
}

/**
 * "Anyone in the team" of a line's call-back is anyone in a team working its campaign. The
 * "General enquiries" kind of campaign (purpose inbound_line, worked without lists: its donors are
 * these call-backs, engage_campaign_needs_lists) is made without teams, so the line's teams are
 * added to it, and one still a draft (made so before call-backs were offered) is made active: its
 * agents go Ready on it and Next donor offers the call-backs once due. A paused or finished one
 * stays so (a manager's choice). A campaign chosen for the line keeps its own teams and status.
 */
export async function addLineTeamsToInboundCampaign(
  db: DbOrTx,
  lineId: number,
  campaignId: number,
  at: Date,
): Promise<void> {
  await db.execute(sql`
    INSERT INTO campaign_teams (campaign_id, team_id)
    SELECT c.id, lt.team_id
      FROM inbound_line_teams lt
      JOIN campaigns c ON c.id = ${campaignId} AND c.purpose = 'inbound_line'
     WHERE lt.line_id = ${lineId}
    ON CONFLICT DO NOTHING`);
  await db.execute(sql`
    UPDATE campaigns SET status = 'active', updated_at = ${at}::timestamptz
     WHERE id = ${campaignId} AND purpose = 'inbound_line' AND status = 'draft'
       AND EXISTS (SELECT 1 FROM campaign_teams ct WHERE ct.campaign_id = campaigns.id)`);
}

/** Records the request's appointment, or (withheld number) that the caller was sent to voicemail instead. */
export async function recordCallback(
  db: DbOrTx,
  callId: number,
  v: { appointmentId: number | null; then: 'callback' | 'voicemail'; at: Date },
): Promise<void> {
  await db
    .update(inboundCalls)
    .set({
      callbackAppointmentId: v.appointmentId,
      offerAnswer: sql`jsonb_set(${inboundCalls.offerAnswer}, '{then}', to_jsonb(${v.then}::text))`,
      updatedAt: v.at,
    })
    .where(eq(inboundCalls.id, callId));
}
