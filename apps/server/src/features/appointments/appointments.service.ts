import { DateTime } from 'luxon';
import type pg from 'pg';
import type {
  AppointmentOwnerOptions,
  AppointmentPage,
  CreateAppointmentBody,
  ListAppointmentsQuery,
  ManagerAppointment,
  Role,
  UpdateAppointmentBody,
} from '@engage/contracts';
import type { Db } from '../../db/client';
import { auditPg } from '../../lib/audit';
import { AppError } from '../../lib/errors';
import { hasRole } from '../../lib/guard';
import { idempotent } from '../../lib/idempotency';
import { managedTeamIds } from '../../lib/scope';
import { withPgTransaction, type PgClient, withPgClient } from '../../lib/tx';
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
      id: r.donor_id,
      name: r.donor_name,
      reference: r.donor_reference,
      timeZone: r.donor_time_zone,
      country: r.donor_country,
    },
    campaign: {
      id: r.campaign_id,
      name: r.campaign_name,
      callingHoursStart: r.calling_hours_start,
      callingHoursEnd: r.calling_hours_end,
      weekdayHours: r.weekday_hours,
      closedDates: r.closed_dates,
    },
    scheduledAt: iso(r.scheduled_at),
    owner: r.owner_agent_id !== null && r.owner_name !== null ? { id: r.owner_agent_id, name: r.owner_name } : null,
    notes: r.notes,
    status: r.status,
    bookedCallId: r.booked_call_id,
    keptCallId: r.kept_call_id,
    createdAt: iso(r.created_at),
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
export function createAppointmentsService(deps: { db: Db; pool: pg.Pool; now: () => Date }) {
  const { pool, now } = deps;

  async function list(user: Manager, q: ListAppointmentsQuery): Promise<AppointmentPage> {
    const window = timeWindow(q);
    const after = q.cursor ?? null;
    const teamIds = await managedTeamIds(deps.db, user);
    const rows = await withPgClient(pool, (c) =>
      repo.listAppointments(c, {
        teamIds,
        campaignId: q.campaignId ?? null,
        teamId: q.teamId ?? null,
        owner: q.ownerAgentId ?? null,
        status: q.status ?? null,
        from: window.from,
        to: window.to,
        after,
        limit: q.limit + 1,
      }),
    );
    const p = page(rows, q.limit, (r) => ({ at: r.scheduled_at, id: r.id }));
    return { appointments: p.rows.map(toManagerAppointment), nextCursor: p.nextCursor };
  }

  async function requireInScope(c: PgClient, user: Manager, id: number): Promise<repo.ManagerAppointmentRow> {
    const found = await repo.findAppointment(c, id, await managedTeamIds(deps.db, user));
    if (!found) throw new AppError('not_found', NOT_FOUND);
    return found;
  }

  /** Throws not_found unless the appointment exists and is in the caller's scope (the audit trail asks). */
  async function assertInScope(user: Manager, id: number): Promise<void> {
    await withPgClient(pool, (c) => requireInScope(c, user, id));
  }

  /** Who the call-back may be given to: members of the teams working its campaign. */
  async function ownerOptions(user: Manager, id: number): Promise<AppointmentOwnerOptions> {
    return withPgClient(pool, async (c) => {
      const appt = await requireInScope(c, user, id);
      return { agents: await repo.campaignAgents(c, appt.campaign_id) };
    });
  }

  /**
   * Locks the queue row, then the appointment (the dialer's order), and checks the appointment
   * may still change. `queue` says whether the dialer queue row is this call-back's.
   */
  async function lockForChange(c: PgClient, user: Manager, id: number) {
    const key = await repo.appointmentKey(c, id);
    if (!key) throw new AppError('not_found', NOT_FOUND);
    const queueRow = await repo.lockQueueRow(c, key.campaign_id, key.donor_id);
    await repo.lockAppointment(c, id);
    const appt = await requireInScope(c, user, id);
    if (appt.status !== 'scheduled') {
      throw new AppError(
        'invalid_transition',
        `This appointment is ${appt.status === 'done' ? 'done (the call-back was made)' : appt.status}: only a scheduled appointment can be changed.`,
      );
    }
    const inQueue = queueRow !== null && queueRow.appointment_id === appt.id;
    const onScreen = inQueue && queueRow.held_by_shift_id !== null;
    return { appt, inQueue, onScreen };
  }

  function refuseOnScreen(appt: repo.ManagerAppointmentRow): never {
    throw new AppError(
      'conflict',
      `${appt.donor_name} is on an agent's screen for this call-back right now. Try again in a few minutes.`,
    );
  }

  async function checkTime(c: PgClient, appt: repo.ManagerAppointmentRow, at: Date, t: Date): Promise<void> {
    const window = await readCallbackWindow(c, appt.campaign_id, appt.donor_id, at);
    if (!window) return;
    checkCallbackTime(at, t, window, { name: appt.campaign_name, endsOn: appt.campaign_ends_on });
  }

  async function update(user: Manager, id: number, body: UpdateAppointmentBody): Promise<ManagerAppointment> {
    return withPgTransaction(pool, async (c) => {
      const t = now();
      const { appt, inQueue, onScreen } = await lockForChange(c, user, id);
      const changes: Change[] = [];
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};

      let scheduledAt = appt.scheduled_at;
      if (body.scheduledAt !== undefined && new Date(body.scheduledAt).getTime() !== appt.scheduled_at.getTime()) {
        scheduledAt = new Date(body.scheduledAt);
        await checkTime(c, appt, scheduledAt, t);
        changes.push('scheduledAt');
        before.scheduledAt = iso(appt.scheduled_at);
        after.scheduledAt = iso(scheduledAt);
      }

      let ownerId = appt.owner_agent_id;
      if (body.ownerAgentId !== undefined && body.ownerAgentId !== appt.owner_agent_id) {
        ownerId = body.ownerAgentId;
        let ownerName: string | null = null;
        if (ownerId !== null) {
          const candidate = (await repo.campaignAgents(c, appt.campaign_id)).find((a) => a.id === ownerId);
          if (!candidate) {
            const name = await repo.userName(c, ownerId);
            throw new AppError(
              'validation_failed',
              `${name ?? 'That user'} is not in a team that works "${appt.campaign_name}". Choose a member of one of its teams, or "Anyone in the campaign".`,
              { issues: [{ path: 'body.ownerAgentId', message: 'Not in a team that works this campaign' }] },
            );
          }
          ownerName = candidate.name;
        }
        changes.push('owner');
        before.ownerAgentId = appt.owner_agent_id;
        before.ownerName = appt.owner_name;
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

      await repo.updateAppointment(c, {
        id,
        scheduledAt,
        ownerAgentId: ownerId,
        notes,
        status: 'scheduled',
        remind: movesQueue,
        now: t,
      });
      if (movesQueue && inQueue) {
        await repo.moveInQueue(c, {
          campaignId: appt.campaign_id,
          donorId: appt.donor_id,
          appointmentId: id,
          ownerId,
          at: scheduledAt,
        });
      }
      await auditPg(c, {
        actorId: user.id,
        entityType: 'appointment',
        entityId: id,
        action: actionOf(changes),
        before,
        after,
        at: t,
      });
      return toManagerAppointment((await repo.findAppointment(c, id, null))!);
    });
  }

  /** Cancels the call-back; the donor goes back to the campaign's normal queue, due now. */
  async function cancel(user: Manager, id: number): Promise<ManagerAppointment> {
    return withPgTransaction(pool, async (c) => {
      const t = now();
      const { appt, inQueue, onScreen } = await lockForChange(c, user, id);
      if (onScreen) refuseOnScreen(appt);
      await repo.updateAppointment(c, {
        id,
        scheduledAt: appt.scheduled_at,
        ownerAgentId: appt.owner_agent_id,
        notes: appt.notes,
        status: 'cancelled',
        remind: false,
        now: t,
      });
      if (inQueue) {
        await repo.removeFromQueue(c, {
          campaignId: appt.campaign_id,
          donorId: appt.donor_id,
          appointmentId: id,
          now: t,
        });
      }
      await auditPg(c, {
        actorId: user.id,
        entityType: 'appointment',
        entityId: id,
        action: 'cancel',
        before: { status: appt.status },
        after: { status: 'cancelled' },
        at: t,
      });
      return toManagerAppointment((await repo.findAppointment(c, id, null))!);
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
    return withPgTransaction(pool, async (c) =>
      idempotent(
        c,
        { userId: user.id, operation: 'createAppointment', key: idempotencyKey, request: body },
        async () => {
          const t = now();
          const camp = await repo.bookingCampaign(c, body.campaignId, user.id);
          // A campaign that is not the caller's answers as one that does not exist: no name, same words.
          const notFound = () =>
            new AppError(
              'not_found',
              'No such campaign among yours: you can book call-backs only for the campaigns of your teams. Check it, or ask your manager.',
            );
          if (!camp) throw notFound();
          let asManager = false;
          if (hasRole(user, 'manager')) {
            const teamIds = await managedTeamIds(deps.db, user);
            asManager = teamIds === null || camp.team_ids.some((id) => teamIds.includes(id));
          }
          if (!asManager && !camp.caller_works) throw notFound();

          const ownerId = body.ownerAgentId ?? null;
          let ownerName: string | null = null;
          if (ownerId !== null) {
            if (!asManager && ownerId !== user.id) {
              throw new AppError(
                'forbidden',
                'You can book a call-back for yourself or for anyone in the campaign; a manager can give it to someone else.',
              );
            }
            const candidate = (await repo.campaignAgents(c, camp.id)).find((a) => a.id === ownerId);
            if (!candidate) {
              const name = await repo.userName(c, ownerId);
              throw new AppError(
                'validation_failed',
                `${name ?? 'That user'} is not in a team that works "${camp.name}". Choose a member of one of its teams, or anyone in the campaign.`,
                { issues: [{ path: 'body.ownerAgentId', message: 'Not in a team that works this campaign' }] },
              );
            }
            ownerName = candidate.name;
          }

          // The dialer's lock order: the caller's shift, then the queue row.
          const shift = await repo.lockCallerShift(c, user.id);
          const row = await repo.lockBookingQueueRow(c, camp.id, body.donorId);
          if (!row) {
            throw new AppError(
              'not_found',
              `That donor is not in the queue of "${camp.name}". Add them to one of its lists first.`,
            );
          }
          if (row.state === 'finished') {
            throw new AppError(
              'invalid_transition',
              `${row.donor_name} is finished in "${camp.name}" (a final outcome or a removal): no call-back can be booked there.`,
            );
          }
          const existing = await repo.scheduledFor(c, camp.id, body.donorId);
          if (existing) {
            const at = existing.scheduled_at;
            throw new AppError(
              'conflict',
              `${row.donor_name} already has a call-back in "${camp.name}" on ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC (${DateTime.fromJSDate(at, { zone: row.donor_time_zone }).toFormat('yyyy-MM-dd HH:mm')} ${row.donor_time_zone}): reschedule it instead.`,
            );
          }

          const scheduledAt = new Date(body.scheduledAt);
          const window = await readCallbackWindow(c, camp.id, body.donorId, scheduledAt);
          if (window) checkCallbackTime(scheduledAt, t, window, { name: camp.name, endsOn: camp.ends_on });

          let bookedCallId: number | null = null;
          if (row.held_by_shift_id !== null) {
            const ownCall =
              shift !== null &&
              shift.id === row.held_by_shift_id &&
              shift.call_id !== null &&
              (await repo.openCallWith(c, { callId: shift.call_id, donorId: body.donorId, campaignId: camp.id }));
            if (!ownCall) {
              throw new AppError(
                'conflict',
                shift !== null && shift.id === row.held_by_shift_id
                  ? `${row.donor_name} is offered to you right now: Start Call to book from the call, or skip first.`
                  : `${row.donor_name} is with another agent right now; try again in a few minutes.`,
              );
            }
            bookedCallId = shift.call_id;
          }

          const notes = body.notes ?? '';
          const id = await repo.insertAppointment(c, {
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
            await repo.putInQueue(c, {
              campaignId: camp.id,
              donorId: body.donorId,
              appointmentId: id,
              ownerId,
              at: scheduledAt,
            });
          }
          await auditPg(c, {
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
          return toManagerAppointment((await repo.findAppointment(c, id, null))!);
        },
      ),
    );
  }

  return { list, assertInScope, ownerOptions, update, cancel, create };
}
