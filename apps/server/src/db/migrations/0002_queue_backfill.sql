-- Fill the dialer queue for campaigns that already had lists connected before the queue existed.
INSERT INTO campaign_donors (campaign_id, donor_id, priority, time_zone, blocked, next_attempt_at)
SELECT cl.campaign_id, d.id, min(cl.priority), d.time_zone,
       (d.do_not_call OR d.deceased OR d.suppressed OR d.phone IS NULL), now()
FROM campaign_lists cl
JOIN list_members lm ON lm.list_id = cl.list_id
JOIN donors d ON d.id = lm.donor_id
GROUP BY cl.campaign_id, d.id
ON CONFLICT (campaign_id, donor_id) DO NOTHING;
