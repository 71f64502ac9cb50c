import {
  dialerRefusalCodeSchema,
  type CampaignPurpose,
  type CampaignUnworkable,
  type DialerRefusalCode,
  type OutOfDataReasons,
} from '@engage/contracts';
import { and, DrizzleQueryError, eq, isNull, notExists, sql, type SQL } from 'drizzle-orm';
import { readTimestamp, type Db, type DbOrTx } from '../../db/client';
import {
  breakReasons,
  calls,
  campaignDonors,
  campaignLists,
  campaigns,
  endReasons,
  jobRoles,
  listMembers,
  shifts,
  teamMembers,
} from '../../db/schema';
import { retryingConflicts } from '../../lib/tx';
import type { CallViewRow, OfferViewRow } from './dialer-views.repository';
import {
  END_ABANDONED_CALLS,
  OUT_OF_DATA_REASONS,
  queueFromLists,
  CLOSE_ABANDONED_SHIFTS,
  MARK_MISSED_APPOINTMENTS,
  REMIND_DUE_APPOINTMENTS,
  REFRESH_DONORS_IN_QUEUES,
  SAVE_SHIFT,
  SWEEP_LAPSED_OFFERS,
} from './dialer.sql';
import { timeOfDay } from '../../db/time-of-day';

/**
 * The dialer's data access, through Drizzle: one pooled connection per transaction. The use
 * cases that run on every cycle are PL/pgSQL routines (./sql), called by named statements, so
 * PostgreSQL parses and plans them once per connection.
 *
 * A routine's result keeps the type written next to its call: it is the routine's declared
 * RETURNS (a table's row, RETURNS TABLE, or the JSON it builds), in the routine's snake_case.
 */

type SnakeCase<S extends string> = S extends `${infer H}${infer T}`
  ? `${H extends Lowercase<H> ? H : `_${Lowercase<H>}`}${SnakeCase<T>}`
  : S;

/** A table's row as PL/pgSQL hands it back (`RETURNS shifts`, `row_to_json`): snake_case columns. */
export type SqlRow<T> = { [K in keyof T as SnakeCase<K & string>]: T[K] };

/** A shift as the routines return it (RETURNS shifts). */
export type ShiftRow = SqlRow<typeof shifts.$inferSelect>;

/** Timestamps in a routine's answer (text in Drizzle's rows, strings in JSON) become Dates. */
function revive(value: unknown, key = ''): unknown {
  if (typeof value === 'string' && (key.endsWith('_at') || key.endsWith('_since'))) return new Date(value);
  if (Array.isArray(value)) return value.map((v) => revive(v));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v, k)]));
  }
  return value;
}

/** The rows of a statement whose columns are a routine's, timestamps as Dates. */
export async function routineRows<T>(tx: DbOrTx, query: SQL): Promise<T[]> {
  const r = await tx.execute(query);
  return r.rows.map((row) => revive(row) as T);
}

/** The agent's open shift, locked (dialer_open_shift), or null. */
export async function lockOpenShift(tx: DbOrTx, agentId: number): Promise<ShiftRow | null> {
  const [row] = await routineRows<ShiftRow>(tx, sql`SELECT * FROM dialer_open_shift(${agentId}) WHERE id IS NOT NULL`);
  return row ?? null;
}

const SHIFT_ROW = {
  id: shifts.id,
  agent_id: shifts.agentId,
  job_role_id: shifts.jobRoleId,
  state: shifts.state,
  state_since: shifts.stateSince,
  team_id: shifts.teamId,
  campaign_id: shifts.campaignId,
  break_reason_id: shifts.breakReasonId,
  offer_id: shifts.offerId,
  call_id: shifts.callId,
  ringing_inbound_call_id: shifts.ringingInboundCallId,
  inbound_misses_in_row: shifts.inboundMissesInRow,
  opened_at: shifts.openedAt,
  closed_at: shifts.closedAt,
  lease_expires_at: shifts.leaseExpiresAt,
  idle_since: shifts.idleSince,
} satisfies Record<keyof ShiftRow, unknown>;

/** Opens a shift (one per agent: the partial unique index refuses a second); null when one is open. */
export async function insertShift(
  tx: DbOrTx,
  v: { agentId: number; jobRoleId: number; now: Date; leaseUntil: Date },
): Promise<ShiftRow | null> {
  const [row] = await tx
    .insert(shifts)
    .values({
      agentId: v.agentId,
      jobRoleId: v.jobRoleId,
      state: 'signed_in',
      stateSince: v.now,
      openedAt: v.now,
      idleSince: v.now,
      leaseExpiresAt: v.leaseUntil,
    })
    .onConflictDoNothing({ target: shifts.agentId, where: isNull(shifts.closedAt) })
    .returning(SHIFT_ROW);
  return row ?? null;
}

/** Writes the whole state of a shift (dialer_shift_to: state_since moves only when the state changes). */
export async function saveShift(tx: DbOrTx, s: ShiftRow, now: Date): Promise<ShiftRow> {
  const [row] = await routineRows<ShiftRow>(tx, SAVE_SHIFT(s, now));
  return row!;
}

/** The agent's open shift's id and inbound ringing mark, read without a lock (getShift's poll). */
export async function findOpenShift(tx: DbOrTx, agentId: number) {
  const [row] = await tx
    .select({ id: shifts.id, ringingInboundCallId: shifts.ringingInboundCallId })
    .from(shifts)
    .where(and(eq(shifts.agentId, agentId), isNull(shifts.closedAt)));
  return row ?? null;
}

export async function extendLease(db: DbOrTx, agentId: number, until: Date): Promise<boolean> {
  const r = await db
    .update(shifts)
    .set({ leaseExpiresAt: until })
    .where(and(eq(shifts.agentId, agentId), isNull(shifts.closedAt)));
  return (r.rowCount ?? 0) > 0;
}

/** dialer_campaign_for_agent's RETURNS TABLE. */
export interface CampaignForAgent {
  id: number;
  name: string;
  purpose: CampaignPurpose;
  status: 'draft' | 'active' | 'paused' | 'finished';
  starts_on: string | null;
  ends_on: string | null;
  calling_hours_start: string;
  calling_hours_end: string;
  max_attempts: number;
  hold_seconds: number;
  appointment_grace_minutes: number;
  script: string;
  team_name: string | null;
  team_works_campaign: boolean;
  agent_in_team: boolean;
  list_count: number;
  /** Why the campaign cannot be worked now (engage_campaign_unworkable); null: it can. */
  unworkable: CampaignUnworkable | null;
}

/** The campaign with what the rules need to know about this agent and team at `now`. */
export async function campaignForAgent(
  tx: DbOrTx,
  campaignId: number,
  teamId: number,
  agentId: number,
  now: Date,
): Promise<CampaignForAgent | null> {
  const [row] = await routineRows<CampaignForAgent>(
    tx,
    sql`SELECT * FROM dialer_campaign_for_agent(${campaignId}, ${teamId}, ${agentId}, ${now})`,
  );
  return row ?? null;
}

/** Whether the agent is a member of the team (false for a team that does not exist). */
export async function isTeamMember(tx: DbOrTx, teamId: number, agentId: number): Promise<boolean> {
  const rows = await tx
    .select({ one: sql`1` })
    .from(teamMembers)
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, agentId)))
    .limit(1);
  return rows.length > 0;
}

export interface ClaimParams {
  campaignId: number;
  now: Date;
  maxAttempts: number;
}

/**
 * OUT_OF_DATA_REASONS's row: the contract's counts (its columns are named after them), how many are
 * callable now, when the next retry and opening fall, and the opening in the donor's words.
 */
type OutOfDataRow = OutOfDataReasons & {
  callableNow: number;
  nextRetryAt: string | null;
  nextOpeningAt: string | null;
  nextOpeningLocal: string | null;
};

export async function outOfDataReasons(tx: DbOrTx, p: ClaimParams) {
  const r = await tx.execute<OutOfDataRow>(OUT_OF_DATA_REASONS(p.campaignId, p.now, p.maxAttempts));
  const row = r.rows[0]!;
  return {
    ...row,
    nextRetryAt: row.nextRetryAt === null ? null : readTimestamp(row.nextRetryAt),
    nextOpeningAt: row.nextOpeningAt === null ? null : readTimestamp(row.nextOpeningAt),
  };
}

/** Gives back the donor of an open offer (dialer_release_offer); nothing for an offer no longer open. */
export async function releaseOffer(tx: DbOrTx, v: { offerId: number; shiftId: number; now: Date }): Promise<void> {
  await tx.execute(sql`SELECT dialer_release_offer(${v.offerId}, ${v.shiftId}, ${v.now})`);
}

/** What a manager's correction of a call's end reason did (dialer_correct_outcome's JSON, sql/dialer-use-cases.sql). */
export interface CorrectedOutcomeRow {
  flagged: boolean;
  callback_cancelled: number | null;
  queue: 'finished' | 'requeued' | 'callback' | 'unchanged';
  next_attempt_at: string | null;
  kept: 'held' | 'later_call' | 'callback_pending' | 'removed' | 'not_in_queue' | 'no_campaign' | null;
  /** The donor is marked do not call, deceased or suppressed, or has no phone: no campaign offers them. */
  blocked: boolean;
}

/** Applies the (already written) end reason of a locked, ended call to the donor. */
export async function correctOutcome(tx: DbOrTx, callId: number, now: Date): Promise<CorrectedOutcomeRow> {
  const r = await tx.execute<{ out: CorrectedOutcomeRow }>(
    sql`SELECT dialer_correct_outcome(${callId}, ${now}) AS out`,
  );
  return r.rows[0]!.out;
}

export async function findBreakReason(tx: DbOrTx, id: number) {
  const [row] = await tx
    .select({ id: breakReasons.id, name: breakReasons.name, retiredAt: breakReasons.retiredAt })
    .from(breakReasons)
    .where(eq(breakReasons.id, id));
  return row ?? null;
}

export async function findJobRole(tx: DbOrTx, id: number) {
  const [row] = await tx
    .select({ id: jobRoles.id, name: jobRoles.name, outbound: jobRoles.outbound, retiredAt: jobRoles.retiredAt })
    .from(jobRoles)
    .where(eq(jobRoles.id, id));
  return row ?? null;
}

export async function sweepLapsedOffers(tx: DbOrTx, now: Date): Promise<{ expired: number; idled: number }> {
  const r = await tx.execute<{ expired: number; idled: number }>(SWEEP_LAPSED_OFFERS(now));
  return r.rows[0]!;
}

/** Shifts whose browser has been gone this long and that have no open call are closed. */
export async function closeAbandonedShifts(tx: DbOrTx, now: Date, cutoff: Date): Promise<number> {
  const r = await tx.execute<{ closed: number }>(CLOSE_ABANDONED_SHIFTS(now, cutoff));
  return r.rows[0]!.closed;
}
/** Open calls of shifts whose screen has been gone since `cutoff` are ended by the system. */
export async function endAbandonedCalls(tx: DbOrTx, now: Date, cutoff: Date): Promise<number> {
  const r = await tx.execute<{ ended: number }>(END_ABANDONED_CALLS(now, cutoff));
  return r.rows[0]!.ended;
}

/** Who ends a shift's call or the shift when it is not the agent: end_reasons.system_key. */
export type SystemEndBy = 'system' | 'manager';

/** A shift as the system left it (dialer_end_shift and friends), in the caller's transaction. */
export type EndedShiftRow = Pick<ShiftRow, 'id' | 'agent_id' | 'state' | 'call_id' | 'offer_id'> & { closed: boolean };

async function endedShifts(tx: DbOrTx, query: ReturnType<typeof sql>): Promise<EndedShiftRow[]> {
  const r = await tx.execute<EndedShiftRow>(query);
  return r.rows;
}

const ENDED_COLUMNS = sql.raw('s.id, s.agent_id, s.state, s.call_id, s.offer_id, s.closed_at IS NOT NULL AS closed');

/** Signs out the open shift of each of `agentIds` now (dialer_end_shift). */
export function endShiftsOfAgents(tx: DbOrTx, agentIds: number[], by: SystemEndBy, now: Date) {
  return endedShifts(
    tx,
    sql`SELECT ${ENDED_COLUMNS} FROM shifts o CROSS JOIN LATERAL dialer_end_shift(o.id, ${by}, ${now}) s
         WHERE o.agent_id = ANY(${sql.param(agentIds)}::int[]) AND o.closed_at IS NULL AND s.id IS NOT NULL`,
  );
}

/** The agent of an open shift, read without a lock; null when it is closed. */
export async function agentOfOpenShift(tx: DbOrTx, shiftId: number): Promise<number | null> {
  const [row] = await tx
    .select({ agentId: shifts.agentId })
    .from(shifts)
    .where(and(eq(shifts.id, shiftId), isNull(shifts.closedAt)));
  return row?.agentId ?? null;
}

/** Signs out one open shift now (dialer_end_shift); null when it is closed already. */
export async function endShift(tx: DbOrTx, shiftId: number, by: SystemEndBy, now: Date) {
  const [row] = await endedShifts(
    tx,
    sql`SELECT ${ENDED_COLUMNS} FROM dialer_end_shift(${shiftId}, ${by}, ${now}) s WHERE s.id IS NOT NULL`,
  );
  return row ?? null;
}

/** Ends a shift's open call now (dialer_system_end_call); null when the shift is closed. */
export async function systemEndCall(tx: DbOrTx, shiftId: number, by: SystemEndBy, now: Date) {
  const [row] = await endedShifts(
    tx,
    sql`SELECT ${ENDED_COLUMNS} FROM dialer_system_end_call(${shiftId}, ${by}, ${now}) s WHERE s.id IS NOT NULL`,
  );
  return row ?? null;
}

/** Releases the donor a previewing shift holds (dialer_release_shift_offer); null when the shift is closed. */
export async function releaseShiftOffer(tx: DbOrTx, shiftId: number, now: Date) {
  const [row] = await endedShifts(
    tx,
    sql`SELECT ${ENDED_COLUMNS} FROM dialer_release_shift_offer(${shiftId}, ${now}) s WHERE s.id IS NOT NULL`,
  );
  return row ?? null;
}

/** Puts the donors of a campaign's connected lists (or of every campaign) into its queue. */
export async function syncQueue(tx: DbOrTx, campaignId: number | null, now: Date): Promise<number> {
  const r = await tx.execute(queueFromLists(campaignId, now));
  return r.rowCount ?? 0;
}

/** Takes out of a campaign's queue the donors no longer on any of its lists and never called. */
export async function pruneQueue(tx: DbOrTx, campaignId: number): Promise<number> {
  const cd = campaignDonors;
  const r = await tx.delete(cd).where(
    and(
      eq(cd.campaignId, campaignId),
      eq(cd.state, 'queued'),
      eq(cd.attempts, 0),
      isNull(cd.heldByShiftId),
      notExists(
        tx
          .select({ one: sql`1` })
          .from(campaignLists)
          .innerJoin(listMembers, eq(listMembers.listId, campaignLists.listId))
          .where(and(eq(campaignLists.campaignId, campaignId), eq(listMembers.donorId, cd.donorId))),
      ),
    ),
  );
  return r.rowCount ?? 0;
}

export async function refreshDonorsInQueues(tx: DbOrTx, donorIds: number[]): Promise<void> {
  await tx.execute(REFRESH_DONORS_IN_QUEUES(donorIds));
}

export async function campaignsOfList(tx: DbOrTx, listId: number): Promise<number[]> {
  const rows = await tx
    .select({ campaignId: campaignLists.campaignId })
    .from(campaignLists)
    .where(eq(campaignLists.listId, listId));
  return rows.map((x) => x.campaignId);
}

export async function campaignRules(tx: DbOrTx, campaignId: number) {
  const [row] = await tx
    .select({
      name: campaigns.name,
      callingHoursStart: timeOfDay(campaigns.callingHoursStart),
      callingHoursEnd: timeOfDay(campaigns.callingHoursEnd),
      maxAttempts: campaigns.maxAttempts,
    })
    .from(campaigns)
    .where(eq(campaigns.id, campaignId));
  return row ?? null;
}

export async function remindDueAppointments(tx: DbOrTx, now: Date): Promise<number> {
  const r = await tx.execute<{ reminded: number }>(REMIND_DUE_APPOINTMENTS(now));
  return r.rows[0]?.reminded ?? 0;
}

export async function markMissedAppointments(tx: DbOrTx, now: Date): Promise<number> {
  const r = await tx.execute<{ missed: number }>(MARK_MISSED_APPOINTMENTS(now));
  return r.rows[0]?.missed ?? 0;
}

/** A refusal raised by one of the dialer's routines (SQLSTATE EG001, dialer_refuse): nothing was written. */
export class Refusal extends Error {
  constructor(
    readonly code: DialerRefusalCode,
    readonly detail: Record<string, unknown>,
  ) {
    super(code);
  }
}

const pgError = (err: unknown): unknown => (err instanceof DrizzleQueryError ? err.cause : err);

/**
 * A use case's routine (RETURNS json), called by a named statement on the pool: one statement,
 * its own transaction, run again on a deadlock. Its refusal becomes a `Refusal`.
 */
function routine<T>(db: Db, name: string, call: SQL) {
  const query = db
    .select({ result: sql<unknown>`result` })
    .from(sql`${call} AS result`)
    .prepare(name);
  return async (values: Record<string, unknown>): Promise<T> => {
    try {
      // PostgreSQL's own error (Drizzle wraps it), so that a deadlock is retried and a refusal read.
      const run = async () => {
        try {
          return await query.execute(values);
        } catch (err) {
          throw pgError(err);
        }
      };
      const [row] = await retryingConflicts(run);
      return revive(row!.result) as T;
    } catch (err) {
      const e = err as { code?: string; message: string; detail?: string };
      if (e.code === 'EG001') {
        const code = dialerRefusalCodeSchema.safeParse(e.message);
        if (!code.success) throw new Error(`unknown dialer refusal ${e.message}`, { cause: err });
        throw new Refusal(code.data, e.detail ? (JSON.parse(e.detail) as Record<string, unknown>) : {});
      }
      throw err;
    }
  };
}

const p = (name: string) => sql.placeholder(name);

export type NextDonorResult =
  | { shift: ShiftRow; offer: OfferViewRow; campaign?: undefined }
  | { shift: ShiftRow; offer?: undefined; campaign: CampaignForAgent };

export type StartCallResult =
  { shift: ShiftRow; call: CallViewRow; expired?: undefined } | { shift: ShiftRow; expired: true; call?: undefined };

export interface EndCallResult {
  /** null when the call was not the shift's open call (already moved on), or on a replay */
  shift?: ShiftRow | null;
  call: CallViewRow;
  replayed?: true;
}

/** The use cases an agent's screen drives, each one routine (sql/dialer-use-cases.sql), prepared on `db`. */
export function useCaseRoutines(db: Db) {
  const nextDonor = routine<NextDonorResult>(
    db,
    'dialer_next_donor',
    sql`dialer_next_donor(${p('agentId')}, ${p('now')}, ${p('leaseUntil')})`,
  );
  const startCall = routine<StartCallResult>(
    db,
    'dialer_start_call',
    sql`dialer_start_call(${p('agentId')}, ${p('offerId')}, ${p('now')}, ${p('leaseUntil')})`,
  );
  const skipOffer = routine<{ shift: ShiftRow }>(
    db,
    'dialer_skip_offer',
    sql`dialer_skip_offer(${p('agentId')}, ${p('offerId')}, ${p('skipReasonId')}, ${p('notes')}, ${p('now')}, ${p('leaseUntil')})`,
  );
  const endCall = routine<EndCallResult>(
    db,
    'dialer_end_call',
    sql`dialer_end_call(${p('agentId')}, ${p('callId')}, ${p('endReasonId')}, ${p('notes')}, ${p('appointmentAt')},
                        ${p('appointmentPersonal')}, ${p('appointmentNotes')}, ${p('idempotencyKey')},
                        ${p('requestHash')}, ${p('now')}, ${p('leaseUntil')})`,
  );
  return {
    nextDonor: (v: { agentId: number; now: Date; leaseUntil: Date }) => nextDonor(v),
    startCall: (v: { agentId: number; offerId: number; now: Date; leaseUntil: Date }) => startCall(v),
    skipOffer: (v: {
      agentId: number;
      offerId: number;
      skipReasonId: number;
      notes: string | null;
      now: Date;
      leaseUntil: Date;
    }) => skipOffer(v),
    endCall: (v: {
      agentId: number;
      callId: number;
      endReasonId: number;
      notes: string | null;
      appointment: { at: Date; personal: boolean; notes: string | null } | null;
      idempotencyKey: string | null;
      requestHash: string | null;
      now: Date;
      leaseUntil: Date;
    }) =>
      endCall({
        agentId: v.agentId,
        callId: v.callId,
        endReasonId: v.endReasonId,
        notes: v.notes,
        appointmentAt: v.appointment?.at ?? null,
        appointmentPersonal: v.appointment?.personal ?? null,
        appointmentNotes: v.appointment?.notes ?? null,
        idempotencyKey: v.idempotencyKey,
        requestHash: v.requestHash,
        now: v.now,
        leaseUntil: v.leaseUntil,
      }),
  };
}

/** What checking a call-back chosen at End Call needs: the call's campaign and donor, the reason. */
export async function callForBooking(tx: DbOrTx, v: { callId: number; agentId: number; endReasonId: number }) {
  const [row] = await tx
    .select({
      campaignId: calls.campaignId,
      teamId: calls.teamId,
      donorId: calls.donorId,
      books: sql<boolean>`EXISTS (${tx
        .select({ one: sql`1` })
        .from(endReasons)
        .where(and(eq(endReasons.id, v.endReasonId), eq(endReasons.outcome, 'appointment')))})`,
    })
    .from(calls)
    .where(and(eq(calls.id, v.callId), eq(calls.agentId, v.agentId), isNull(calls.endedAt)));
  return row ?? null;
}

/** Announces a shift's change (shift.changed, dialer_shift_event) when the caller's transaction commits. */
export async function notifyShift(tx: DbOrTx, shiftId: number): Promise<void> {
  await tx.execute(sql`SELECT pg_notify('engage_events', dialer_shift_event(s)) FROM shifts s WHERE s.id = ${shiftId}`);
}

/** Records an answered inbound call (no offer, perhaps no donor yet); answers its id. */
export async function insertInboundCall(
  tx: DbOrTx,
  v: {
    agentId: number;
    shiftId: number;
    campaignId: number;
    teamId: number | null;
    donorId: number | null;
    phone: string | null;
    now: Date;
  },
): Promise<number> {
  const [row] = await tx
    .insert(calls)
    .values({
      direction: 'inbound',
      agentId: v.agentId,
      shiftId: v.shiftId,
      donorId: v.donorId,
      campaignId: v.campaignId,
      teamId: v.teamId,
      phoneDialled: v.phone,
      startedAt: v.now,
      updatedAt: v.now,
    })
    .returning({ id: calls.id });
  return row!.id;
}

/** A call, locked for a change while the agent is on it (the inbound caller's donor). */
export async function lockCall(tx: DbOrTx, callId: number) {
  const r = await tx
    .select({
      id: calls.id,
      agentId: calls.agentId,
      shiftId: calls.shiftId,
      direction: calls.direction,
      donorId: calls.donorId,
      phoneDialled: calls.phoneDialled,
      endedAt: calls.endedAt,
    })
    .from(calls)
    .where(eq(calls.id, callId))
    .for('update');
  return r[0] ?? null;
}

/** The donor of an open call (an inbound caller linked by the agent). */
export async function setCallDonor(tx: DbOrTx, callId: number, donorId: number, now: Date): Promise<void> {
  await tx.update(calls).set({ donorId, updatedAt: now }).where(eq(calls.id, callId));
}
