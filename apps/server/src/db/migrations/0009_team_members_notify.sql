-- An open event stream shows a manager the events of the teams they lead and of those teams'
-- members (features/floor: eventFilter). When team membership or leadership changes, the users
-- whose filter depends on it (the changed rows' users, and the leaders of the teams concerned) are
-- named on engage_sessions, like a session change (migration 0007): their open streams read their
-- filter again, on every instance.
CREATE FUNCTION engage_notify_team_members() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT json_agg(DISTINCT x.user_id)::text INTO ids FROM (
      SELECT user_id FROM new_rows
      UNION SELECT tm.user_id FROM team_members tm
             WHERE tm.is_leader AND tm.team_id IN (SELECT team_id FROM new_rows)) x;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT json_agg(DISTINCT x.user_id)::text INTO ids FROM (
      SELECT user_id FROM old_rows
      UNION SELECT tm.user_id FROM team_members tm
             WHERE tm.is_leader AND tm.team_id IN (SELECT team_id FROM old_rows)) x;
  ELSE
    SELECT json_agg(DISTINCT x.user_id)::text INTO ids FROM (
      SELECT user_id FROM old_rows
      UNION SELECT user_id FROM new_rows
      UNION SELECT tm.user_id FROM team_members tm
             WHERE tm.is_leader AND tm.team_id IN (SELECT team_id FROM old_rows UNION SELECT team_id FROM new_rows)) x;
  END IF;
  IF ids IS NOT NULL THEN
    PERFORM pg_notify('engage_sessions', CASE WHEN length(ids) > 7000 THEN '"*"' ELSE ids END);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER team_members_added AFTER INSERT ON team_members
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION engage_notify_team_members();
--> statement-breakpoint
CREATE TRIGGER team_members_changed AFTER UPDATE ON team_members
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION engage_notify_team_members();
--> statement-breakpoint
CREATE TRIGGER team_members_removed AFTER DELETE ON team_members
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION engage_notify_team_members();
