-- Call-backs booked by an inbound line's callback action before bookRequestedCallback queued the
-- donor (appointments.repository queueRequestedCallback) have no campaign_donors row when the
-- donor was not in the campaign's queue (an inbound line's campaign has no lists), so the dialer
-- never offers them. Each donor of a scheduled call-back on a campaign of purpose inbound_line
-- with no queue row there is added as queueRequestedCallback adds one: default list priority,
-- due at the call-back's time, the donor's zone, country and blocked flag copied, the call-back
-- (its owner too: none for a requested one) attached; the earliest when a donor has several.
-- Set-based: the few inbound_line campaigns lead (appointments_campaign_idx), the anti-join
-- probes campaign_donors' primary key.
-- The blocked flag is the dialer's one rule, engage_donor_blocked (features/dialer/sql/
-- dialer-rules.sql), installed after the migrations: a database that has it already holds data; a
-- new one (created by these very migrations) has no call-back to queue, so nothing is done there.
DO $do$
BEGIN
  IF to_regprocedure('engage_donor_blocked(donors)') IS NULL THEN
    RETURN;
  END IF;
  EXECUTE $q$
    INSERT INTO campaign_donors (campaign_id, donor_id, priority, time_zone, country, blocked, next_attempt_at,
                                 appointment_id, appointment_owner_id)
    SELECT DISTINCT ON (a.campaign_id, a.donor_id)
           a.campaign_id, d.id, 100, d.time_zone, d.country, engage_donor_blocked(d), a.scheduled_at,
           a.id, a.owner_agent_id
      FROM campaigns c
      JOIN appointments a ON a.campaign_id = c.id AND a.status = 'scheduled'
      JOIN donors d ON d.id = a.donor_id
     WHERE c.purpose = 'inbound_line'
       AND NOT EXISTS (SELECT 1 FROM campaign_donors cd WHERE cd.campaign_id = a.campaign_id AND cd.donor_id = a.donor_id)
     ORDER BY a.campaign_id, a.donor_id, a.scheduled_at, a.id
    ON CONFLICT (campaign_id, donor_id) DO NOTHING
  $q$;
END
$do$;
--> statement-breakpoint
-- A "General enquiries" campaign (purpose inbound_line) still a draft to which a call-back
-- already added its line's teams is made active, as addLineTeamsToInboundCampaign
-- (inbound/inbound-callback.repository.ts) now does with the first call-back: its agents go Ready
-- on it and Next donor offers the call-backs once due. Paused and finished ones stay so.
UPDATE campaigns SET status = 'active', updated_at = now()
 WHERE purpose = 'inbound_line' AND status = 'draft'
   AND EXISTS (SELECT 1 FROM campaign_teams ct WHERE ct.campaign_id = campaigns.id);
