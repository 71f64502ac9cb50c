-- The read models the routines answer and the agent's screens read (dialer-views.repository.ts
-- selects from them): the offer's donor card and a call as the screens show it. Dropped and
-- created again with the other routines.
DROP VIEW IF EXISTS dialer_offer_v, dialer_call_v;

-- Everything the donor card shows: one indexed lookup per part.
CREATE VIEW dialer_offer_v AS
SELECT o.id, o.expires_at, o.appointment_id,
       d.id AS donor_id, d.first_name, d.last_name, d.reference, d.callable_phone AS phone, d.time_zone, d.country,
       c.id AS campaign_id, c.name AS campaign_name, c.purpose, c.script, c.max_attempts,
       cd.attempts,
       lc.ended_at AS last_at, lc.end_reason AS last_reason, lc.agent_name AS last_agent,
       a.scheduled_at AS appt_at, a.notes AS appt_notes, a.owner_agent_id AS appt_owner,
       fp.amount_minor AS fp_amount, fp.currency AS fp_currency, fp.due_on::text AS fp_due, fp.failure_reason AS fp_reason,
       sp.subject AS sp_subject, sp.amount_minor AS sp_amount, sp.currency AS sp_currency,
       sp.frequency AS sp_frequency, sp.status AS sp_status,
       dn.amount_minor AS dn_amount, dn.currency AS dn_currency, dn.donated_at AS dn_at, dn.purpose AS dn_purpose,
       fd.amount_minor AS first_dn_amount, fd.currency AS first_dn_currency, fd.donated_at AS first_dn_at,
       fd.purpose AS first_dn_purpose
  FROM offers o
  JOIN donors d ON d.id = o.donor_id
  JOIN campaigns c ON c.id = o.campaign_id
  LEFT JOIN campaign_donors cd ON cd.campaign_id = o.campaign_id AND cd.donor_id = o.donor_id
  LEFT JOIN appointments a ON a.id = o.appointment_id
  LEFT JOIN LATERAL (
    SELECT cl.ended_at, er.name AS end_reason, u.name AS agent_name
      FROM calls cl LEFT JOIN end_reasons er ON er.id = cl.end_reason_id JOIN users u ON u.id = cl.agent_id
     WHERE cl.donor_id = d.id AND cl.ended_at IS NOT NULL
     ORDER BY cl.started_at DESC LIMIT 1) lc ON true
  LEFT JOIN LATERAL (
    SELECT p.amount_minor, p.currency, p.due_on, p.failure_reason FROM payments p
     WHERE c.purpose = 'failed_payments' AND p.donor_id = d.id AND p.status = 'failed' AND p.resolved_at IS NULL
     ORDER BY p.due_on DESC LIMIT 1) fp ON true
  LEFT JOIN LATERAL (
    SELECT s.subject, s.amount_minor, s.currency, s.frequency, s.status FROM sponsorships s
     WHERE c.purpose = 'sponsorship_follow_up' AND s.donor_id = d.id
     ORDER BY (s.status = 'active') DESC, s.started_on DESC LIMIT 1) sp ON true
  LEFT JOIN LATERAL (
    SELECT x.amount_minor, x.currency, x.donated_at, x.purpose FROM donations x
     WHERE c.purpose IN ('reactivation', 'thank_you') AND x.donor_id = d.id
     ORDER BY x.donated_at DESC LIMIT 1) dn ON true
  LEFT JOIN LATERAL (
    SELECT x.amount_minor, x.currency, x.donated_at, x.purpose FROM donations x
     WHERE c.purpose = 'new_donors' AND x.donor_id = d.id
     ORDER BY x.donated_at ASC LIMIT 1) fd ON true;

-- A call as the screens show it (agent_id and shift_id last, for the agent's lists of calls), with
-- the softphone's signalling as stored (telephony.rules recordedCallLine makes the view of it).
CREATE VIEW dialer_call_v AS
SELECT cl.id, cl.direction, cl.donor_id, trim(d.first_name || ' ' || d.last_name) AS donor_name,
       d.reference AS donor_reference, cl.campaign_id, c.name AS campaign_name, cl.team_id, cl.phone_dialled,
       cl.offered_at, cl.started_at, cl.ended_at, cl.end_reason_id, er.name AS end_reason_name,
       er.outcome AS end_reason_outcome, cl.notes, cl.appointment_id, cl.offer_id, cl.agent_id, cl.shift_id,
       il.name AS line_name,
       cl.dialled_at, cl.answered_at, cl.hung_up_at, cl.hangup_side, cl.hangup_cause, cl.sip_status
  FROM calls cl
  LEFT JOIN donors d ON d.id = cl.donor_id -- an inbound caller may have no donor yet
  LEFT JOIN campaigns c ON c.id = cl.campaign_id
  LEFT JOIN end_reasons er ON er.id = cl.end_reason_id
  -- An inbound call's line (inbound_calls_call_id_key: one inbound call per call record).
  LEFT JOIN inbound_calls ic ON ic.call_id = cl.id
  LEFT JOIN inbound_lines il ON il.id = ic.line_id;
