-- Live updates of imports: every change of an import's status or progress, its upload and its
-- deletion is announced on engage_events as an 'import.changed' event (ids and status only; the
-- page re-reads the import through the API). A trigger, so that no path that writes imports (the
-- upload, start, each batch, done, failed, the orphan reaper, expiry, delete) can forget it;
-- PostgreSQL delivers it when the transaction commits. A run writes progress once a batch
-- (2,000 rows), so these notifications stay few.
CREATE FUNCTION engage_notify_import() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r imports%ROWTYPE;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  PERFORM pg_notify('engage_events', json_build_object(
    'type', 'import.changed',
    'importId', r.id,
    'listId', r.list_id,
    'status', CASE WHEN TG_OP = 'DELETE' THEN 'deleted' ELSE r.status::text END,
    'processedRows', CASE WHEN TG_OP = 'DELETE' THEN 0 ELSE r.processed_rows END
  )::text);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER imports_added_or_deleted AFTER INSERT OR DELETE ON imports
  FOR EACH ROW EXECUTE FUNCTION engage_notify_import();
--> statement-breakpoint
CREATE TRIGGER imports_changed AFTER UPDATE OF status, processed_rows ON imports
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.processed_rows IS DISTINCT FROM NEW.processed_rows)
  EXECUTE FUNCTION engage_notify_import();
