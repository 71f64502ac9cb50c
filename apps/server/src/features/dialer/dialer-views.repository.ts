import type { CampaignPurpose } from '@engage/contracts';
import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../db/client';
import type { calls, endReasons } from '../../db/schema';
import {
  appointments,
  breakReasons,
  campaignLists,
  campaigns,
  campaignTeams,
  donors,
  jobRoles,
  shifts,
  teamMembers,
  teams,
  users,
} from '../../db/schema';
import { routineRows, type SqlRow } from './dialer.repository';
import { timeOfDay } from '../../db/time-of-day';

/** Read models for the agent's screens: the shift, the offer's donor card, calls, appointments. */

export async function shiftView(tx: DbOrTx, shiftId: number) {
  const [row] = await tx
    .select({
      id: shifts.id,
      state: shifts.state,
      stateSince: shifts.stateSince,
      openedAt: shifts.openedAt,
      jobRoleId: shifts.jobRoleId,
      jobRoleName: jobRoles.name,
      jobRoleOutbound: jobRoles.outbound,
      jobRoleInbound: jobRoles.inbound,
      teamId: shifts.teamId,
      teamName: teams.name,
      campaignId: shifts.campaignId,
      campaignName: campaigns.name,
      breakReasonId: shifts.breakReasonId,
      breakReasonName: breakReasons.name,
      breakReasonSystemKey: breakReasons.systemKey,
      offerId: shifts.offerId,
      callId: shifts.callId,
    })
    .from(shifts)
    .innerJoin(jobRoles, eq(jobRoles.id, shifts.jobRoleId))
    .leftJoin(teams, eq(teams.id, shifts.teamId))
    .leftJoin(campaigns, eq(campaigns.id, shifts.campaignId))
    .leftJoin(breakReasons, eq(breakReasons.id, shifts.breakReasonId))
    .where(eq(shifts.id, shiftId));
  return row ?? null;
}

/**
 * A row of the view dialer_offer_v (sql/dialer-views.sql): the donor card, as the view declares it
 * and dialer_next_donor returns it.
 */
export interface OfferViewRow {
  id: number;
  expires_at: Date;
  appointment_id: number | null;
  donor_id: number;
  first_name: string;
  last_name: string;
  reference: string;
  phone: string | null;
  time_zone: string;
  country: string | null;
  campaign_id: number;
  campaign_name: string;
  purpose: CampaignPurpose;
  script: string;
  max_attempts: number;
  attempts: number | null;
  last_at: Date | null;
  last_reason: string | null;
  last_agent: string | null;
  appt_at: Date | null;
  appt_notes: string | null;
  appt_owner: number | null;
  fp_amount: number | null;
  fp_currency: string | null;
  fp_due: string | null;
  fp_reason: string | null;
  sp_subject: string | null;
  sp_amount: number | null;
  sp_currency: string | null;
  sp_frequency: string | null;
  sp_status: string | null;
  dn_amount: number | null;
  dn_currency: string | null;
  dn_at: Date | null;
  dn_purpose: string | null;
  first_dn_amount: number | null;
  first_dn_currency: string | null;
  first_dn_at: Date | null;
  first_dn_purpose: string | null;
}

/** Everything the donor card shows, in one statement (the view dialer_offer_v, sql/dialer-views.sql). */
export async function offerView(tx: DbOrTx, offerId: number): Promise<OfferViewRow | null> {
  const [row] = await routineRows<OfferViewRow>(tx, sql`SELECT * FROM dialer_offer_v WHERE id = ${offerId}`);
  return row ?? null;
}

/**
 * A row of the view dialer_call_v (sql/dialer-views.sql), as the routines return it too: the
 * call's columns, with the names of its donor, campaign, inbound line and end reason, and the
 * softphone's signalling.
 */
export type CallViewRow = Pick<
  SqlRow<typeof calls.$inferSelect>,
  | 'id'
  | 'direction'
  | 'donor_id'
  | 'campaign_id'
  | 'team_id'
  | 'phone_dialled'
  | 'offered_at'
  | 'started_at'
  | 'ended_at'
  | 'end_reason_id'
  | 'notes'
  | 'appointment_id'
  | 'offer_id'
  | 'dialled_at'
  | 'answered_at'
  | 'hung_up_at'
  | 'hangup_side'
  | 'hangup_cause'
  | 'sip_status'
> & {
  donor_name: string | null;
  donor_reference: string | null;
  campaign_name: string | null;
  /** The inbound line an inbound call came in on (null: outbound). */
  line_name: string | null;
  end_reason_name: string | null;
  end_reason_outcome: (typeof endReasons.$inferSelect)['outcome'] | null;
};

/** A call as the screens show it (the view dialer_call_v, sql/dialer-views.sql). */
export async function callView(tx: DbOrTx, callId: number): Promise<CallViewRow | null> {
  const [row] = await routineRows<CallViewRow>(tx, sql`SELECT * FROM dialer_call_v WHERE id = ${callId}`);
  return row ?? null;
}

export function callsOfAgent(
  tx: DbOrTx,
  v: { agentId: number; shiftId: number | null; since: Date | null; limit: number },
): Promise<CallViewRow[]> {
  return routineRows<CallViewRow>(
    tx,
    sql`SELECT * FROM dialer_call_v
         WHERE agent_id = ${v.agentId}
           AND (${v.shiftId}::int IS NULL OR shift_id = ${v.shiftId})
           AND (${v.since}::timestamptz IS NULL OR started_at >= ${v.since})
         ORDER BY started_at DESC
         LIMIT ${v.limit}`,
  );
}

export async function latestShiftId(tx: DbOrTx, agentId: number): Promise<number | null> {
  const [row] = await tx
    .select({ id: shifts.id })
    .from(shifts)
    .where(eq(shifts.agentId, agentId))
    .orderBy(desc(shifts.openedAt))
    .limit(1);
  return row?.id ?? null;
}

/** The agent's own call-backs and the campaign-wide ones of campaigns their teams work. */
export function appointmentsOfAgent(tx: DbOrTx, agentId: number, limit: number) {
  const a = appointments;
  const owner = alias(users, 'owner');
  const teamsCampaigns = tx
    .select({ campaignId: campaignTeams.campaignId })
    .from(campaignTeams)
    .innerJoin(teamMembers, eq(teamMembers.teamId, campaignTeams.teamId))
    .where(eq(teamMembers.userId, agentId));
  return tx
    .select({
      id: a.id,
      donorId: a.donorId,
      donorName: sql<string>`trim(${donors.firstName} || ' ' || ${donors.lastName})`,
      donorReference: donors.reference,
      donorTimeZone: donors.timeZone,
      campaignId: a.campaignId,
      campaignName: campaigns.name,
      scheduledAt: a.scheduledAt,
      ownerAgentId: a.ownerAgentId,
      ownerName: owner.name,
      notes: a.notes,
      status: a.status,
      keptCallId: a.keptCallId,
    })
    .from(a)
    .innerJoin(donors, eq(donors.id, a.donorId))
    .innerJoin(campaigns, eq(campaigns.id, a.campaignId))
    .leftJoin(owner, eq(owner.id, a.ownerAgentId))
    .where(or(eq(a.ownerAgentId, agentId), and(isNull(a.ownerAgentId), inArray(a.campaignId, teamsCampaigns))))
    .orderBy(
      desc(sql`(${a.status} = 'scheduled')`),
      asc(sql`CASE WHEN ${a.status} = 'scheduled' THEN ${a.scheduledAt} END`),
      desc(a.scheduledAt),
    )
    .limit(limit);
}

export type AppointmentViewRow = Awaited<ReturnType<typeof appointmentsOfAgent>>[number];

/**
 * Team and campaign pairs the agent may work now: the agent's teams' campaigns that can be worked
 * (engage_campaign_unworkable, the rule Ready for Call and Next donor apply).
 */
export function campaignsOfAgent(tx: DbOrTx, agentId: number, now: Date) {
  const c = campaigns;
  return tx
    .select({
      teamId: teams.id,
      teamName: teams.name,
      campaignId: c.id,
      campaignName: c.name,
      purpose: c.purpose,
      callingHoursStart: timeOfDay(c.callingHoursStart),
      callingHoursEnd: timeOfDay(c.callingHoursEnd),
      weekdayHours: c.weekdayHours,
      closedDates: sql<string[]>`${c.closedDates}::text[]`,
    })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .innerJoin(campaignTeams, eq(campaignTeams.teamId, teams.id))
    .innerJoin(c, eq(c.id, campaignTeams.campaignId))
    .where(
      and(
        eq(teamMembers.userId, agentId),
        sql`engage_campaign_unworkable(${c.status}, ${c.startsOn}, ${c.endsOn},
              EXISTS (SELECT 1 FROM ${campaignLists} WHERE ${campaignLists.campaignId} = ${c.id}),
              ${now}::timestamptz, ${c.purpose}) IS NULL`,
      ),
    )
    .orderBy(asc(teams.name), asc(c.name));
}

export type MyCampaignRow = Awaited<ReturnType<typeof campaignsOfAgent>>[number];
