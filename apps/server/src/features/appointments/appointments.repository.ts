import { and, asc, eq, exists, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import {
  appointments,
  calls,
  campaignDonors,
  campaignTeams,
  campaigns,
  donors,
  shifts,
  teamMembers,
  users,
} from '../../db/schema';
import { timeOfDay } from '../../db/time-of-day';

/**
 * Call-backs as managers see them, and the dialer queue rows they put first. `teamIds` is the
 * caller's scope: null for an admin, else the teams they lead; an appointment is in scope when
 * its campaign is worked by one of those teams.
 */

function campaignsOfTeams(db: DbOrTx, teamIds: number[]) {
  return db
    .select({ campaignId: campaignTeams.campaignId })
    .from(campaignTeams)
    .where(inArray(campaignTeams.teamId, teamIds));
}

function inScope(db: DbOrTx, teamIds: number[] | null): SQL | undefined {
  return teamIds === null ? undefined : inArray(appointments.campaignId, campaignsOfTeams(db, teamIds));
}

const donorName = sql<string>`trim(${donors.firstName} || ' ' || ${donors.lastName})`;

function selectAppointments(db: DbOrTx) {
  return db
    .select({
      id: appointments.id,
      donorId: appointments.donorId,
      donorName,
      donorReference: donors.reference,
      donorTimeZone: donors.timeZone,
      donorCountry: donors.country,
      campaignId: appointments.campaignId,
      campaignName: campaigns.name,
      callingHoursStart: timeOfDay(campaigns.callingHoursStart),
      callingHoursEnd: timeOfDay(campaigns.callingHoursEnd),
      weekdayHours: campaigns.weekdayHours,
      closedDates: sql<string[]>`${campaigns.closedDates}::text[]`,
      campaignEndsOn: campaigns.endsOn,
      scheduledAt: appointments.scheduledAt,
      ownerAgentId: appointments.ownerAgentId,
      ownerName: users.name,
      notes: appointments.notes,
      status: appointments.status,
      bookedCallId: appointments.bookedCallId,
      keptCallId: appointments.keptCallId,
      createdAt: appointments.createdAt,
    })
    .from(appointments)
    .innerJoin(donors, eq(donors.id, appointments.donorId))
    .innerJoin(campaigns, eq(campaigns.id, appointments.campaignId))
    .leftJoin(users, eq(users.id, appointments.ownerAgentId));
}

export type ManagerAppointmentRow = Awaited<ReturnType<typeof listAppointments>>[number];

export interface AppointmentFilter {
  teamIds: number[] | null;
  campaignId: number | null;
  teamId: number | null;
  /** An agent id, 'anyone' (no owner) or null (no filter). */
  owner: number | 'anyone' | null;
  status: 'scheduled' | 'done' | 'missed' | 'cancelled' | null;
  from: Date | null;
  to: Date | null;
  /** Keyset: rows strictly after (scheduledAt, id). */
  after: { at: Date; id: number } | null;
  limit: number;
}

/** Earliest scheduled first, one page of `limit` rows. */
export function listAppointments(db: DbOrTx, f: AppointmentFilter) {
  return selectAppointments(db)
    .where(
      and(
        inScope(db, f.teamIds),
        f.campaignId === null ? undefined : eq(appointments.campaignId, f.campaignId),
        f.teamId === null ? undefined : inArray(appointments.campaignId, campaignsOfTeams(db, [f.teamId])),
        f.owner === 'anyone' ? isNull(appointments.ownerAgentId) : undefined,
        typeof f.owner === 'number' ? eq(appointments.ownerAgentId, f.owner) : undefined,
        f.status === null ? undefined : eq(appointments.status, f.status),
        // As in listCalls: the bounds go to pg as Dates (sql.param), so a year before 1 AD is sent as BC.
        f.from === null ? undefined : gte(appointments.scheduledAt, sql.param(f.from)),
        f.to === null ? undefined : lt(appointments.scheduledAt, sql.param(f.to)),
        f.after === null
          ? undefined
          : sql`(${appointments.scheduledAt}, ${appointments.id}) > (${f.after.at}::timestamptz, ${f.after.id}::int)`,
      ),
    )
    .orderBy(asc(appointments.scheduledAt), asc(appointments.id))
    .limit(f.limit);
}

/** One appointment in the caller's scope; null when it does not exist or is out of scope. */
export async function findAppointment(
  db: DbOrTx,
  id: number,
  teamIds: number[] | null,
): Promise<ManagerAppointmentRow | null> {
  const [row] = await selectAppointments(db).where(and(eq(appointments.id, id), inScope(db, teamIds)));
  return row ?? null;
}

/** Which donor in which campaign an appointment is for (these never change). */
export async function appointmentKey(db: DbOrTx, id: number) {
  const [row] = await db
    .select({ campaignId: appointments.campaignId, donorId: appointments.donorId })
    .from(appointments)
    .where(eq(appointments.id, id));
  return row ?? null;
}

/**
 * Locks the donor's queue row in the campaign. Taken before the appointment's row: the dialer's
 * Start Call takes them in that order too (the queue row, then marks the appointment kept).
 */
export async function lockQueueRow(db: DbOrTx, campaignId: number, donorId: number) {
  const [row] = await db
    .select({ appointmentId: campaignDonors.appointmentId, heldByShiftId: campaignDonors.heldByShiftId })
    .from(campaignDonors)
    .where(and(eq(campaignDonors.campaignId, campaignId), eq(campaignDonors.donorId, donorId)))
    .for('update');
  return row ?? null;
}

export async function lockAppointment(db: DbOrTx, id: number): Promise<void> {
  await db.select({ id: appointments.id }).from(appointments).where(eq(appointments.id, id)).for('update');
}

export async function updateAppointment(
  db: DbOrTx,
  v: {
    id: number;
    scheduledAt: Date;
    ownerAgentId: number | null;
    notes: string;
    status: 'scheduled' | 'cancelled';
    /** A new time or owner: the owner is reminded again when it is due (the dialer's sweep). */
    remind: boolean;
    now: Date;
  },
): Promise<void> {
  await db
    .update(appointments)
    .set({
      scheduledAt: v.scheduledAt,
      ownerAgentId: v.ownerAgentId,
      notes: v.notes,
      status: v.status,
      updatedAt: v.now,
      ...(v.remind ? { remindedAt: null } : {}),
    })
    .where(eq(appointments.id, v.id));
}

/** The donor's queue row in the campaign while it still points at this appointment. */
function queueRowOf(v: { campaignId: number; donorId: number; appointmentId: number }) {
  return and(
    eq(campaignDonors.campaignId, v.campaignId),
    eq(campaignDonors.donorId, v.donorId),
    eq(campaignDonors.appointmentId, v.appointmentId),
  );
}

/**
 * Moves the call-back in the dialer queue (owner and due time), when the queue row still points
 * at this appointment. The claim reads these columns: see features/dialer/dialer.sql.ts.
 */
export async function moveInQueue(
  db: DbOrTx,
  v: { campaignId: number; donorId: number; appointmentId: number; ownerId: number | null; at: Date },
): Promise<void> {
  await db.update(campaignDonors).set({ appointmentOwnerId: v.ownerId, nextAttemptAt: v.at }).where(queueRowOf(v));
}

/** Takes the call-back out of the queue: the donor goes back to the normal queue, due now. */
export async function removeFromQueue(
  db: DbOrTx,
  v: { campaignId: number; donorId: number; appointmentId: number; now: Date },
): Promise<void> {
  await db
    .update(campaignDonors)
    .set({ appointmentId: null, appointmentOwnerId: null, nextAttemptAt: v.now })
    .where(queueRowOf(v));
}

/** Members of the teams working the campaign who may own its call-backs (enabled accounts). */
export function campaignAgents(db: DbOrTx, campaignId: number) {
  return db
    .selectDistinct({ id: users.id, name: users.name })
    .from(campaignTeams)
    .innerJoin(teamMembers, eq(teamMembers.teamId, campaignTeams.teamId))
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(campaignTeams.campaignId, campaignId), isNull(users.disabledAt)))
    .orderBy(asc(users.name), asc(users.id));
}

export async function userName(db: DbOrTx, id: number): Promise<string | null> {
  const [row] = await db.select({ name: users.name }).from(users).where(eq(users.id, id));
  return row?.name ?? null;
}

/** What booking a call-back needs to know about the campaign and the caller. */
export async function bookingCampaign(db: DbOrTx, campaignId: number, userId: number) {
  const [row] = await db
    .select({
      id: campaigns.id,
      name: campaigns.name,
      endsOn: campaigns.endsOn,
      callingHoursStart: timeOfDay(campaigns.callingHoursStart),
      callingHoursEnd: timeOfDay(campaigns.callingHoursEnd),
      // A nested select keeps its columns' table names (a one-table select's own sql fields lose them).
      teamIds: sql<number[]>`COALESCE((${db
        .select({ ids: sql`array_agg(${campaignTeams.teamId} ORDER BY ${campaignTeams.teamId})` })
        .from(campaignTeams)
        .where(eq(campaignTeams.campaignId, campaigns.id))}), '{}')`,
      /** The caller is a member of a team working the campaign. */
      callerWorks: sql<boolean>`${exists(
        db
          .select({ one: sql`1` })
          .from(campaignTeams)
          .innerJoin(teamMembers, eq(teamMembers.teamId, campaignTeams.teamId))
          .where(and(eq(campaignTeams.campaignId, campaigns.id), eq(teamMembers.userId, userId))),
      )}`,
    })
    .from(campaigns)
    .where(eq(campaigns.id, campaignId));
  return row ?? null;
}

/**
 * Locks the caller's open shift, if any, before the queue row: the dialer's use cases lock the
 * shift first too, so a booking and an End Call on the same donor take turns.
 */
export async function lockCallerShift(db: DbOrTx, userId: number) {
  const [row] = await db
    .select({ id: shifts.id, callId: shifts.callId })
    .from(shifts)
    .where(and(eq(shifts.agentId, userId), isNull(shifts.closedAt)))
    .for('update');
  return row ?? null;
}

/** Locks the donor's queue row in the campaign, with the donor's name and zone. */
export async function lockBookingQueueRow(db: DbOrTx, campaignId: number, donorId: number) {
  const [row] = await db
    .select({
      state: campaignDonors.state,
      heldByShiftId: campaignDonors.heldByShiftId,
      donorName,
      donorTimeZone: donors.timeZone,
    })
    .from(campaignDonors)
    .innerJoin(donors, eq(donors.id, campaignDonors.donorId))
    .where(and(eq(campaignDonors.campaignId, campaignId), eq(campaignDonors.donorId, donorId)))
    .for('update', { of: campaignDonors });
  return row ?? null;
}

/** The open call a shift has with this donor in this campaign, if that is what holds the row. */
export async function openCallWith(
  db: DbOrTx,
  v: { callId: number; donorId: number; campaignId: number },
): Promise<boolean> {
  const rows = await db
    .select({ id: calls.id })
    .from(calls)
    .where(
      and(
        eq(calls.id, v.callId),
        eq(calls.donorId, v.donorId),
        eq(calls.campaignId, v.campaignId),
        isNull(calls.endedAt),
      ),
    );
  return rows.length > 0;
}

/**
 * Locks the donor's row (no key change) until the transaction ends: two call-back requests for one
 * donor (two calls from their number at once) book one after the other, so the second finds the first.
 */
export async function lockDonorForBooking(db: DbOrTx, donorId: number): Promise<void> {
  await db.select({ id: donors.id }).from(donors).where(eq(donors.id, donorId)).for('no key update');
}

/** The donor's scheduled call-back in the campaign, if there is one. */
export async function scheduledFor(db: DbOrTx, campaignId: number, donorId: number) {
  const [row] = await db
    .select({ id: appointments.id, scheduledAt: appointments.scheduledAt })
    .from(appointments)
    .where(
      and(
        eq(appointments.campaignId, campaignId),
        eq(appointments.donorId, donorId),
        eq(appointments.status, 'scheduled'),
      ),
    )
    .orderBy(asc(appointments.scheduledAt))
    .limit(1);
  return row ?? null;
}

export async function insertAppointment(
  db: DbOrTx,
  v: {
    donorId: number;
    campaignId: number;
    scheduledAt: Date;
    ownerAgentId: number | null;
    notes: string;
    bookedCallId: number | null;
    /** null: booked by the system (an inbound caller's call-back request). */
    createdBy: number | null;
    now: Date;
  },
): Promise<number> {
  const [row] = await db
    .insert(appointments)
    .values({
      donorId: v.donorId,
      campaignId: v.campaignId,
      scheduledAt: v.scheduledAt,
      ownerAgentId: v.ownerAgentId,
      notes: v.notes,
      bookedCallId: v.bookedCallId,
      createdBy: v.createdBy,
      createdAt: v.now,
      updatedAt: v.now,
    })
    .returning({ id: appointments.id });
  return row!.id;
}

/** Puts the call-back first in the dialer queue when it is due (the claim's first two legs). */
/**
 * Puts a call-back a caller asked for (bookRequestedCallback) in the campaign's queue, where the
 * dialer's claim finds due call-backs (campaign_donors_appointments_idx): a donor not in the queue
 * is added (an inbound line's campaign has no lists: its queue is the call-backs its lines book),
 * at the default list priority; one finished there is queued again, since they asked to be called.
 * A donor offered to an agent right now is left alone, as putInQueue does.
 */
export async function queueRequestedCallback(
  db: DbOrTx,
  v: { campaignId: number; donorId: number; appointmentId: number; at: Date },
): Promise<void> {
  await db.execute(sql`
    INSERT INTO campaign_donors (campaign_id, donor_id, priority, time_zone, country, blocked, next_attempt_at,
                                 appointment_id)
    SELECT ${v.campaignId}::int, d.id, 100, d.time_zone, d.country, engage_donor_blocked(d), ${v.at}::timestamptz,
           ${v.appointmentId}::int
      FROM donors d WHERE d.id = ${v.donorId}::int
    ON CONFLICT (campaign_id, donor_id) DO UPDATE
      SET appointment_id = excluded.appointment_id, appointment_owner_id = NULL,
          next_attempt_at = excluded.next_attempt_at, state = 'queued', finish_reason = NULL
      WHERE campaign_donors.held_by_shift_id IS NULL`);
}

export async function putInQueue(
  db: DbOrTx,
  v: { campaignId: number; donorId: number; appointmentId: number; ownerId: number | null; at: Date },
): Promise<void> {
  await db
    .update(campaignDonors)
    .set({ appointmentId: v.appointmentId, appointmentOwnerId: v.ownerId, nextAttemptAt: v.at })
    .where(
      and(
        eq(campaignDonors.campaignId, v.campaignId),
        eq(campaignDonors.donorId, v.donorId),
        isNull(campaignDonors.heldByShiftId),
      ),
    );
}
