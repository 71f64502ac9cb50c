import { and, eq, exists, inArray, isNull, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../db/client';
import {
  breakReasons,
  calls,
  campaigns,
  donors,
  inboundCallEvents,
  inboundCalls,
  inboundLines,
  jobRoles,
  offers,
  shifts,
  teamMembers,
  teams,
  users,
} from '../../db/schema';

const ringingCall = alias(inboundCalls, 'ringing_call');
const ringingLine = alias(inboundLines, 'ringing_line');
const answeredCall = alias(inboundCalls, 'answered_call');
const answeredLine = alias(inboundLines, 'answered_line');

/**
 * Agents signed in now, with what they are doing. `teamIds` null: every agent (admin); else the
 * agents working for, or members of, those teams.
 * An inbound call ringing the agent: the one call ringing them (inbound_calls_ringing_agent_key,
 * whether Engage rang them, shifts.ringing_inbound_call_id, or the phone system did), since its
 * latest ringing event (inbound_call_events_call_idx). The call they are on: its direction, and for
 * an inbound one its line (inbound_calls_call_id_key). Each is a primary-key or unique-index probe
 * per agent, never a scan of the calls.
 */
export function floor(db: DbOrTx, teamIds: number[] | null, now: Date) {
  return db
    .select({
      agentId: shifts.agentId,
      agentName: users.name,
      shiftId: shifts.id,
      jobRole: jobRoles.name,
      teamId: shifts.teamId,
      teamName: teams.name,
      campaignId: shifts.campaignId,
      campaignName: campaigns.name,
      state: shifts.state,
      stateSince: shifts.stateSince,
      breakReason: breakReasons.name,
      donorName: sql<string | null>`trim(${donors.firstName} || ' ' || ${donors.lastName})`,
      connected: sql<boolean>`${shifts.leaseExpiresAt} > ${now}::timestamptz`,
      leaseExpiresAt: shifts.leaseExpiresAt,
      ringingCallId: ringingCall.id,
      ringingLineId: ringingLine.id,
      ringingLineName: ringingLine.name,
      ringingSince: sql<Date | null>`(
        SELECT max(e.at) FROM ${inboundCallEvents} e
         WHERE e.inbound_call_id = ${ringingCall.id} AND e.type = 'ringing' AND e.agent_id = ${shifts.agentId}
      )`.mapWith(inboundCallEvents.at),
      callDirection: calls.direction,
      callLineId: answeredLine.id,
      callLineName: answeredLine.name,
    })
    .from(shifts)
    .innerJoin(users, eq(users.id, shifts.agentId))
    .innerJoin(jobRoles, eq(jobRoles.id, shifts.jobRoleId))
    .leftJoin(teams, eq(teams.id, shifts.teamId))
    .leftJoin(campaigns, eq(campaigns.id, shifts.campaignId))
    .leftJoin(breakReasons, eq(breakReasons.id, shifts.breakReasonId))
    .leftJoin(offers, eq(offers.id, shifts.offerId))
    .leftJoin(calls, eq(calls.id, shifts.callId))
    .leftJoin(donors, eq(donors.id, sql`COALESCE(${calls.donorId}, ${offers.donorId})`))
    .leftJoin(ringingCall, and(eq(ringingCall.ringingAgentId, shifts.agentId), eq(ringingCall.status, 'ringing')))
    .leftJoin(ringingLine, eq(ringingLine.id, ringingCall.lineId))
    .leftJoin(answeredCall, and(eq(calls.direction, 'inbound'), eq(answeredCall.callId, calls.id)))
    .leftJoin(answeredLine, eq(answeredLine.id, answeredCall.lineId))
    .where(
      and(
        isNull(shifts.closedAt),
        teamIds === null
          ? undefined
          : or(
              inArray(shifts.teamId, teamIds),
              inArray(
                shifts.agentId,
                db.select({ userId: teamMembers.userId }).from(teamMembers).where(inArray(teamMembers.teamId, teamIds)),
              ),
            ),
      ),
    )
    .orderBy(users.name);
}

/** Agents a manager may watch: members of the teams they lead. */
export async function membersOf(db: DbOrTx, teamIds: number[]): Promise<number[]> {
  const rows = await db
    .selectDistinct({ userId: teamMembers.userId })
    .from(teamMembers)
    .where(inArray(teamMembers.teamId, teamIds));
  return rows.map((x) => x.userId);
}

/** An open shift, locked for a manager's action on it (the shift first: the dialer's lock order). */
export async function lockOpenShift(db: DbOrTx, shiftId: number, teamIds: number[]) {
  const [row] = await db
    .select({
      id: shifts.id,
      agentId: shifts.agentId,
      agentName: users.name,
      teamId: shifts.teamId,
      state: shifts.state,
      callId: shifts.callId,
      offerId: shifts.offerId,
      /** whether the agent is a member of one of `teamIds` */
      member: sql<boolean>`${exists(
        db
          .select({ one: sql`1` })
          .from(teamMembers)
          .where(and(eq(teamMembers.userId, shifts.agentId), inArray(teamMembers.teamId, teamIds))),
      )}`,
    })
    .from(shifts)
    .innerJoin(users, eq(users.id, shifts.agentId))
    .where(and(eq(shifts.id, shiftId), isNull(shifts.closedAt)))
    .for('update', { of: shifts });
  return row ?? null;
}

export type LockedShiftRow = NonNullable<Awaited<ReturnType<typeof lockOpenShift>>>;
