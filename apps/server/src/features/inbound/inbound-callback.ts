import { DateTime } from 'luxon';
import type { Tx } from '../../db/client';
import { AppError } from '../../lib/errors';
import type { AppointmentsService } from '../appointments/appointments.service';
import { matchCaller } from './caller-match';
import * as repo from './inbound-callback.repository';
import { insertEvent } from './inbound.repository';

/**
 * A line's `callback` action (when closed, or when the wait runs out): the caller asks to be
 * called back. In the transaction that gives the call that answer (the offer, or the sweep's
 * overflow, each of which happens once per call, so the same offer again books nothing more):
 *
 * - a withheld or unreadable number cannot be called back: the caller gets voicemail instead;
 * - the request is recorded in the call's history (`callback_requested`), and the Inbound calls
 *   list shows it with the caller's number;
 * - when the number is exactly one donor's, a call-back appointment is made for that donor, in
 *   the line's campaign, for anyone in the teams working it (the line's teams are added to a
 *   "General enquiries" campaign, which is made without teams, and it is made active: worked
 *   without lists, its queue is these call-backs, so Next donor offers each once due), and put in
 *   the campaign's dialer queue (bookRequestedCallback), due when the line next opens (at
 *   once on an open line's overflow), with notes "Call-back requested on <line> at <time> from
 *   <number>". A donor who already has a scheduled call-back in that campaign keeps it. With
 *   several donors or none, no appointment: a manager sees the request on the call and links or
 *   creates the donor when calling back.
 */
export function createInboundCallbacks(deps: { appointments: Pick<AppointmentsService, 'bookRequestedCallback'> }) {
  const { appointments } = deps;

  /** Answers what the caller is told: `callback`, or `voicemail` when they cannot be called back. */
  async function request(tx: Tx, callId: number, at: Date): Promise<'callback' | 'voicemail'> {
    const c = await repo.callbackContext(tx, callId, at);
    if (!c) throw new AppError('not_found', `Inbound call ${callId} does not exist.`);
    if (c.fromE164 === null) {
      await repo.recordCallback(tx, callId, { appointmentId: null, then: 'voicemail', at });
      return 'voicemail';
    }
    const match = await matchCaller(tx, c.fromE164, { limit: 1 });
    let appointmentId: number | null = null;
    if (match.donors.length === 1 && !match.more) {
      await repo.addLineTeamsToInboundCampaign(tx, c.lineId, c.campaignId, at);
      const local = DateTime.fromJSDate(at, { zone: c.timeZone }).toFormat('yyyy-MM-dd HH:mm');
      const booked = await appointments.bookRequestedCallback(tx, {
        donorId: match.donors[0]!.id,
        campaignId: c.campaignId,
        scheduledAt: c.nextOpeningMs === null ? at : new Date(c.nextOpeningMs),
        notes: `Call-back requested on ${c.lineName} at ${local} (${c.timeZone}) from ${c.fromE164}`,
        now: at,
      });
      appointmentId = booked.appointmentId;
    }
    await repo.recordCallback(tx, callId, { appointmentId, then: 'callback', at });
    await insertEvent(tx, { inboundCallId: callId, type: 'callback_requested', at });
    return 'callback';
  }

  return { request };
}

export type InboundCallbacks = ReturnType<typeof createInboundCallbacks>;
