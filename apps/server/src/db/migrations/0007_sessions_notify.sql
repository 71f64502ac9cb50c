-- Every instance keeps recently checked sessions in memory (features/auth/auth.service.ts). When a
-- session ends (logout, disable, password reset, expiry purge) or a user's role, name, email or
-- disabled state changes, these triggers tell every instance, on commit, whose cached sessions to
-- drop: a JSON array of user ids on the channel engage_sessions, or "*" for all when it is long.
CREATE FUNCTION engage_notify_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids text;
BEGIN
  IF TG_TABLE_NAME = 'sessions' THEN
    SELECT json_agg(DISTINCT user_id)::text INTO ids FROM old_rows;
  ELSE
    SELECT json_agg(DISTINCT id)::text INTO ids FROM old_rows;
  END IF;
  IF ids IS NOT NULL THEN
    PERFORM pg_notify('engage_sessions', CASE WHEN length(ids) > 7000 THEN '"*"' ELSE ids END);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER sessions_ended AFTER DELETE ON sessions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION engage_notify_sessions();
--> statement-breakpoint
CREATE TRIGGER users_changed AFTER UPDATE ON users
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION engage_notify_sessions();
