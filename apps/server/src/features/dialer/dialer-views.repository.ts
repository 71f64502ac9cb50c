import type { CampaignPurpose, WeekdayHours } from '@engage/contracts';
import type { PgClient } from '../../lib/tx';

/** Read models for the agent's screens: the shift, the offer's donor card, calls, appointments. */

export interface ShiftViewRow {
  id: number;
  state: 'signed_in' | 'ready' | 'previewing' | 'on_call' | 'on_break' | 'out_of_data';
  state_since: Date;
  opened_at: Date;
  job_role_id: number;
  job_role_name: string;
  team_id: number | null;
  team_name: string | null;
  campaign_id: number | null;
  campaign_name: string | null;
  break_reason_id: number | null;
  break_reason_name: string | null;
  offer_id: number | null;
  call_id: number | null;
}

export async function shiftView(c: PgClient, shiftId: number): Promise<ShiftViewRow | null> {
  const r = await c.query<ShiftViewRow>({
    name: 'dialer_shift_view',
    text: `SELECT s.id, s.state, s.state_since, s.opened_at, s.job_role_id, jr.name AS job_role_name,
                  s.team_id, t.name AS team_name, s.campaign_id, c.name AS campaign_name,
                  s.break_reason_id, br.name AS break_reason_name, s.offer_id, s.call_id
             FROM shifts s
             JOIN job_roles jr ON jr.id = s.job_role_id
             LEFT JOIN teams t ON t.id = s.team_id
             LEFT JOIN campaigns c ON c.id = s.campaign_id
             LEFT JOIN break_reasons br ON br.id = s.break_reason_id
            WHERE s.id = $1`,
    values: [shiftId],
  });
  return r.rows[0] ?? null;
}

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
export async function offerView(c: PgClient, offerId: number): Promise<OfferViewRow | null> {
  const r = await c.query<OfferViewRow>({
    name: 'dialer_offer_view',
    text: 'SELECT * FROM dialer_offer_v WHERE id = $1',
    values: [offerId],
  });
  return r.rows[0] ?? null;
}

export interface CallViewRow {
  id: number;
  direction: 'outbound' | 'inbound';
  donor_id: number;
  donor_name: string;
  donor_reference: string;
  campaign_id: number | null;
  campaign_name: string | null;
  team_id: number | null;
  phone_dialled: string | null;
  offered_at: Date | null;
  started_at: Date;
  ended_at: Date | null;
  end_reason_id: number | null;
  end_reason_name: string | null;
  end_reason_outcome: 'final' | 'retry' | 'appointment' | 'do_not_call' | null;
  notes: string;
  appointment_id: number | null;
  offer_id: number | null;
}

/** A call as the screens show it (the view dialer_call_v, sql/dialer-views.sql). */
export async function callView(c: PgClient, callId: number): Promise<CallViewRow | null> {
  const r = await c.query<CallViewRow>({
    name: 'dialer_call_view',
    text: 'SELECT * FROM dialer_call_v WHERE id = $1',
    values: [callId],
  });
  return r.rows[0] ?? null;
}

export async function callsOfAgent(
  c: PgClient,
  v: { agentId: number; shiftId: number | null; since: Date | null; limit: number },
): Promise<CallViewRow[]> {
  const r = await c.query<CallViewRow>(
    `SELECT * FROM dialer_call_v
      WHERE agent_id = $1
        AND ($2::int IS NULL OR shift_id = $2)
        AND ($3::timestamptz IS NULL OR started_at >= $3)
      ORDER BY started_at DESC
      LIMIT $4`,
    [v.agentId, v.shiftId, v.since, v.limit],
  );
  return r.rows;
}

export async function latestShiftId(c: PgClient, agentId: number): Promise<number | null> {
  const r = await c.query<{ id: number }>('SELECT id FROM shifts WHERE agent_id = $1 ORDER BY opened_at DESC LIMIT 1', [
    agentId,
  ]);
  return r.rows[0]?.id ?? null;
}

export interface AppointmentViewRow {
  id: number;
  donor_id: number;
  donor_name: string;
  donor_reference: string;
  donor_time_zone: string;
  campaign_id: number;
  campaign_name: string;
  scheduled_at: Date;
  owner_agent_id: number | null;
  owner_name: string | null;
  notes: string;
  status: 'scheduled' | 'done' | 'missed' | 'cancelled';
  kept_call_id: number | null;
}

/** The agent's own call-backs and the campaign-wide ones of campaigns their teams work. */
export async function appointmentsOfAgent(c: PgClient, agentId: number, limit: number): Promise<AppointmentViewRow[]> {
  const r = await c.query<AppointmentViewRow>(
    `SELECT a.id, a.donor_id, trim(d.first_name || ' ' || d.last_name) AS donor_name, d.reference AS donor_reference,
            d.time_zone AS donor_time_zone, a.campaign_id, c.name AS campaign_name, a.scheduled_at,
            a.owner_agent_id, u.name AS owner_name, a.notes, a.status, a.kept_call_id
       FROM appointments a
       JOIN donors d ON d.id = a.donor_id
       JOIN campaigns c ON c.id = a.campaign_id
       LEFT JOIN users u ON u.id = a.owner_agent_id
      WHERE a.owner_agent_id = $1
         OR (a.owner_agent_id IS NULL AND a.campaign_id IN (
              SELECT ct.campaign_id FROM campaign_teams ct JOIN team_members tm ON tm.team_id = ct.team_id
               WHERE tm.user_id = $1))
      ORDER BY (a.status = 'scheduled') DESC,
               CASE WHEN a.status = 'scheduled' THEN a.scheduled_at END ASC,
               a.scheduled_at DESC
      LIMIT $2`,
    [agentId, limit],
  );
  return r.rows;
}

export interface MyCampaignRow {
  team_id: number;
  team_name: string;
  campaign_id: number;
  campaign_name: string;
  purpose: CampaignPurpose;
  calling_hours_start: string;
  calling_hours_end: string;
  weekday_hours: WeekdayHours;
  closed_dates: string[];
}

/**
 * Team and campaign pairs the agent may work now: the agent's teams' campaigns that can be worked
 * (engage_campaign_unworkable, the rule Ready for Call and Next donor apply).
 */
export async function campaignsOfAgent(c: PgClient, agentId: number, now: Date): Promise<MyCampaignRow[]> {
  const r = await c.query<MyCampaignRow>(
    `SELECT t.id AS team_id, t.name AS team_name, c.id AS campaign_id, c.name AS campaign_name, c.purpose,
            to_char(c.calling_hours_start, 'HH24:MI') AS calling_hours_start,
            CASE WHEN c.calling_hours_end = '24:00' THEN '24:00' ELSE to_char(c.calling_hours_end, 'HH24:MI') END AS calling_hours_end,
            c.weekday_hours, c.closed_dates::text[] AS closed_dates
       FROM team_members tm
       JOIN teams t ON t.id = tm.team_id
       JOIN campaign_teams ct ON ct.team_id = t.id
       JOIN campaigns c ON c.id = ct.campaign_id
      WHERE tm.user_id = $1
        AND engage_campaign_unworkable(c.status, c.starts_on, c.ends_on,
                                       EXISTS (SELECT 1 FROM campaign_lists cl WHERE cl.campaign_id = c.id),
                                       $2::timestamptz) IS NULL
      ORDER BY t.name, c.name`,
    [agentId, now],
  );
  return r.rows;
}
