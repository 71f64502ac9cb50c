import { DateTime } from 'luxon';
import type {
  Appointment,
  Call,
  CallScope,
  EndCallBody,
  EngageEvent,
  MyCampaign,
  NextDonorResponse,
  Offer,
  OutOfDataReasons,
  Shift,
} from '@engage/contracts';
import { displayName, endReasonWrongDirectionMessage } from '@engage/contracts';
import type { Db, DbOrTx, Tx } from '../../db/client';
import { AppError } from '../../lib/errors';
import { requestHash } from '../../lib/idempotency';
import { allowLongStatements, withTransaction } from '../../lib/tx';
import { readCallbackWindow } from './calling-window';
import * as repo from './dialer.repository';
import * as views from './dialer-views.repository';
import { checkCallbackTime, outOfDataMessage, whyCalled } from './dialer.rules';
import { recordedCallLine } from '../telephony/telephony.rules';

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

const iso = (d: Date) => d.toISOString();

/** What a manager's correction of a call's end reason did to the donor (applyCorrectedOutcome). */
export interface CorrectedOutcome {
  /** The donor was marked do not call by it (false: already marked, or another reason). */
  donorMarkedDoNotCall: boolean;
  /** The call-back booked on the call, cancelled by do not call. */
  cancelledCallbackId: number | null;
  /** What became of the donor's queue row in the call's campaign. */
  queue: repo.CorrectedOutcomeRow['queue'];
  /** Requeued or kept for a call-back: from when the donor may be offered again. */
  nextAttemptAt: Date | null;
  /** Why the queue row was left as it is, when something since decides for it. */
  kept: repo.CorrectedOutcomeRow['kept'];
  /** The donor cannot be offered at all (do not call, deceased, suppressed, no phone). */
  donorBlocked: boolean;
}

const noOpenShift = () =>
  new AppError('no_open_shift', 'You are not signed into a shift. Choose a job role and Sign In first.');

/*
 * Refusals about something that is not the agent's answer exactly as if it did not exist: the
 * same code and message, with no name in it, so that an id never tells an agent what another
 * team or agent has (a campaign's or a team's name, whether an offer or a call exists).
 */
const notTeamMember = () =>
  new AppError('not_team_member', 'You are not a member of that team. Choose one of your teams from the list.');
const notTeamsCampaign = () =>
  new AppError(
    'campaign_not_worked_by_team',
    'Your team does not work that campaign. Choose one of its campaigns from the list.',
  );
/**
 * A shift under a job role that takes inbound calls only is never given a donor: it goes Ready with
 * no team and no campaign and waits for calls to ring. `fix` says what to do instead.
 */
const inboundOnly = (role: string, fix: string, issues?: { path: string; message: string }[]) =>
  new AppError(
    'inbound_only',
    `Your job role ${role} takes inbound calls only: ${fix}, or sign in under a role that calls donors.`,
    issues ? { issues } : {},
  );
const noSuchOffer = () => new AppError('offer_not_found', 'You have no offer with that id. Ask for the next donor.');
const noSuchCall = () => new AppError('call_not_found', 'You have no call with that id. Ask for the next donor.');

function toCall(r: views.CallViewRow): Call {
  return {
    id: r.id,
    direction: r.direction,
    donorId: r.donor_id,
    donorName: r.donor_name,
    donorReference: r.donor_reference,
    campaignId: r.campaign_id,
    campaignName: r.campaign_name,
    lineName: r.line_name,
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
    signalling: recordedCallLine(
      {
        dialledAt: r.dialled_at,
        answeredAt: r.answered_at,
        hungUpAt: r.hung_up_at,
        hangupSide: r.hangup_side,
        hangupCause: r.hangup_cause,
        sipStatus: r.sip_status,
      },
      r.ended_at,
    ),
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
      country: r.country,
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
  return { ...r, scheduledAt: iso(r.scheduledAt) };
}

function shiftEvent(s: repo.ShiftRow): EngageEvent {
  return {
    type: 'shift.changed',
    agentId: s.agent_id,
    shiftId: s.id,
    teamId: s.team_id,
    campaignId: s.campaign_id,
    state: s.closed_at ? 'signed_out' : s.state,
    at: iso(s.state_since),
  };
}

export function createDialerService(deps: {
  db: Db;
  /** Where shift.changed events go once their transaction has committed (lib/realtime.ts). */
  events: { send(event: EngageEvent): void };
  now?: () => Date;
  leaseSeconds?: number;
  /**
   * Inbound routing's step when the agent takes a break or signs out while a call rings them:
   * the call passes to the next agent in the same transaction. Called first: it locks the call the
   * agent is rung for, then the shift (routing's order), reads the ringing mark under the shift's
   * lock and clears a stale one (inbound.service agentLeaving).
   */
  ringing?: { agentLeaving(tx: Tx, agentId: number): Promise<void> };
}) {
  const { db, events } = deps;
  const routines = repo.useCaseRoutines(db);
  const now = deps.now ?? (() => new Date());
  const leaseMs = (deps.leaseSeconds ?? 45) * 1000;
  const leaseFrom = (t: Date) => new Date(t.getTime() + leaseMs);

  /**
   * One transaction whose shift changes are announced after it commits. `save` writes a shift
   * and remembers it for the announcement.
   */
  async function shiftTransaction<T>(
    fn: (c: Tx, save: (shift: repo.ShiftRow, t: Date) => Promise<void>) => Promise<T>,
  ): Promise<T> {
    let changed: repo.ShiftRow[] = [];
    const result = await withTransaction(db, (c) => {
      changed = [];
      return fn(c, async (shift, t) => {
        changed.push(await repo.saveShift(c, shift, t));
      });
    });
    for (const shift of changed) events.send(shiftEvent(shift));
    return result;
  }

  /** Turns a routine's refusal into the answer the agent sees; `doing` completes "before you …". */
  function refused(err: unknown, doing: string): never {
    if (!(err instanceof repo.Refusal)) throw err;
    const d = err.detail;
    switch (err.code) {
      case 'no_open_shift':
        throw noOpenShift();
      case 'shift_not_ready':
        refuseBusy(d.shift as repo.ShiftRow, doing);
        throw new AppError('not_ready', 'Choose a team and a campaign, then press Ready for Call.');
      case 'campaign_not_workable':
        checkCampaign((d.campaign as repo.CampaignForAgent | null) ?? null);
        throw new AppError('campaign_not_active', 'That campaign cannot be worked now. Choose another campaign.');
      case 'offer_not_found':
      case 'offer_of_another_agent':
        throw noSuchOffer();
      case 'offer_expired':
        throw new AppError(
          'offer_expired',
          `That offer is no longer open (${String(d.status)}). Ask for the next donor.`,
        );
      case 'skip_reason_not_available':
        throw new AppError('reason_not_available', 'That skip reason is not available. Choose one from the list.');
      case 'end_reason_not_available':
        throw new AppError('reason_not_available', 'That end reason is not available. Choose one from the list.');
      case 'end_reason_wrong_direction':
        throw new AppError(
          'reason_not_available',
          endReasonWrongDirectionMessage(String(d.reason), d.direction === 'inbound' ? 'inbound' : 'outbound'),
          { issues: [{ path: 'body.endReasonId', message: 'Choose an end reason for this call' }] },
        );
      case 'idempotency_key_reused':
        throw new AppError(
          'idempotency_key_reused',
          'This Idempotency-Key was already used for a different request. Send a new key with a new request.',
        );
      case 'call_not_found':
      case 'call_of_another_agent':
        throw noSuchCall();
      case 'call_already_ended':
        throw new AppError('call_already_ended', 'This call has already ended. Ask for the next donor.');
      case 'appointment_not_allowed':
        throw new AppError(
          'appointment_not_allowed',
          `"${String(d.reason)}" does not book a call-back. Choose a call-back end reason, or leave the booking out.`,
        );
      case 'appointment_required':
        throw new AppError(
          'appointment_required',
          `"${String(d.reason)}" books a call-back: choose its date and time.`,
          {
            issues: [{ path: 'body.appointment', message: 'Choose the call-back date and time' }],
          },
        );
      case 'appointment_without_campaign':
        throw new AppError('appointment_not_allowed', 'A call without a campaign cannot book a call-back.');
      case 'inbound_ringing':
        throw new AppError('conflict', `An inbound call is ringing for you: Answer or Decline it before you ${doing}.`);
      case 'job_role_inbound_only':
        throw inboundOnly(String(d.role), 'wait for a call to ring');
      case 'callback_already_booked':
        throw new AppError(
          'conflict',
          `A call-back is already booked on this call for ${iso(new Date(String(d.scheduled_at)))
            .slice(0, 16)
            .replace('T', ' ')} UTC: end the call without choosing another time, or ask a manager to reschedule it.`,
          { issues: [{ path: 'body.appointment', message: 'A call-back is already booked on this call' }] },
        );
    }
  }

  async function requireShift(c: Tx, agentId: number): Promise<repo.ShiftRow> {
    const shift = await repo.lockOpenShift(c, agentId);
    if (!shift) throw noOpenShift();
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

  /**
   * Whether the agent may work the campaign for the team now (the rule is the database's:
   * dialer_campaign_for_agent and engage_campaign_unworkable; this says why not). A team the agent
   * is not in, and a campaign the team does not work, answer as if they did not exist (and name
   * nothing); the campaign's own name appears only once it is one of the agent's.
   */
  function checkCampaign(camp: repo.CampaignForAgent | null): repo.CampaignForAgent {
    if (camp && !camp.agent_in_team) throw notTeamMember();
    if (!camp || !camp.team_works_campaign) throw notTeamsCampaign();
    if (camp.unworkable === null) return camp;
    switch (camp.unworkable) {
      case 'not_active':
        throw new AppError(
          'campaign_not_active',
          `"${camp.name}" is ${camp.status}, not active. Choose another campaign.`,
        );
      case 'not_in_dates':
        throw new AppError(
          'campaign_not_active',
          `"${camp.name}" runs from ${camp.starts_on ?? 'the start'} to ${camp.ends_on ?? 'no end date'}, not today. Choose another campaign.`,
        );
      case 'no_lists':
        throw new AppError(
          'campaign_not_active',
          `"${camp.name}" has no donor list connected yet. Choose another campaign or ask your manager.`,
        );
    }
  }

  async function buildShift(c: DbOrTx, shiftId: number): Promise<Shift> {
    const s = await views.shiftView(c, shiftId);
    if (!s) throw noOpenShift();
    const callRow = s.state === 'on_call' && s.callId !== null ? await views.callView(c, s.callId) : null;
    // On a call the offer stays on the shift too: the donor card's script and "why" survive a reload.
    const offerId = s.state === 'previewing' ? s.offerId : (callRow?.offer_id ?? null);
    const offerRow = offerId !== null ? await views.offerView(c, offerId) : null;
    return {
      id: s.id,
      state: s.state,
      stateSince: iso(s.stateSince),
      openedAt: iso(s.openedAt),
      jobRole: {
        id: s.jobRoleId,
        name: s.jobRoleName,
        takes: { outbound: s.jobRoleOutbound, inbound: s.jobRoleInbound },
      },
      team: s.teamId !== null && s.teamName !== null ? { id: s.teamId, name: s.teamName } : null,
      campaign: s.campaignId !== null && s.campaignName !== null ? { id: s.campaignId, name: s.campaignName } : null,
      breakReason:
        s.breakReasonId !== null && s.breakReasonName !== null
          ? { id: s.breakReasonId, name: s.breakReasonName, systemKey: s.breakReasonSystemKey }
          : null,
      offer: offerRow ? toOffer(offerRow) : null,
      call: callRow ? toCall(callRow) : null,
    };
  }

  /** Gives back the donor of an offer that was not started (break, sign-out): no attempt counted. */
  async function releaseOffer(c: Tx, shift: repo.ShiftRow, t: Date): Promise<void> {
    if (shift.offer_id === null) return;
    await repo.releaseOffer(c, { offerId: shift.offer_id, shiftId: shift.id, now: t });
    shift.offer_id = null;
  }

  async function getShift(agent: Actor): Promise<Shift | null> {
    return (await getShiftAndRinging(agent))?.shift ?? null;
  }

  /**
   * The open shift as the agent's screen shows it, and the inbound call Engage rings them for
   * (null: none, so the screen's poll reads nothing more). A read: the shift row is not locked,
   * so a poll never makes inbound routing skip a free agent (ringNextAgent's SKIP LOCKED).
   */
  async function getShiftAndRinging(
    agent: Actor,
  ): Promise<{ shift: Shift; ringingInboundCallId: number | null } | null> {
    return withTransaction(db, async (c) => {
      const open = await repo.findOpenShift(c, agent.id);
      return open ? { shift: await buildShift(c, open.id), ringingInboundCallId: open.ringingInboundCallId } : null;
    });
  }

  async function openShift(agent: Actor, jobRoleId: number): Promise<Shift> {
    let opened: repo.ShiftRow | null = null;
    const result = await withTransaction(db, async (c) => {
      const t = now();
      const role = await repo.findJobRole(c, jobRoleId);
      if (!role || role.retiredAt) {
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
      opened = shift;
      return buildShift(c, shift.id);
    });
    if (opened) events.send(shiftEvent(opened));
    return result;
  }

  /** The job role of the shift (its work: outbound, inbound, or both). */
  async function roleOf(c: Tx, shift: repo.ShiftRow) {
    const role = await repo.findJobRole(c, shift.job_role_id);
    if (!role) throw new Error(`shift ${shift.id} has no job role ${shift.job_role_id}`);
    return role;
  }

  /**
   * Ready for Call: the team and campaign to work. Under a job role that takes inbound calls only,
   * Ready for inbound calls: neither is chosen (one sent is refused), and the shift waits for calls.
   */
  async function setReady(agent: Actor, teamId?: number, campaignId?: number): Promise<Shift> {
    return shiftTransaction(async (c, save) => {
      const t = now();
      const shift = await requireShift(c, agent.id);
      const role = await roleOf(c, shift);
      refuseBusy(shift, role.outbound ? 'choose a campaign' : 'get ready for inbound calls');
      if (!role.outbound) {
        if (teamId !== undefined || campaignId !== undefined) {
          throw inboundOnly(role.name, 'press Ready for inbound calls without a team or campaign', [
            ...(teamId !== undefined ? [{ path: 'body.teamId', message: 'No team: inbound calls only' }] : []),
            ...(campaignId !== undefined
              ? [{ path: 'body.campaignId', message: 'No campaign: inbound calls only' }]
              : []),
          ]);
        }
      } else {
        if (teamId === undefined || campaignId === undefined) {
          throw new AppError('validation_failed', 'Choose a team and a campaign, then press Ready for Call.', {
            issues: [
              ...(teamId === undefined ? [{ path: 'body.teamId', message: 'Choose your team' }] : []),
              ...(campaignId === undefined ? [{ path: 'body.campaignId', message: 'Choose a campaign' }] : []),
            ],
          });
        }
        const camp = await repo.campaignForAgent(c, campaignId, teamId, agent.id, t);
        // No such campaign: whether the team is the agent's is still answered first, as for any campaign.
        if (!camp && !(await repo.isTeamMember(c, teamId, agent.id))) throw notTeamMember();
        checkCampaign(camp);
      }
      // An inbound-only shift is ready with neither (both undefined above).
      shift.state = 'ready';
      shift.team_id = teamId ?? null;
      shift.campaign_id = campaignId ?? null;
      shift.lease_expires_at = new Date(t.getTime() + leaseMs);
      await save(shift, t);
      return buildShift(c, shift.id);
    });
  }

  async function nextDonor(agent: Actor): Promise<NextDonorResponse> {
    const t = now();
    const out = await routines
      .nextDonor({ agentId: agent.id, now: t, leaseUntil: leaseFrom(t) })
      .catch((err: unknown) => refused(err, 'ask for the next donor'));
    events.send(shiftEvent(out.shift));
    if (out.offer) return { status: 'offered', offer: toOffer(out.offer) };

    const camp = out.campaign;
    const r = await repo.outOfDataReasons(db, { campaignId: camp.id, now: t, maxAttempts: camp.max_attempts });
    const reasons = {
      total: r.total,
      finished: r.finished,
      maxAttempts: r.maxAttempts,
      heldByOthers: r.heldByOthers,
      waitingRetry: r.waitingRetry,
      outsideCallingHours: r.outsideCallingHours,
      doNotCall: r.doNotCall,
      noPhone: r.noPhone,
    };
    const candidates = [r.nextRetryAt, r.nextOpeningAt].filter((d): d is Date => d !== null);
    const nextAvailableAt = candidates.length ? new Date(Math.min(...candidates.map((d) => d.getTime()))) : null;
    return {
      status: 'out_of_data',
      campaign: { id: camp.id, name: camp.name },
      reasons,
      nextAvailableAt: nextAvailableAt ? iso(nextAvailableAt) : null,
      message: outOfDataMessage(camp.name, reasons, nextAvailableAt, r.nextOpeningLocal, camp.purpose),
    };
  }

  async function skipOffer(
    agent: Actor,
    offerId: number,
    skipReasonId: number,
    notes: string | undefined,
  ): Promise<void> {
    const t = now();
    const out = await routines
      .skipOffer({
        agentId: agent.id,
        offerId,
        skipReasonId,
        notes: notes ?? null,
        now: t,
        leaseUntil: leaseFrom(t),
      })
      .catch((err: unknown) => refused(err, 'skip'));
    events.send(shiftEvent(out.shift));
  }

  async function startCall(agent: Actor, offerId: number): Promise<{ call: Call }> {
    const t = now();
    const out = await routines
      .startCall({ agentId: agent.id, offerId, now: t, leaseUntil: leaseFrom(t) })
      .catch((err: unknown) => refused(err, 'start a call'));
    events.send(shiftEvent(out.shift));
    if (out.expired) {
      throw new AppError(
        'offer_expired',
        'This donor was held for you too long without a call and went back to the queue. Ask for the next donor.',
      );
    }
    return { call: toCall(out.call) };
  }

  /**
   * A call-back chosen at End Call must fall in the donor's calling hours, in the future and
   * within the campaign: checked here, before the routine books it.
   */
  async function checkBookingAtEnd(agent: Actor, callId: number, body: EndCallBody, t: Date): Promise<void> {
    if (!body.appointment) return;
    const at = new Date(body.appointment.scheduledAt);
    const call = await repo.callForBooking(db, { callId, agentId: agent.id, endReasonId: body.endReasonId });
    // Anything else wrong (not the agent's call, a reason that books nothing) the routine refuses.
    if (!call?.books || call.campaignId === null || call.donorId === null) return;
    const camp = await repo.campaignForAgent(db, call.campaignId, call.teamId ?? 0, agent.id, t);
    const window = await readCallbackWindow(db, call.campaignId, call.donorId, at);
    if (!camp || !window) return;
    checkCallbackTime(at, t, window, { name: camp.name, endsOn: camp.ends_on }, 'body.appointment.scheduledAt');
  }

  async function endCall(
    agent: Actor,
    callId: number,
    body: EndCallBody,
    idempotencyKey: string | undefined,
  ): Promise<Call> {
    const t = now();
    await checkBookingAtEnd(agent, callId, body, t);
    const out = await routines
      .endCall({
        agentId: agent.id,
        callId,
        endReasonId: body.endReasonId,
        notes: body.notes ?? null,
        appointment: body.appointment
          ? {
              at: new Date(body.appointment.scheduledAt),
              personal: body.appointment.personal,
              notes: body.appointment.notes ?? null,
            }
          : null,
        idempotencyKey: idempotencyKey ?? null,
        requestHash: idempotencyKey ? requestHash({ callId, body }) : null,
        now: t,
        leaseUntil: leaseFrom(t),
      })
      .catch((err: unknown) => refused(err, 'end the call'));
    if (out.shift) events.send(shiftEvent(out.shift));
    return toCall(out.call);
  }

  async function takeBreak(agent: Actor, breakReasonId: number): Promise<Shift> {
    return shiftTransaction(async (c, save) => {
      await deps.ringing?.agentLeaving(c, agent.id);
      const t = now();
      const shift = await requireShift(c, agent.id);
      if (shift.state === 'on_call')
        throw new AppError('call_open', 'You are on a call: End Call before you take a break.');
      if (shift.state === 'on_break')
        throw new AppError('on_break', 'You are already on a break. Resume Shift when you are back.');
      const reason = await repo.findBreakReason(c, breakReasonId);
      if (!reason || reason.retiredAt) {
        throw new AppError('reason_not_available', 'That break reason is not available. Choose one from the list.');
      }
      await releaseOffer(c, shift, t);
      shift.state = 'on_break';
      shift.break_reason_id = reason.id;
      shift.lease_expires_at = new Date(t.getTime() + leaseMs);
      await save(shift, t);
      return buildShift(c, shift.id);
    });
  }

  async function resumeShift(agent: Actor): Promise<Shift> {
    return shiftTransaction(async (c, save) => {
      const t = now();
      const shift = await requireShift(c, agent.id);
      if (shift.state !== 'on_break')
        throw new AppError('not_on_break', 'You are not on a break, so there is nothing to resume.');
      // Back to work: ready on the campaign chosen, or for inbound calls under a role that takes
      // only those; else signed in, to choose a campaign.
      shift.state = shift.campaign_id !== null || !(await roleOf(c, shift)).outbound ? 'ready' : 'signed_in';
      shift.break_reason_id = null;
      shift.lease_expires_at = new Date(t.getTime() + leaseMs);
      await save(shift, t);
      return buildShift(c, shift.id);
    });
  }

  async function closeShift(agent: Actor): Promise<void> {
    await shiftTransaction(async (c, save) => {
      await deps.ringing?.agentLeaving(c, agent.id);
      const t = now();
      const shift = await requireShift(c, agent.id);
      if (shift.state === 'on_call')
        throw new AppError('call_open', 'You are on a call: End Call before you sign out.');
      await releaseOffer(c, shift, t);
      shift.closed_at = t;
      await save(shift, t);
    });
  }

  async function heartbeat(agent: Actor): Promise<void> {
    const ok = await repo.extendLease(db, agent.id, new Date(now().getTime() + leaseMs));
    if (!ok) throw noOpenShift();
  }

  async function listMyCampaigns(agent: Actor): Promise<MyCampaign[]> {
    return views.campaignsOfAgent(db, agent.id, now());
  }

  async function listMyCalls(agent: Actor, scope: CallScope, limit: number, timeZone: string): Promise<Call[]> {
    const t = now();
    let shiftId: number | null = null;
    let since: Date | null = null;
    switch (scope) {
      case 'shift':
        shiftId = (await views.latestShiftId(db, agent.id)) ?? -1;
        break;
      case 'today': {
        since = DateTime.fromJSDate(t, { zone: timeZone }).startOf('day').toJSDate();
        break;
      }
      case 'all':
        break;
    }
    return (await views.callsOfAgent(db, { agentId: agent.id, shiftId, since, limit })).map(toCall);
  }

  async function listMyAppointments(agent: Actor): Promise<Appointment[]> {
    return (await views.appointmentsOfAgent(db, agent.id, 200)).map(toAppointment);
  }

  /**
   * Brings a campaign's queue in step with its connected lists (after a list is connected or
   * disconnected, or its priority changed). Donors already called keep their history.
   */
  async function syncCampaignQueue(campaignId: number): Promise<void> {
    await withTransaction(db, async (c) => {
      await allowLongStatements(c); // a campaign may draw on lists of a million donors
      await repo.syncQueue(c, campaignId, now());
      await repo.pruneQueue(c, campaignId);
    });
  }

  /** After donors were added to a list: every campaign the list feeds gets them. */
  async function syncListQueues(listId: number): Promise<void> {
    await withTransaction(db, async (c) => {
      await allowLongStatements(c);
      for (const campaignId of await repo.campaignsOfList(c, listId)) await repo.syncQueue(c, campaignId, now());
    });
  }

  /** After donors' flags, phones or time zones changed: the dialer sees it at once. */
  async function donorsChanged(donorIds: number[]): Promise<void> {
    if (donorIds.length === 0) return;
    await repo.refreshDonorsInQueues(db, donorIds);
  }

  /**
   * A manager corrected an ended call's end reason, in their transaction (`c`, the call locked
   * and rewritten): the new reason's outcome follows as at End Call, through the same SQL rule
   * (dialer_end_outcome), unless something since decides for the donor's queue (an agent holds
   * them now, a later call, a pending call-back, a skip: dialer_correct_outcome).
   */
  async function applyCorrectedOutcome(c: Tx, callId: number, t: Date): Promise<CorrectedOutcome> {
    const r = await repo.correctOutcome(c, callId, t);
    return {
      donorMarkedDoNotCall: r.flagged,
      cancelledCallbackId: r.callback_cancelled,
      queue: r.queue,
      nextAttemptAt: r.next_attempt_at ? new Date(r.next_attempt_at) : null,
      kept: r.kept,
      donorBlocked: r.blocked,
    };
  }

  /** What a manager sees of a campaign's queue now (the same counts as Out of Data). */
  async function campaignProgress(campaignId: number): Promise<CampaignProgress | null> {
    const camp = await repo.campaignRules(db, campaignId);
    if (!camp) return null;
    const t = now();
    const r = await repo.outOfDataReasons(db, { campaignId, now: t, maxAttempts: camp.maxAttempts });
    const candidates = [r.nextRetryAt, r.nextOpeningAt].filter((d): d is Date => d !== null);
    return {
      total: r.total,
      finished: r.finished,
      maxAttempts: r.maxAttempts,
      heldByOthers: r.heldByOthers,
      waitingRetry: r.waitingRetry,
      outsideCallingHours: r.outsideCallingHours,
      doNotCall: r.doNotCall,
      noPhone: r.noPhone,
      callableNow: r.callableNow,
      outOfData: r.callableNow === 0,
      nextAvailableAt: candidates.length ? iso(new Date(Math.min(...candidates.map((d) => d.getTime())))) : null,
    };
  }

  /**
   * Returns lapsed holds to the pool, closes long-abandoned shifts, reminds owners of due
   * call-backs and marks unkept ones missed. Every instance runs it; each step is idempotent.
   */
  async function sweep(opts: { abandonAfterMinutes?: number; openCallAbandonMinutes?: number } = {}): Promise<{
    expiredOffers: number;
    endedCalls: number;
    closedShifts: number;
    reminded: number;
    missed: number;
  }> {
    return withTransaction(db, async (c) => {
      const t = now();
      const swept = await repo.sweepLapsedOffers(c, t);
      const endedCalls = await repo.endAbandonedCalls(
        c,
        t,
        new Date(t.getTime() - (opts.openCallAbandonMinutes ?? 10) * 60_000),
      );
      const closed = await repo.closeAbandonedShifts(
        c,
        t,
        new Date(t.getTime() - (opts.abandonAfterMinutes ?? 60) * 60_000),
      );
      const reminded = await repo.remindDueAppointments(c, t);
      const missed = await repo.markMissedAppointments(c, t);
      return { expiredOffers: swept.expired, endedCalls, closedShifts: closed, reminded, missed };
    });
  }

  /*
   * The system or a manager acting on an agent's shift (the account disabled; a manager's Sign out,
   * End call, Release donor), inside the caller's transaction: the dialer's routines do the work with
   * the same statements as the agent's own actions, and announce the shift's change when the
   * transaction commits. Whether the caller may act on the shift is the caller's to check.
   */

  /**
   * Signs out the agents' open shifts now: an open call ended and kept on record, an offer released,
   * an inbound call ringing one of them passed to the next agent (the same step as Sign Out).
   */
  async function endShiftsOfAgents(tx: Tx, agentIds: number[], by: repo.SystemEndBy) {
    for (const agentId of agentIds) await deps.ringing?.agentLeaving(tx, agentId);
    return repo.endShiftsOfAgents(tx, agentIds, by, now());
  }

  /**
   * Passes on an inbound call ringing the open shift's agent (the same step as Sign Out). Call it
   * before locking the shift: routing locks the call, then the shift.
   */
  async function passOnRinging(tx: Tx, shiftId: number): Promise<void> {
    const agentId = await repo.agentOfOpenShift(tx, shiftId);
    if (agentId !== null) await passOnRingingOfAgent(tx, agentId);
  }

  /** The same for the agent's open shift (Log inbound call: the agent took a desk-phone call instead). */
  async function passOnRingingOfAgent(tx: Tx, agentId: number): Promise<void> {
    await deps.ringing?.agentLeaving(tx, agentId);
  }

  /** Signs out one open shift now (an inbound call ringing it passed on, as on Sign Out); null when it is closed already. */
  async function endShiftNow(tx: Tx, shiftId: number, by: repo.SystemEndBy) {
    await passOnRinging(tx, shiftId);
    return repo.endShift(tx, shiftId, by, now());
  }

  /** Ends the shift's open call now (kept on record, the donor retried); the shift is ready again. */
  function endCallNow(tx: DbOrTx, shiftId: number, by: repo.SystemEndBy) {
    return repo.systemEndCall(tx, shiftId, by, now());
  }

  /** Releases the donor a previewing shift holds (no attempt counted); the shift is ready again. */
  function releaseOfferNow(tx: DbOrTx, shiftId: number) {
    return repo.releaseShiftOffer(tx, shiftId, now());
  }

  /*
   * Inbound calls (features/inbound) act on an agent's shift inside the inbound service's
   * transaction through these three: the shift is still written only here (dialer_shift_to), and
   * its change is announced when that transaction commits (pg_notify).
   */

  /** Announces the shift's change (a call ringing it, or no longer) when the caller's transaction commits. */
  async function announceShift(tx: DbOrTx, shiftId: number): Promise<void> {
    await repo.notifyShift(tx, shiftId);
  }

  /**
   * The system puts the agent's open shift on break (an outbound offer released, as Take Break
   * does); false when there is no open shift, or it is on a call or on a break already.
   */
  async function breakNow(tx: Tx, agentId: number, breakReasonId: number): Promise<boolean> {
    const t = now();
    const shift = await repo.lockOpenShift(tx, agentId);
    if (!shift || shift.state === 'on_call' || shift.state === 'on_break') return false;
    await releaseOffer(tx, shift, t);
    shift.state = 'on_break';
    shift.break_reason_id = breakReasonId;
    await repo.saveShift(tx, shift, t);
    await repo.notifyShift(tx, shift.id);
    return true;
  }

  /**
   * An inbound call answered by the agent: recorded as a call (direction inbound, no offer)
   * under the line's campaign, and the shift on it as Start Call puts it (on_call, call_id); an
   * outbound offer the shift still holds goes back first, so the donor is never held twice.
   */
  async function startInboundCall(
    tx: Tx,
    agentId: number,
    // teamId: the team the call is recorded under (one the agent shares with the line, chosen by
    // inbound.repository teamForInboundCall), not the outbound shift's; with none (an agent the
    // phone system chose outside the line's teams), the shift's, so a manager still sees the call.
    v: { campaignId: number; donorId: number | null; phone: string | null; teamId: number | null },
  ): Promise<Call> {
    const t = now();
    const shift = await repo.lockOpenShift(tx, agentId);
    if (!shift) throw noOpenShift();
    if (shift.state === 'on_call') throw new AppError('call_open', 'You are on a call: End Call before you answer.');
    if (shift.state === 'on_break') {
      throw new AppError('on_break', 'You are on a break: Resume Shift before you answer a call.');
    }
    await releaseOffer(tx, shift, t);
    const callId = await repo.insertInboundCall(tx, {
      agentId,
      shiftId: shift.id,
      campaignId: v.campaignId,
      teamId: v.teamId ?? shift.team_id,
      donorId: v.donorId,
      phone: v.phone,
      now: t,
    });
    shift.call_id = callId;
    shift.state = 'on_call';
    shift.lease_expires_at = leaseFrom(t);
    await repo.saveShift(tx, shift, t);
    await repo.notifyShift(tx, shift.id);
    return toCall((await views.callView(tx, callId))!);
  }

  /**
   * The agent's own open inbound call, locked: the caller panel reads and links its donor. Another
   * agent's call answers as if it did not exist; an ended one, call_already_ended.
   */
  async function lockOwnInboundCall(tx: Tx, agentId: number, callId: number) {
    const call = await repo.lockCall(tx, callId);
    if (!call || call.agentId !== agentId) throw noSuchCall();
    if (call.direction !== 'inbound') {
      throw new AppError(
        'conflict',
        'An outbound call is with the donor you were offered: only an inbound caller is linked to a donor on the call.',
      );
    }
    if (call.endedAt !== null) {
      throw new AppError(
        'call_already_ended',
        'This call has already ended, so its caller can no longer be linked here. Ask your manager to correct the call under Calls.',
      );
    }
    return call;
  }

  /** Links the caller of the agent's open inbound call to a donor (who must exist); the shift is announced. */
  async function linkInboundCallDonor(tx: Tx, agentId: number, callId: number, donorId: number): Promise<Call> {
    const call = await lockOwnInboundCall(tx, agentId, callId);
    await repo.setCallDonor(tx, call.id, donorId, now());
    if (call.shiftId !== null) await repo.notifyShift(tx, call.shiftId);
    return toCall((await views.callView(tx, call.id))!);
  }

  /** A call as the agent's screen shows it (an inbound call's Answer, sent again, answers it). */
  async function callView(tx: DbOrTx, callId: number): Promise<Call> {
    const row = await views.callView(tx, callId);
    if (!row) throw noSuchCall();
    return toCall(row);
  }

  return {
    announceShift,
    lockOwnInboundCall,
    linkInboundCallDonor,
    callView,
    getShiftAndRinging,
    breakNow,
    startInboundCall,
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
    endShiftsOfAgents,
    endShiftNow,
    passOnRinging,
    passOnRingingOfAgent,
    endCallNow,
    releaseOfferNow,
    syncCampaignQueue,
    syncListQueues,
    donorsChanged,
    applyCorrectedOutcome,
    campaignProgress,
  };
}
