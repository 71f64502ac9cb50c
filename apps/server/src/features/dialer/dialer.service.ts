import { DateTime } from 'luxon';
import type pg from 'pg';
import type {
  Appointment,
  Call,
  CallScope,
  EndCallBody,
  MyCampaign,
  NextDonorResponse,
  Offer,
  OutOfDataReasons,
  Shift,
} from '@engage/contracts';
import { AppError } from '../../lib/errors';
import { idempotent } from '../../lib/idempotency';
import { withClient, withTransaction, type PgClient } from '../../lib/tx';
import * as repo from './dialer.repository';
import * as views from './dialer-views.repository';
import {
  callingHours,
  campaignInDates,
  checkCallbackTime,
  displayName,
  outOfDataMessage,
  utcDate,
  whyCalled,
} from './dialer.rules';

export interface Actor {
  id: number;
  name: string;
}

export type DialerService = ReturnType<typeof createDialerService>;

export interface CampaignProgress extends OutOfDataReasons {
  callableNow: number;
  /** true when an agent asking now would get Out of Data */
  outOfData: boolean;
  nextAvailableAt: string | null;
}

/** How many times a claim moves past a donor held on another campaign before giving up. */
const MAX_CLAIM_TRIES = 5;

const iso = (d: Date) => d.toISOString();

function toCall(r: views.CallViewRow): Call {
  return {
    id: r.id,
    direction: r.direction,
    donorId: r.donor_id,
    donorName: r.donor_name,
    donorReference: r.donor_reference,
    campaignId: r.campaign_id,
    campaignName: r.campaign_name,
    teamId: r.team_id,
    phoneDialled: r.phone_dialled,
    offeredAt: r.offered_at ? iso(r.offered_at) : null,
    startedAt: iso(r.started_at),
    endedAt: r.ended_at ? iso(r.ended_at) : null,
    durationSeconds: r.ended_at ? Math.round((r.ended_at.getTime() - r.started_at.getTime()) / 1000) : null,
    endReason:
      r.end_reason_id !== null && r.end_reason_name !== null && r.end_reason_outcome !== null
        ? { id: r.end_reason_id, name: r.end_reason_name, outcome: r.end_reason_outcome }
        : null,
    notes: r.notes,
    appointmentId: r.appointment_id,
  };
}

function toOffer(r: views.OfferViewRow): Offer {
  return {
    id: r.id,
    expiresAt: iso(r.expires_at),
    donor: {
      id: r.donor_id,
      name: displayName(r.first_name, r.last_name),
      reference: r.reference,
      phone: r.phone ?? '',
      timeZone: r.time_zone,
    },
    campaign: { id: r.campaign_id, name: r.campaign_name, purpose: r.purpose, script: r.script },
    why: whyCalled(r),
    attempts: r.attempts ?? 0,
    maxAttempts: r.max_attempts,
    lastContact: r.last_at ? { at: iso(r.last_at), endReason: r.last_reason, agentName: r.last_agent } : null,
    appointment:
      r.appointment_id !== null && r.appt_at
        ? {
            id: r.appointment_id,
            scheduledAt: iso(r.appt_at),
            notes: r.appt_notes ?? '',
            personal: r.appt_owner !== null,
          }
        : null,
  };
}

function toAppointment(r: views.AppointmentViewRow): Appointment {
  return {
    id: r.id,
    donorId: r.donor_id,
    donorName: r.donor_name,
    donorReference: r.donor_reference,
    donorTimeZone: r.donor_time_zone,
    campaignId: r.campaign_id,
    campaignName: r.campaign_name,
    scheduledAt: iso(r.scheduled_at),
    ownerAgentId: r.owner_agent_id,
    ownerName: r.owner_name,
    notes: r.notes,
    status: r.status,
    keptCallId: r.kept_call_id,
  };
}

export function createDialerService(deps: { pool: pg.Pool; now?: () => Date; leaseSeconds?: number }) {
  const { pool } = deps;
  const now = deps.now ?? (() => new Date());
  const leaseMs = (deps.leaseSeconds ?? 45) * 1000;

  async function requireShift(c: PgClient, agentId: number): Promise<repo.ShiftRow> {
    const shift = await repo.lockOpenShift(c, agentId);
    if (!shift)
      throw new AppError('no_open_shift', 'You are not signed into a shift. Choose a job role and Sign In first.');
    return shift;
  }

  function refuseBusy(shift: repo.ShiftRow, doing: string): void {
    switch (shift.state) {
      case 'previewing':
        throw new AppError(
          'offer_pending',
          `A donor is waiting on your screen: Start Call or Skip before you ${doing}.`,
        );
      case 'on_call':
        throw new AppError('call_open', `You are on a call: End Call before you ${doing}.`);
      case 'on_break':
        throw new AppError('on_break', `You are on a break: Resume Shift before you ${doing}.`);
      case 'signed_in':
      case 'ready':
      case 'out_of_data':
        return;
    }
  }

  function checkCampaign(camp: repo.CampaignForAgent | null, t: Date): repo.CampaignForAgent {
    if (!camp) throw new AppError('not_found', 'That campaign does not exist. Choose one from the list.');
    if (!camp.agent_in_team) {
      throw new AppError(
        'not_team_member',
        `You are not a member of the team ${camp.team_name ?? ''}. Choose one of your teams.`,
      );
    }
    if (!camp.team_works_campaign) {
      throw new AppError(
        'campaign_not_worked_by_team',
        `The team ${camp.team_name ?? ''} does not work "${camp.name}". Choose a campaign of that team.`,
      );
    }
    if (camp.status !== 'active') {
      throw new AppError(
        'campaign_not_active',
        `"${camp.name}" is ${camp.status}, not active. Choose another campaign.`,
      );
    }
    if (!campaignInDates(camp.starts_on, camp.ends_on, utcDate(t))) {
      throw new AppError(
        'campaign_not_active',
        `"${camp.name}" runs from ${camp.starts_on ?? 'the start'} to ${camp.ends_on ?? 'no end date'}, not today. Choose another campaign.`,
      );
    }
    if (camp.list_count === 0) {
      throw new AppError(
        'campaign_not_active',
        `"${camp.name}" has no donor list connected yet. Choose another campaign or ask your manager.`,
      );
    }
    return camp;
  }

  async function buildShift(c: PgClient, shiftId: number): Promise<Shift> {
    const s = await views.shiftView(c, shiftId);
    if (!s) throw new AppError('no_open_shift', 'You are not signed into a shift.');
    const callRow = s.state === 'on_call' && s.call_id !== null ? await views.callView(c, s.call_id) : null;
    // On a call the offer stays on the shift too: the donor card's script and "why" survive a reload.
    const offerId = s.state === 'previewing' ? s.offer_id : (callRow?.offer_id ?? null);
    const offerRow = offerId !== null ? await views.offerView(c, offerId) : null;
    return {
      id: s.id,
      state: s.state,
      stateSince: iso(s.state_since),
      openedAt: iso(s.opened_at),
      jobRole: { id: s.job_role_id, name: s.job_role_name },
      team: s.team_id !== null && s.team_name !== null ? { id: s.team_id, name: s.team_name } : null,
      campaign:
        s.campaign_id !== null && s.campaign_name !== null ? { id: s.campaign_id, name: s.campaign_name } : null,
      breakReason:
        s.break_reason_id !== null && s.break_reason_name !== null
          ? { id: s.break_reason_id, name: s.break_reason_name }
          : null,
      offer: offerRow ? toOffer(offerRow) : null,
      call: callRow ? toCall(callRow) : null,
    };
  }

  /** Gives back the donor of an offer that was not started (break, sign-out): no attempt counted. */
  async function releaseOffer(c: PgClient, shift: repo.ShiftRow, t: Date): Promise<void> {
    if (shift.offer_id === null) return;
    const offer = await repo.lockOffer(c, shift.offer_id);
    if (offer && offer.status === 'open') {
      await repo.releaseDonor(c, {
        campaignId: offer.campaign_id,
        donorId: offer.donor_id,
        shiftId: shift.id,
        nextAttemptAt: t,
        finishReason: null,
      });
      await repo.resolveOffer(c, { id: offer.id, status: 'released', now: t });
    }
    shift.offer_id = null;
  }

  async function getShift(agent: Actor): Promise<Shift | null> {
    return withTransaction(pool, async (c) => {
      const shift = await repo.lockOpenShift(c, agent.id);
      return shift ? buildShift(c, shift.id) : null;
    });
  }

  async function openShift(agent: Actor, jobRoleId: number): Promise<Shift> {
    return withTransaction(pool, async (c) => {
      const t = now();
      const role = await repo.findJobRole(c, jobRoleId);
      if (!role || role.retired_at) {
        throw new AppError('reason_not_available', 'That job role is not available. Choose one from the list.');
      }
      const shift = await repo.insertShift(c, {
        agentId: agent.id,
        jobRoleId,
        now: t,
        leaseUntil: new Date(t.getTime() + leaseMs),
      });
      if (!shift) {
        const open = await repo.lockOpenShift(c, agent.id);
        throw new AppError(
          'shift_already_open',
          `You are already signed into a shift (since ${open ? iso(open.opened_at).slice(11, 16) : '?'} UTC). Carry on with it, or Sign Out first.`,
        );
      }
      return buildShift(c, shift.id);
    });
  }

  async function setReady(agent: Actor, teamId: number, campaignId: number): Promise<Shift> {
    return withTransaction(pool, async (c) => {
      const t = now();
      const shift = await requireShift(c, agent.id);
      refuseBusy(shift, 'choose a campaign');
      checkCampaign(await repo.campaignForAgent(c, campaignId, teamId, agent.id), t);
      shift.state = 'ready';
      shift.team_id = teamId;
      shift.campaign_id = campaignId;
      shift.lease_expires_at = new Date(t.getTime() + leaseMs);
      await repo.saveShift(c, shift, t);
      return buildShift(c, shift.id);
    });
  }

  async function nextDonor(agent: Actor): Promise<NextDonorResponse> {
    return withTransaction(pool, async (c) => {
      const t = now();
      const shift = await requireShift(c, agent.id);
      refuseBusy(shift, 'ask for the next donor');
      if (shift.campaign_id === null || shift.team_id === null) {
        throw new AppError('not_ready', 'Choose a team and a campaign, then press Ready for Call.');
      }
      const camp = checkCampaign(await repo.campaignForAgent(c, shift.campaign_id, shift.team_id, agent.id), t);
      const hours = callingHours(camp.calling_hours_start, camp.calling_hours_end);
      const holdUntil = new Date(t.getTime() + camp.hold_seconds * 1000);
      shift.lease_expires_at = new Date(t.getTime() + leaseMs);

      for (let i = 0; i < MAX_CLAIM_TRIES; i++) {
        const rows = await repo.claimNextDonor(c, {
          campaignId: camp.id,
          now: t,
          agentId: agent.id,
          ...hours,
          maxAttempts: camp.max_attempts,
          holdUntil,
          shiftId: shift.id,
          graceMinutes: camp.appointment_grace_minutes,
        });
        const row = rows[0];
        if (!row) break;
        if (row.bumped) continue;
        const offer = await repo.insertOffer(c, {
          shift_id: shift.id,
          agent_id: agent.id,
          campaign_id: camp.id,
          team_id: shift.team_id,
          donor_id: row.donor_id,
          appointment_id: row.appointment_id,
          offered_at: t,
          expires_at: holdUntil,
        });
        shift.state = 'previewing';
        shift.offer_id = offer.id;
        await repo.saveShift(c, shift, t);
        const view = await views.offerView(c, offer.id);
        return { status: 'offered', offer: toOffer(view!) };
      }

      const r = await repo.outOfDataReasons(c, {
        campaignId: camp.id,
        now: t,
        ...hours,
        maxAttempts: camp.max_attempts,
      });
      shift.state = 'out_of_data';
      await repo.saveShift(c, shift, t);
      const reasons = {
        total: r.total,
        finished: r.finished,
        maxAttempts: r.max_attempts,
        heldByOthers: r.held_by_others,
        waitingRetry: r.waiting_retry,
        outsideCallingHours: r.outside_hours,
        doNotCall: r.do_not_call,
        noPhone: r.no_phone,
      };
      const candidates = [r.next_retry_at, r.next_opening_at].filter((d): d is Date => d !== null);
      const nextAvailableAt = candidates.length ? new Date(Math.min(...candidates.map((d) => d.getTime()))) : null;
      return {
        status: 'out_of_data',
        campaign: { id: camp.id, name: camp.name },
        reasons,
        nextAvailableAt: nextAvailableAt ? iso(nextAvailableAt) : null,
        message: outOfDataMessage(camp.name, reasons, nextAvailableAt, hours),
      };
    });
  }

  async function lockOwnOffer(c: PgClient, agent: Actor, offerId: number) {
    const shift = await requireShift(c, agent.id);
    const offer = await repo.lockOffer(c, offerId);
    if (!offer) throw new AppError('offer_not_found', 'That offer does not exist. Ask for the next donor.');
    if (offer.agent_id !== agent.id) {
      throw new AppError('forbidden', 'That donor was offered to another agent. Ask for your own next donor.');
    }
    if (offer.status !== 'open' || shift.offer_id !== offer.id) {
      throw new AppError('offer_expired', `That offer is no longer open (${offer.status}). Ask for the next donor.`);
    }
    return { shift, offer };
  }

  async function skipOffer(
    agent: Actor,
    offerId: number,
    skipReasonId: number,
    notes: string | undefined,
  ): Promise<void> {
    await withTransaction(pool, async (c) => {
      const t = now();
      const { shift, offer } = await lockOwnOffer(c, agent, offerId);
      const reason = await repo.findSkipReason(c, skipReasonId);
      if (!reason || reason.retired_at) {
        throw new AppError('reason_not_available', 'That skip reason is not available. Choose one from the list.');
      }
      await repo.releaseDonor(c, {
        campaignId: offer.campaign_id,
        donorId: offer.donor_id,
        shiftId: shift.id,
        nextAttemptAt: reason.outcome === 'requeue' ? t : null,
        finishReason: reason.outcome === 'remove' ? 'removed' : null,
      });
      await repo.resolveOffer(c, {
        id: offer.id,
        status: 'skipped',
        now: t,
        skipReasonId: reason.id,
        notes: notes ?? null,
      });
      shift.state = 'ready';
      shift.offer_id = null;
      shift.lease_expires_at = new Date(t.getTime() + leaseMs);
      await repo.saveShift(c, shift, t);
    });
  }

  async function startCall(agent: Actor, offerId: number): Promise<{ call: Call }> {
    const outcome = await withTransaction(pool, async (c) => {
      const t = now();
      const { shift, offer } = await lockOwnOffer(c, agent, offerId);
      const attempts = await repo.holdForCall(c, {
        campaignId: offer.campaign_id,
        donorId: offer.donor_id,
        shiftId: shift.id,
        now: t,
      });
      if (attempts === null) {
        // The hold ran out and the donor may be with someone else now: record that, then refuse.
        await repo.resolveOffer(c, { id: offer.id, status: 'expired', now: t });
        shift.state = 'ready';
        shift.offer_id = null;
        await repo.saveShift(c, shift, t);
        return { expired: true as const };
      }
      const callId = await repo.insertCall(c, {
        direction: 'outbound',
        agent_id: agent.id,
        shift_id: shift.id,
        donor_id: offer.donor_id,
        campaign_id: offer.campaign_id,
        team_id: offer.team_id,
        offer_id: offer.id,
        appointment_id: offer.appointment_id,
        offered_at: offer.offered_at,
        started_at: t,
      });
      if (offer.appointment_id !== null) await repo.markAppointmentKept(c, offer.appointment_id, callId, t);
      await repo.resolveOffer(c, { id: offer.id, status: 'started', now: t });
      shift.state = 'on_call';
      shift.offer_id = null;
      shift.call_id = callId;
      shift.lease_expires_at = new Date(t.getTime() + leaseMs);
      await repo.saveShift(c, shift, t);
      const view = await views.callView(c, callId);
      return { expired: false as const, call: toCall(view!) };
    });
    if (outcome.expired) {
      throw new AppError(
        'offer_expired',
        'This donor was held for you too long without a call and went back to the queue. Ask for the next donor.',
      );
    }
    return { call: outcome.call };
  }

  async function endCall(
    agent: Actor,
    callId: number,
    body: EndCallBody,
    idempotencyKey: string | undefined,
  ): Promise<Call> {
    return withTransaction(pool, async (c) =>
      idempotent(
        c,
        { userId: agent.id, operation: 'endCall', key: idempotencyKey, request: { callId, body } },
        async () => {
          const t = now();
          // Shift before call: the same lock order as every other use case.
          const shift = await repo.lockOpenShift(c, agent.id);
          const call = await repo.lockCall(c, callId);
          if (!call) throw new AppError('call_not_found', 'That call does not exist.');
          if (call.agent_id !== agent.id)
            throw new AppError('forbidden', 'That call belongs to another agent; only they can end it.');
          if (call.ended_at)
            throw new AppError('call_already_ended', 'This call has already ended. Ask for the next donor.');
          const reason = await repo.findEndReason(c, body.endReasonId);
          if (!reason || reason.retired_at) {
            throw new AppError('reason_not_available', 'That end reason is not available. Choose one from the list.');
          }
          if (reason.outcome !== 'appointment' && body.appointment) {
            throw new AppError(
              'appointment_not_allowed',
              `"${reason.name}" does not book a call-back. Choose a call-back end reason, or leave the booking out.`,
            );
          }

          const queue =
            call.campaign_id !== null && call.shift_id !== null
              ? { campaignId: call.campaign_id, donorId: call.donor_id, shiftId: call.shift_id }
              : null;
          // A call-back booked during this call (Book appointment) keeps the donor for it.
          const booked = queue ? await repo.lockBookedAppointment(c, { ...queue, callId: call.id }) : null;
          if (booked && body.appointment) {
            throw new AppError(
              'conflict',
              `A call-back is already booked on this call for ${iso(booked.scheduled_at).slice(0, 16).replace('T', ' ')} UTC: end the call without choosing another time, or ask a manager to reschedule it.`,
              { issues: [{ path: 'body.appointment', message: 'A call-back is already booked on this call' }] },
            );
          }

          await repo.finishCall(c, { id: call.id, endReasonId: reason.id, notes: body.notes ?? '', now: t });

          if (booked && reason.outcome === 'do_not_call') await repo.cancelAppointment(c, booked.id, t);
          if (booked && queue && reason.outcome !== 'do_not_call') {
            // Whatever the reason (final, retry, call-back), the booked call-back keeps the donor queued.
            await repo.releaseDonor(c, { ...queue, nextAttemptAt: booked.scheduled_at, finishReason: null });
            await repo.setAppointmentInQueue(c, {
              campaignId: queue.campaignId,
              donorId: queue.donorId,
              appointmentId: booked.id,
              ownerId: booked.owner_agent_id,
              at: booked.scheduled_at,
            });
          } else {
            switch (reason.outcome) {
              case 'final':
                if (queue) await repo.releaseDonor(c, { ...queue, nextAttemptAt: null, finishReason: 'final' });
                break;
              case 'retry':
                if (queue) {
                  await repo.releaseDonor(c, {
                    ...queue,
                    nextAttemptAt: new Date(t.getTime() + (reason.retry_minutes ?? 60) * 60_000),
                    finishReason: null,
                  });
                }
                break;
              case 'do_not_call':
                await repo.markDonorDoNotCall(c, call.donor_id, t);
                if (queue) await repo.releaseDonor(c, { ...queue, nextAttemptAt: null, finishReason: 'do_not_call' });
                break;
              case 'appointment': {
                if (!body.appointment) {
                  throw new AppError(
                    'appointment_required',
                    `"${reason.name}" books a call-back: choose its date and time.`,
                    {
                      issues: [{ path: 'body.appointment', message: 'Choose the call-back date and time' }],
                    },
                  );
                }
                if (call.campaign_id === null) {
                  throw new AppError('appointment_not_allowed', 'A call without a campaign cannot book a call-back.');
                }
                const camp = await repo.campaignForAgent(c, call.campaign_id, call.team_id ?? 0, agent.id);
                const donorTz = await repo.donorTimeZone(c, call.donor_id);
                const at = new Date(body.appointment.scheduledAt);
                checkCallbackTime(
                  at,
                  t,
                  donorTz,
                  callingHours(camp!.calling_hours_start, camp!.calling_hours_end),
                  { name: camp!.name, endsOn: camp!.ends_on },
                  'body.appointment.scheduledAt',
                );
                const ownerId = body.appointment.personal ? agent.id : null;
                const appointmentId = await repo.insertAppointment(c, {
                  donorId: call.donor_id,
                  campaignId: call.campaign_id,
                  scheduledAt: at,
                  ownerAgentId: ownerId,
                  notes: body.appointment.notes ?? '',
                  bookedCallId: call.id,
                  createdBy: agent.id,
                  now: t,
                });
                if (queue) await repo.releaseDonor(c, { ...queue, nextAttemptAt: at, finishReason: null });
                await repo.setAppointmentInQueue(c, {
                  campaignId: call.campaign_id,
                  donorId: call.donor_id,
                  appointmentId,
                  ownerId,
                  at,
                });
                break;
              }
            }
          }

          if (shift && shift.call_id === call.id) {
            shift.state = 'ready';
            shift.call_id = null;
            shift.lease_expires_at = new Date(t.getTime() + leaseMs);
            await repo.saveShift(c, shift, t);
          }
          return toCall((await views.callView(c, call.id))!);
        },
      ),
    );
  }

  async function takeBreak(agent: Actor, breakReasonId: number): Promise<Shift> {
    return withTransaction(pool, async (c) => {
      const t = now();
      const shift = await requireShift(c, agent.id);
      if (shift.state === 'on_call')
        throw new AppError('call_open', 'You are on a call: End Call before you take a break.');
      if (shift.state === 'on_break')
        throw new AppError('on_break', 'You are already on a break. Resume Shift when you are back.');
      const reason = await repo.findBreakReason(c, breakReasonId);
      if (!reason || reason.retired_at) {
        throw new AppError('reason_not_available', 'That break reason is not available. Choose one from the list.');
      }
      await releaseOffer(c, shift, t);
      shift.state = 'on_break';
      shift.break_reason_id = reason.id;
      shift.lease_expires_at = new Date(t.getTime() + leaseMs);
      await repo.saveShift(c, shift, t);
      return buildShift(c, shift.id);
    });
  }

  async function resumeShift(agent: Actor): Promise<Shift> {
    return withTransaction(pool, async (c) => {
      const t = now();
      const shift = await requireShift(c, agent.id);
      if (shift.state !== 'on_break')
        throw new AppError('not_on_break', 'You are not on a break, so there is nothing to resume.');
      shift.state = shift.campaign_id !== null ? 'ready' : 'signed_in';
      shift.break_reason_id = null;
      shift.lease_expires_at = new Date(t.getTime() + leaseMs);
      await repo.saveShift(c, shift, t);
      return buildShift(c, shift.id);
    });
  }

  async function closeShift(agent: Actor): Promise<void> {
    await withTransaction(pool, async (c) => {
      const t = now();
      const shift = await requireShift(c, agent.id);
      if (shift.state === 'on_call')
        throw new AppError('call_open', 'You are on a call: End Call before you sign out.');
      await releaseOffer(c, shift, t);
      shift.closed_at = t;
      await repo.saveShift(c, shift, t);
    });
  }

  async function heartbeat(agent: Actor): Promise<void> {
    return withClient(pool, async (client) => {
      const ok = await repo.extendLease(client, agent.id, new Date(now().getTime() + leaseMs));
      if (!ok) throw new AppError('no_open_shift', 'You are not signed into a shift. Sign In again.');
    });
  }

  async function listMyCampaigns(agent: Actor): Promise<MyCampaign[]> {
    return withClient(pool, async (client) => {
      const rows = await views.campaignsOfAgent(client, agent.id, utcDate(now()));
      return rows.map((r) => ({
        teamId: r.team_id,
        teamName: r.team_name,
        campaignId: r.campaign_id,
        campaignName: r.campaign_name,
        purpose: r.purpose,
        callingHoursStart: r.calling_hours_start,
        callingHoursEnd: r.calling_hours_end,
      }));
    });
  }

  async function listMyCalls(agent: Actor, scope: CallScope, limit: number, timeZone: string): Promise<Call[]> {
    return withClient(pool, async (client) => {
      const t = now();
      let shiftId: number | null = null;
      let since: Date | null = null;
      switch (scope) {
        case 'shift':
          shiftId = (await views.latestShiftId(client, agent.id)) ?? -1;
          break;
        case 'today': {
          since = DateTime.fromJSDate(t, { zone: timeZone }).startOf('day').toJSDate();
          break;
        }
        case 'all':
          break;
      }
      return (await views.callsOfAgent(client, { agentId: agent.id, shiftId, since, limit })).map(toCall);
    });
  }

  async function listMyAppointments(agent: Actor): Promise<Appointment[]> {
    return withClient(pool, async (client) => {
      return (await views.appointmentsOfAgent(client, agent.id, 200)).map(toAppointment);
    });
  }

  /**
   * Brings a campaign's queue in step with its connected lists (after a list is connected or
   * disconnected, or its priority changed). Donors already called keep their history.
   */
  async function syncCampaignQueue(campaignId: number): Promise<void> {
    await withTransaction(pool, async (c) => {
      await repo.syncQueue(c, campaignId, now());
      await repo.pruneQueue(c, campaignId);
    });
  }

  /** After donors were added to a list: every campaign the list feeds gets them. */
  async function syncListQueues(listId: number): Promise<void> {
    await withTransaction(pool, async (c) => {
      for (const campaignId of await repo.campaignsOfList(c, listId)) await repo.syncQueue(c, campaignId, now());
    });
  }

  /** After donors' flags, phones or time zones changed: the dialer sees it at once. */
  async function donorsChanged(donorIds: number[]): Promise<void> {
    if (donorIds.length === 0) return;
    return withClient(pool, async (c) => {
      await repo.refreshDonorsInQueues(c, donorIds);
    });
  }

  /** What a manager sees of a campaign's queue now (the same counts as Out of Data). */
  async function campaignProgress(campaignId: number): Promise<CampaignProgress | null> {
    return withClient(pool, async (c) => {
      const camp = await repo.campaignRules(c, campaignId);
      if (!camp) return null;
      const t = now();
      const hours = callingHours(camp.calling_hours_start, camp.calling_hours_end);
      const r = await repo.outOfDataReasons(c, { campaignId, now: t, ...hours, maxAttempts: camp.max_attempts });
      const candidates = [r.next_retry_at, r.next_opening_at].filter((d): d is Date => d !== null);
      return {
        total: r.total,
        finished: r.finished,
        maxAttempts: r.max_attempts,
        heldByOthers: r.held_by_others,
        waitingRetry: r.waiting_retry,
        outsideCallingHours: r.outside_hours,
        doNotCall: r.do_not_call,
        noPhone: r.no_phone,
        callableNow: r.callable_now,
        outOfData: r.callable_now === 0,
        nextAvailableAt: candidates.length ? iso(new Date(Math.min(...candidates.map((d) => d.getTime())))) : null,
      };
    });
  }

  /**
   * Returns lapsed holds to the pool, closes long-abandoned shifts, reminds owners of due
   * call-backs and marks unkept ones missed. Every instance runs it; each step is idempotent.
   */
  async function sweep(
    opts: { abandonAfterMinutes?: number } = {},
  ): Promise<{ expiredOffers: number; closedShifts: number; reminded: number; missed: number }> {
    return withTransaction(pool, async (c) => {
      const t = now();
      const swept = await repo.sweepLapsedOffers(c, t);
      const closed = await repo.closeAbandonedShifts(
        c,
        t,
        new Date(t.getTime() - (opts.abandonAfterMinutes ?? 60) * 60_000),
      );
      const reminded = await repo.remindDueAppointments(c, t);
      const missed = await repo.markMissedAppointments(c, t);
      return { expiredOffers: swept.expired, closedShifts: closed, reminded, missed };
    });
  }

  return {
    getShift,
    openShift,
    setReady,
    nextDonor,
    skipOffer,
    startCall,
    endCall,
    takeBreak,
    resumeShift,
    closeShift,
    heartbeat,
    listMyCampaigns,
    listMyCalls,
    listMyAppointments,
    sweep,
    syncCampaignQueue,
    syncListQueues,
    donorsChanged,
    campaignProgress,
  };
}
