import { DateTime } from 'luxon';
import type {
  AppointmentOwnerOptions,
  AppointmentPage,
  CreateAppointmentBody,
  ListAppointmentsQuery,
  ManagerAppointment,
  Role,
  UpdateAppointmentBody,
} from '@engage/contracts';
import type { Db, DbOrTx, Tx } from '../../db/client';
import { audit } from '../../lib/audit';
import { AppError } from '../../lib/errors';
import { hasRole } from '../../lib/guard';
import { idempotent } from '../../lib/idempotency';
import { managedTeamIds } from '../../lib/scope';
import { withTransaction } from '../../lib/tx';
import { page, timeWindow } from '../calls/paging';
import { readCallbackWindow } from '../dialer/calling-window';
import { checkCallbackTime } from '../dialer/dialer.rules';
import * as repo from './appointments.repository';

export interface Manager {
  id: number;
  role: Role;
}

export type AppointmentsService = ReturnType<typeof createAppointmentsService>;

const iso = (d: Date) => d.toISOString();

function toManagerAppointment(r: repo.ManagerAppointmentRow): ManagerAppointment {
  return {
    id: r.id,
    donor: {
      id: r.donorId,
      name: r.donorName,
      reference: r.donorReference,
      timeZone: r.donorTimeZone,
      country: r.donorCountry,
    },
    campaign: {
      id: r.campaignId,
      name: r.campaignName,
      callingHoursStart: r.callingHoursStart,
      callingHoursEnd: r.callingHoursEnd,
      weekdayHours: r.weekdayHours,
      closedDates: r.closedDates,
    },
    scheduledAt: iso(r.scheduledAt),
    owner: r.ownerAgentId !== null && r.ownerName !== null ? { id: r.ownerAgentId, name: r.ownerName } : null,
    notes: r.notes,
    status: r.status,
    bookedCallId: r.bookedCallId,
    keptCallId: r.keptCallId,
    createdAt: iso(r.createdAt),
  };
}

const NOT_FOUND = 'No such appointment in the campaigns of the teams you lead. Check it, or ask an administrator.';

/** Audit actions of an update, by what changed. */
type Change = 'scheduledAt' | 'owner' | 'notes';
function actionOf(changes: Change[]): string {
  const only = changes.length === 1 ? changes[0] : undefined;
  switch (only) {
    case 'scheduledAt':
      return 'reschedule';
    case 'owner':
      return 'reassign';
    case 'notes':
    case undefined:
      return 'update';
  }
}

/**
 * Call-backs for managers: every appointment of the campaigns their teams work (an admin: all);
 * reschedule, reassign, notes and cancel, each moving the dialer queue with it and kept in the
 * audit trail, in one transaction.
 */
export function createAppointmentsService(deps: { db: Db; now: () => Date }) {
  const { db, now } = deps;

  async function list(user: Manager, q: ListAppointmentsQuery): Promise<AppointmentPage> {
    const window = timeWindow(q);
    const after = q.cursor ?? null;
    const teamIds = await managedTeamIds(db, user);
    const rows = await repo.listAppointments(db, {
      teamIds,
      campaignId: q.campaignId ?? null,
      teamId: q.teamId ?? null,
      owner: q.ownerAgentId ?? null,
      status: q.status ?? null,
      from: window.from,
      to: window.to,
      after,
      limit: q.limit + 1,
    });
    const p = page(rows, q.limit, (r) => ({ at: r.scheduledAt, id: r.id }));
    return { appointments: p.rows.map(toManagerAppointment), nextCursor: p.nextCursor };
  }

  async function requireInScope(tx: DbOrTx, user: Manager, id: number): Promise<repo.ManagerAppointmentRow> {
    const found = await repo.findAppointment(tx, id, await managedTeamIds(tx, user));
    if (!found) throw new AppError('not_found', NOT_FOUND);
    return found;
  }

  /** Throws not_found unless the appointment exists and is in the caller's scope (the audit trail asks). */
  async function assertInScope(user: Manager, id: number): Promise<void> {
    await requireInScope(db, user, id);
  }

  /** Who the call-back may be given to: members of the teams working its campaign. */
  async function ownerOptions(user: Manager, id: number): Promise<AppointmentOwnerOptions> {
    const appt = await requireInScope(db, user, id);
    return { agents: await repo.campaignAgents(db, appt.campaignId) };
  }

  /**
   * Locks the queue row, then the appointment (the dialer's order), and checks the appointment
   * may still change. `queue` says whether the dialer queue row is this call-back's.
   */
  async function lockForChange(tx: Tx, user: Manager, id: number) {
    const key = await repo.appointmentKey(tx, id);
    if (!key) throw new AppError('not_found', NOT_FOUND);
    const queueRow = await repo.lockQueueRow(tx, key.campaignId, key.donorId);
    await repo.lockAppointment(tx, id);
    const appt = await requireInScope(tx, user, id);
    if (appt.status !== 'scheduled') {
      throw new AppError(
        'invalid_transition',
        `This appointment is ${appt.status === 'done' ? 'done (the call-back was made)' : appt.status}: only a scheduled appointment can be changed.`,
      );
    }
    const inQueue = queueRow !== null && queueRow.appointmentId === appt.id;
    const onScreen = inQueue && queueRow.heldByShiftId !== null;
    return { appt, inQueue, onScreen };
  }

  function refuseOnScreen(appt: repo.ManagerAppointmentRow): never {
    throw new AppError(
      'conflict',
      `${appt.donorName} is on an agent's screen for this call-back right now. Try again in a few minutes.`,
    );
  }

  async function checkTime(tx: Tx, appt: repo.ManagerAppointmentRow, at: Date, t: Date): Promise<void> {
    const window = await readCallbackWindow(tx, appt.campaignId, appt.donorId, at);
    if (!window) return;
    checkCallbackTime(at, t, window, { name: appt.campaignName, endsOn: appt.campaignEndsOn });
  }

  async function update(user: Manager, id: number, body: UpdateAppointmentBody): Promise<ManagerAppointment> {
    return withTransaction(db, async (tx) => {
      const t = now();
      const { appt, inQueue, onScreen } = await lockForChange(tx, user, id);
      const changes: Change[] = [];
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};

      let scheduledAt = appt.scheduledAt;
      if (body.scheduledAt !== undefined && new Date(body.scheduledAt).getTime() !== appt.scheduledAt.getTime()) {
        scheduledAt = new Date(body.scheduledAt);
        await checkTime(tx, appt, scheduledAt, t);
        changes.push('scheduledAt');
        before.scheduledAt = iso(appt.scheduledAt);
        after.scheduledAt = iso(scheduledAt);
      }

      let ownerId = appt.ownerAgentId;
      if (body.ownerAgentId !== undefined && body.ownerAgentId !== appt.ownerAgentId) {
        ownerId = body.ownerAgentId;
        let ownerName: string | null = null;
        if (ownerId !== null) {
          const candidate = (await repo.campaignAgents(tx, appt.campaignId)).find((a) => a.id === ownerId);
          if (!candidate) {
            const name = await repo.userName(tx, ownerId);
            throw new AppError(
              'validation_failed',
              `${name ?? 'That user'} is not in a team that works "${appt.campaignName}". Choose a member of one of its teams, or "Anyone in the campaign".`,
              { issues: [{ path: 'body.ownerAgentId', message: 'Not in a team that works this campaign' }] },
            );
          }
          ownerName = candidate.name;
        }
        changes.push('owner');
        before.ownerAgentId = appt.ownerAgentId;
        before.ownerName = appt.ownerName;
        after.ownerAgentId = ownerId;
        after.ownerName = ownerName;
      }

      const notes = body.notes ?? appt.notes;
      if (notes !== appt.notes) {
        changes.push('notes');
        before.notes = appt.notes;
        after.notes = notes;
      }

      if (changes.length === 0) return toManagerAppointment(appt);
      const movesQueue = changes.includes('scheduledAt') || changes.includes('owner');
      if (movesQueue && onScreen) refuseOnScreen(appt);

      await repo.updateAppointment(tx, {
        id,
        scheduledAt,
        ownerAgentId: ownerId,
        notes,
        status: 'scheduled',
        remind: movesQueue,
        now: t,
      });
      if (movesQueue && inQueue) {
        await repo.moveInQueue(tx, {
          campaignId: appt.campaignId,
          donorId: appt.donorId,
          appointmentId: id,
          ownerId,
          at: scheduledAt,
        });
      }
      await audit(tx, {
        actorId: user.id,
        entityType: 'appointment',
        entityId: id,
        action: actionOf(changes),
        before,
        after,
        at: t,
      });
      return toManagerAppointment((await repo.findAppointment(tx, id, null))!);
    });
  }

  /** Cancels the call-back; the donor goes back to the campaign's normal queue, due now. */
  async function cancel(user: Manager, id: number): Promise<ManagerAppointment> {
    return withTransaction(db, async (tx) => {
      const t = now();
      const { appt, inQueue, onScreen } = await lockForChange(tx, user, id);
      if (onScreen) refuseOnScreen(appt);
      await repo.updateAppointment(tx, {
        id,
        scheduledAt: appt.scheduledAt,
        ownerAgentId: appt.ownerAgentId,
        notes: appt.notes,
        status: 'cancelled',
        remind: false,
        now: t,
      });
      if (inQueue) {
        await repo.removeFromQueue(tx, {
          campaignId: appt.campaignId,
          donorId: appt.donorId,
          appointmentId: id,
          now: t,
        });
      }
      await audit(tx, {
        actorId: user.id,
        entityType: 'appointment',
        entityId: id,
        action: 'cancel',
        before: { status: appt.status },
        after: { status: 'cancelled' },
        at: t,
      });
      return toManagerAppointment((await repo.findAppointment(tx, id, null))!);
    });
  }

  /**
   * Books a call-back for a donor of the campaign's queue: by an agent of a team working the
   * campaign (for themselves or for anyone), or by a manager of one of its teams (for any of its
   * agents). A donor on nobody's screen is queued for the time now; a donor on the caller's own
   * call keeps the booking with the call, and End Call queues it (see the dialer's endCall).
   */
  async function create(
    user: Manager,
    body: CreateAppointmentBody,
    idempotencyKey: string | undefined,
  ): Promise<ManagerAppointment> {
    return withTransaction(db, async (tx) =>
      idempotent(
        tx,
        { userId: user.id, operation: 'createAppointment', key: idempotencyKey, request: body },
        async () => {
          const t = now();
          const camp = await repo.bookingCampaign(tx, body.campaignId, user.id);
          // A campaign that is not the caller's answers as one that does not exist: no name, same words.
          const notFound = () =>
            new AppError(
              'not_found',
              'No such campaign among yours: you can book call-backs only for the campaigns of your teams. Check it, or ask your manager.',
            );
          if (!camp) throw notFound();
          let asManager = false;
          if (hasRole(user, 'manager')) {
            const teamIds = await managedTeamIds(tx, user);
            asManager = teamIds === null || camp.teamIds.some((id) => teamIds.includes(id));
          }
          if (!asManager && !camp.callerWorks) throw notFound();

          const ownerId = body.ownerAgentId ?? null;
          let ownerName: string | null = null;
          if (ownerId !== null) {
            if (!asManager && ownerId !== user.id) {
              throw new AppError(
                'forbidden',
                'You can book a call-back for yourself or for anyone in the campaign; a manager can give it to someone else.',
              );
            }
            const candidate = (await repo.campaignAgents(tx, camp.id)).find((a) => a.id === ownerId);
            if (!candidate) {
              const name = await repo.userName(tx, ownerId);
              throw new AppError(
                'validation_failed',
                `${name ?? 'That user'} is not in a team that works "${camp.name}". Choose a member of one of its teams, or anyone in the campaign.`,
                { issues: [{ path: 'body.ownerAgentId', message: 'Not in a team that works this campaign' }] },
              );
            }
            ownerName = candidate.name;
          }

          // The dialer's lock order: the caller's shift, then the queue row.
          const shift = await repo.lockCallerShift(tx, user.id);
          const row = await repo.lockBookingQueueRow(tx, camp.id, body.donorId);
          if (!row) {
            throw new AppError(
              'not_found',
              `That donor is not in the queue of "${camp.name}". Add them to one of its lists first.`,
            );
          }
          if (row.state === 'finished') {
            throw new AppError(
              'invalid_transition',
              `${row.donorName} is finished in "${camp.name}" (a final outcome or a removal): no call-back can be booked there.`,
            );
          }
          const existing = await repo.scheduledFor(tx, camp.id, body.donorId);
          if (existing) {
            const at = existing.scheduledAt;
            throw new AppError(
              'conflict',
              `${row.donorName} already has a call-back in "${camp.name}" on ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC (${DateTime.fromJSDate(at, { zone: row.donorTimeZone }).toFormat('yyyy-MM-dd HH:mm')} ${row.donorTimeZone}): reschedule it instead.`,
            );
          }

          const scheduledAt = new Date(body.scheduledAt);
          const window = await readCallbackWindow(tx, camp.id, body.donorId, scheduledAt);
          if (window) checkCallbackTime(scheduledAt, t, window, { name: camp.name, endsOn: camp.endsOn });

          let bookedCallId: number | null = null;
          if (row.heldByShiftId !== null) {
            const ownCall =
              shift !== null &&
              shift.id === row.heldByShiftId &&
              shift.callId !== null &&
              (await repo.openCallWith(tx, { callId: shift.callId, donorId: body.donorId, campaignId: camp.id }));
            if (!ownCall) {
              throw new AppError(
                'conflict',
                shift !== null && shift.id === row.heldByShiftId
                  ? `${row.donorName} is offered to you right now: Start Call to book from the call, or skip first.`
                  : `${row.donorName} is with another agent right now; try again in a few minutes.`,
              );
            }
            bookedCallId = shift.callId;
          }

          const notes = body.notes ?? '';
          const id = await repo.insertAppointment(tx, {
            donorId: body.donorId,
            campaignId: camp.id,
            scheduledAt,
            ownerAgentId: ownerId,
            notes,
            bookedCallId,
            createdBy: user.id,
            now: t,
          });
          // Booked during the caller's own call: End Call puts it in the queue.
          if (bookedCallId === null) {
            await repo.putInQueue(tx, {
              campaignId: camp.id,
              donorId: body.donorId,
              appointmentId: id,
              ownerId,
              at: scheduledAt,
            });
          }
          await audit(tx, {
            actorId: user.id,
            entityType: 'appointment',
            entityId: id,
            action: 'create',
            after: {
              donorId: body.donorId,
              campaignId: camp.id,
              scheduledAt: iso(scheduledAt),
              ownerAgentId: ownerId,
              ownerName,
              notes,
              bookedCallId,
            },
            at: t,
          });
          return toManagerAppointment((await repo.findAppointment(tx, id, null))!);
        },
      ),
    );
  }

  /**
   * A call-back the system books for a donor who asked for one (an inbound line's `callback`
   * action: see inbound/inbound-callback.ts), for anyone in the campaign, in the caller's
   * transaction. A donor who already has a scheduled call-back in the campaign keeps that one
   * (one scheduled call-back per donor and campaign, as `create` refuses a second): it is
   * answered instead. Put first in the campaign's dialer queue, the donor added to it when not
   * there (an inbound line's campaign has no lists) or queued again when finished there.
   * Not audited, like the call-backs the dialer books on End Call: the inbound call's history
   * records the request.
   */
  async function bookRequestedCallback(
    tx: Tx,
    v: { donorId: number; campaignId: number; scheduledAt: Date; notes: string; now: Date },
  ): Promise<{ appointmentId: number; created: boolean }> {
    await repo.lockDonorForBooking(tx, v.donorId);
    const existing = await repo.scheduledFor(tx, v.campaignId, v.donorId);
    if (existing) return { appointmentId: existing.id, created: false };
    const id = await repo.insertAppointment(tx, {
      donorId: v.donorId,
      campaignId: v.campaignId,
      scheduledAt: v.scheduledAt,
      ownerAgentId: null,
      notes: v.notes,
      bookedCallId: null,
      createdBy: null,
      now: v.now,
    });
    await repo.queueRequestedCallback(tx, {
      campaignId: v.campaignId,
      donorId: v.donorId,
      appointmentId: id,
      at: v.scheduledAt,
    });
    return { appointmentId: id, created: true };
  }

  return { list, assertInScope, ownerOptions, update, cancel, create, bookRequestedCallback };
}
