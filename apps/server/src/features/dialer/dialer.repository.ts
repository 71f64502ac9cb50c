import type pg from 'pg';
import {
  dialerRefusalCodeSchema,
  type CampaignPurpose,
  type CampaignUnworkable,
  type DialerRefusalCode,
  type ShiftState,
} from '@engage/contracts';
import { PgDialect } from 'drizzle-orm/pg-core';
import { retryingConflicts, type PgClient } from '../../lib/tx';
import type { CallViewRow, OfferViewRow } from './dialer-views.repository';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import {
  END_ABANDONED_CALLS,
  OUT_OF_DATA_REASONS,
  queueFromLists,
  CLOSE_ABANDONED_SHIFTS,
  INSERT_SHIFT,
  MARK_MISSED_APPOINTMENTS,
  PRUNE_QUEUE,
  REMIND_DUE_APPOINTMENTS,
  REFRESH_DONORS_IN_QUEUES,
  SAVE_SHIFT,
  SWEEP_LAPSED_OFFERS,
} from './dialer.sql';

/**
 * The dialer's data access, in plain SQL on one pooled connection per transaction. Statements
 * that run on every cycle are named, so PostgreSQL parses and plans them once per connection.
 */

export interface ShiftRow {
  id: number;
  agent_id: number;
  job_role_id: number;
  state: ShiftState;
  state_since: Date;
  team_id: number | null;
  campaign_id: number | null;
  break_reason_id: number | null;
  offer_id: number | null;
  call_id: number | null;
  opened_at: Date;
  closed_at: Date | null;
  lease_expires_at: Date;
}

/** The agent's open shift, locked (dialer_open_shift), or null. */
export async function lockOpenShift(c: PgClient, agentId: number): Promise<ShiftRow | null> {
  const r = await c.query<ShiftRow>({
    name: 'dialer_lock_open_shift',
    text: 'SELECT * FROM dialer_open_shift($1) WHERE id IS NOT NULL',
    values: [agentId],
  });
  return r.rows[0] ?? null;
}

export async function insertShift(
  c: PgClient,
  v: { agentId: number; jobRoleId: number; now: Date; leaseUntil: Date },
): Promise<ShiftRow | null> {
  const r = await c.query<ShiftRow>(INSERT_SHIFT, [v.agentId, v.jobRoleId, v.now, v.leaseUntil]);
  return r.rows[0] ?? null;
}

/** Writes the whole state of a shift (dialer_shift_to: state_since moves only when the state changes). */
export async function saveShift(c: PgClient, s: ShiftRow, now: Date): Promise<ShiftRow> {
  const r = await c.query<ShiftRow>({
    name: 'dialer_save_shift',
    text: SAVE_SHIFT,
    values: [JSON.stringify(s), s.state, now],
  });
  return r.rows[0]!;
}

export async function extendLease(c: PgClient, agentId: number, until: Date): Promise<boolean> {
  const r = await c.query({
    name: 'dialer_extend_lease',
    text: 'UPDATE shifts SET lease_expires_at = $2 WHERE agent_id = $1 AND closed_at IS NULL',
    values: [agentId, until],
  });
  return (r.rowCount ?? 0) > 0;
}

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
  c: PgClient,
  campaignId: number,
  teamId: number,
  agentId: number,
  now: Date,
): Promise<CampaignForAgent | null> {
  const r = await c.query<CampaignForAgent>({
    name: 'dialer_campaign_for_agent',
    text: 'SELECT * FROM dialer_campaign_for_agent($1, $2, $3, $4)',
    values: [campaignId, teamId, agentId, now],
  });
  return r.rows[0] ?? null;
}

/** Whether the agent is a member of the team (false for a team that does not exist). */
export async function isTeamMember(c: PgClient, teamId: number, agentId: number): Promise<boolean> {
  const r = await c.query<{ member: boolean }>({
    name: 'dialer_is_team_member',
    text: 'SELECT EXISTS (SELECT 1 FROM team_members WHERE team_id = $1 AND user_id = $2) AS member',
    values: [teamId, agentId],
  });
  return r.rows[0]?.member ?? false;
}

export interface ClaimParams {
  campaignId: number;
  now: Date;
  maxAttempts: number;
}

export interface OutOfDataRow {
  total: number;
  finished: number;
  do_not_call: number;
  no_phone: number;
  max_attempts: number;
  held_by_others: number;
  waiting_retry: number;
  outside_hours: number;
  callable_now: number;
  next_retry_at: Date | null;
  next_opening_at: Date | null;
  /** When calling opens next, in the donor's words: "09:00" (today), "Monday 09:00". */
  next_opening_local: string | null;
}

export async function outOfDataReasons(c: PgClient, p: ClaimParams): Promise<OutOfDataRow> {
  const r = await c.query<OutOfDataRow>(OUT_OF_DATA_REASONS, [p.campaignId, p.now, p.maxAttempts]);
  return r.rows[0]!;
}

/** Gives back the donor of an open offer (dialer_release_offer); nothing for an offer no longer open. */
export async function releaseOffer(c: PgClient, v: { offerId: number; shiftId: number; now: Date }): Promise<void> {
  await c.query({
    name: 'dialer_release_offer',
    text: 'SELECT dialer_release_offer($1, $2, $3)',
    values: [v.offerId, v.shiftId, v.now],
  });
}

/** What a manager's correction of a call's end reason did (dialer_correct_outcome, sql/dialer-use-cases.sql). */
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
export async function correctOutcome(c: PgClient, callId: number, now: Date): Promise<CorrectedOutcomeRow> {
  const r = await c.query<{ out: CorrectedOutcomeRow }>('SELECT dialer_correct_outcome($1, $2) AS out', [callId, now]);
  return r.rows[0]!.out;
}

export async function findBreakReason(
  c: PgClient,
  id: number,
): Promise<{ id: number; name: string; retired_at: Date | null } | null> {
  const r = await c.query<{ id: number; name: string; retired_at: Date | null }>(
    'SELECT id, name, retired_at FROM break_reasons WHERE id = $1',
    [id],
  );
  return r.rows[0] ?? null;
}

export async function findJobRole(
  c: PgClient,
  id: number,
): Promise<{ id: number; name: string; outbound: boolean; retired_at: Date | null } | null> {
  const r = await c.query<{ id: number; name: string; outbound: boolean; retired_at: Date | null }>(
    'SELECT id, name, outbound, retired_at FROM job_roles WHERE id = $1',
    [id],
  );
  return r.rows[0] ?? null;
}

export async function sweepLapsedOffers(c: PgClient, now: Date): Promise<{ expired: number; idled: number }> {
  const r = await c.query<{ expired: number; idled: number }>(SWEEP_LAPSED_OFFERS, [now]);
  return r.rows[0]!;
}

/** Shifts whose browser has been gone this long and that have no open call are closed. */
export async function closeAbandonedShifts(c: PgClient, now: Date, cutoff: Date): Promise<number> {
  const r = await c.query<{ closed: number }>(CLOSE_ABANDONED_SHIFTS, [now, cutoff]);
  return r.rows[0]!.closed;
}
/** Open calls of shifts whose screen has been gone since `cutoff` are ended by the system. */
export async function endAbandonedCalls(c: PgClient, now: Date, cutoff: Date): Promise<number> {
  const r = await c.query<{ ended: number }>(END_ABANDONED_CALLS, [now, cutoff]);
  return r.rows[0]!.ended;
}

/** Who ends a shift's call or the shift when it is not the agent: end_reasons.system_key. */
export type SystemEndBy = 'system' | 'manager';

/** A shift as the system left it (dialer_end_shift and friends), in the caller's transaction. */
export type EndedShiftRow = {
  id: number;
  agent_id: number;
  state: ShiftState;
  call_id: number | null;
  offer_id: number | null;
  closed: boolean;
};

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

const dialect = new PgDialect();

/** Puts the donors of a campaign's connected lists (or of every campaign) into its queue. */
export async function syncQueue(c: PgClient, campaignId: number | null, now: Date): Promise<number> {
  const q = dialect.sqlToQuery(queueFromLists(campaignId, now));
  const r = await c.query(q.sql, q.params);
  return r.rowCount ?? 0;
}

export async function pruneQueue(c: PgClient, campaignId: number): Promise<number> {
  const r = await c.query(PRUNE_QUEUE, [campaignId]);
  return r.rowCount ?? 0;
}

export async function refreshDonorsInQueues(c: PgClient, donorIds: number[]): Promise<void> {
  await c.query(REFRESH_DONORS_IN_QUEUES, [donorIds]);
}

export async function campaignsOfList(c: PgClient, listId: number): Promise<number[]> {
  const r = await c.query<{ campaign_id: number }>('SELECT campaign_id FROM campaign_lists WHERE list_id = $1', [
    listId,
  ]);
  return r.rows.map((x) => x.campaign_id);
}

export async function campaignRules(
  c: PgClient,
  campaignId: number,
): Promise<{ name: string; calling_hours_start: string; calling_hours_end: string; max_attempts: number } | null> {
  const r = await c.query<{
    name: string;
    calling_hours_start: string;
    calling_hours_end: string;
    max_attempts: number;
  }>(
    `SELECT name, to_char(calling_hours_start, 'HH24:MI') AS calling_hours_start,
            CASE WHEN calling_hours_end = '24:00' THEN '24:00' ELSE to_char(calling_hours_end, 'HH24:MI') END AS calling_hours_end,
            max_attempts
       FROM campaigns WHERE id = $1`,
    [campaignId],
  );
  return r.rows[0] ?? null;
}

export async function remindDueAppointments(c: PgClient, now: Date): Promise<number> {
  const r = await c.query<{ reminded: number }>(REMIND_DUE_APPOINTMENTS, [now]);
  return r.rows[0]?.reminded ?? 0;
}

export async function markMissedAppointments(c: PgClient, now: Date): Promise<number> {
  const r = await c.query<{ missed: number }>(MARK_MISSED_APPOINTMENTS, [now]);
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

/** Timestamps in a routine's JSON answer become Dates, as the driver gives them for rows. */
function revive(value: unknown, key = ''): unknown {
  if (typeof value === 'string' && (key.endsWith('_at') || key.endsWith('_since'))) return new Date(value);
  if (Array.isArray(value)) return value.map((v) => revive(v));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v, k)]));
  }
  return value;
}

/** Runs one routine (one statement, its own transaction), again on a deadlock. */
async function routine<T>(pool: pg.Pool, name: string, text: string, values: unknown[]): Promise<T> {
  try {
    const r = await retryingConflicts(() => pool.query<{ result: unknown }>({ name, text, values }));
    return revive(r.rows[0]!.result) as T;
  } catch (err) {
    const e = err as { code?: string; message: string; detail?: string };
    if (e.code === 'EG001') {
      const code = dialerRefusalCodeSchema.safeParse(e.message);
      if (!code.success) throw new Error(`unknown dialer refusal ${e.message}`, { cause: err });
      throw new Refusal(code.data, e.detail ? (JSON.parse(e.detail) as Record<string, unknown>) : {});
    }
    throw err;
  }
}

export type NextDonorResult =
  | { shift: ShiftRow; offer: OfferViewRow; campaign?: undefined }
  | { shift: ShiftRow; offer?: undefined; campaign: CampaignForAgent };

export function nextDonor(pool: pg.Pool, v: { agentId: number; now: Date; leaseUntil: Date }) {
  return routine<NextDonorResult>(pool, 'dialer_next_donor', 'SELECT dialer_next_donor($1, $2, $3) AS result', [
    v.agentId,
    v.now,
    v.leaseUntil,
  ]);
}

export type StartCallResult =
  { shift: ShiftRow; call: CallViewRow; expired?: undefined } | { shift: ShiftRow; expired: true; call?: undefined };

export function startCall(pool: pg.Pool, v: { agentId: number; offerId: number; now: Date; leaseUntil: Date }) {
  return routine<StartCallResult>(pool, 'dialer_start_call', 'SELECT dialer_start_call($1, $2, $3, $4) AS result', [
    v.agentId,
    v.offerId,
    v.now,
    v.leaseUntil,
  ]);
}

export function skipOffer(
  pool: pg.Pool,
  v: { agentId: number; offerId: number; skipReasonId: number; notes: string | null; now: Date; leaseUntil: Date },
) {
  return routine<{ shift: ShiftRow }>(
    pool,
    'dialer_skip_offer',
    'SELECT dialer_skip_offer($1, $2, $3, $4, $5, $6) AS result',
    [v.agentId, v.offerId, v.skipReasonId, v.notes, v.now, v.leaseUntil],
  );
}

export interface EndCallResult {
  /** null when the call was not the shift's open call (already moved on), or on a replay */
  shift?: ShiftRow | null;
  call: CallViewRow;
  replayed?: true;
}

export function endCall(
  pool: pg.Pool,
  v: {
    agentId: number;
    callId: number;
    endReasonId: number;
    notes: string | null;
    appointment: { at: Date; personal: boolean; notes: string | null } | null;
    idempotencyKey: string | null;
    requestHash: string | null;
    now: Date;
    leaseUntil: Date;
  },
) {
  return routine<EndCallResult>(
    pool,
    'dialer_end_call',
    'SELECT dialer_end_call($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) AS result',
    [
      v.agentId,
      v.callId,
      v.endReasonId,
      v.notes,
      v.appointment?.at ?? null,
      v.appointment?.personal ?? null,
      v.appointment?.notes ?? null,
      v.idempotencyKey,
      v.requestHash,
      v.now,
      v.leaseUntil,
    ],
  );
}

/** What checking a call-back chosen at End Call needs: the call's campaign and donor, the reason. */
export async function callForBooking(
  c: PgClient,
  v: { callId: number; agentId: number; endReasonId: number },
): Promise<{ campaign_id: number | null; team_id: number | null; donor_id: number; books: boolean } | null> {
  const r = await c.query<{ campaign_id: number | null; team_id: number | null; donor_id: number; books: boolean }>(
    `SELECT cl.campaign_id, cl.team_id, cl.donor_id,
            EXISTS (SELECT 1 FROM end_reasons er WHERE er.id = $3 AND er.outcome = 'appointment') AS books
       FROM calls cl
      WHERE cl.id = $1 AND cl.agent_id = $2 AND cl.ended_at IS NULL`,
    [v.callId, v.agentId, v.endReasonId],
  );
  return r.rows[0] ?? null;
}
