ALTER TABLE "end_reasons" ADD COLUMN "system_key" text;--> statement-breakpoint
ALTER TABLE "end_reasons" ADD CONSTRAINT "end_reasons_systemKey_unique" UNIQUE("system_key");--> statement-breakpoint
ALTER TABLE "end_reasons" ADD CONSTRAINT "end_reasons_system_key" CHECK ("end_reasons"."system_key" in ('system', 'manager'));--> statement-breakpoint
-- The end reasons the system records when it ends a call itself: outcome retry, so the donor is
-- called again in a few minutes. Not offered to agents, not listed in the settings.
INSERT INTO "end_reasons" ("name", "outcome", "retry_minutes", "counts_as_contact", "counts_as_success", "position", "system_key")
VALUES ('Ended by the system', 'retry', 5, false, false, 1000, 'system'),
       ('Ended by a manager', 'retry', 5, false, false, 1001, 'manager')
ON CONFLICT ("name") DO UPDATE
  SET "outcome" = 'retry', "retry_minutes" = 5, "retired_at" = NULL, "system_key" = excluded."system_key";
