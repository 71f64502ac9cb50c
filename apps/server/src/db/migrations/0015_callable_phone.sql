CREATE TYPE "public"."import_error_severity" AS ENUM('error', 'warning');--> statement-breakpoint
ALTER TABLE "donors" ADD COLUMN "callable_phone" text GENERATED ALWAYS AS (coalesce(phone, alt_phone)) STORED;--> statement-breakpoint
ALTER TABLE "import_errors" ADD COLUMN "severity" "import_error_severity" DEFAULT 'error' NOT NULL;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "uncallable" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "warnings" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Donors with only an other phone were queued as blocked ("no phone"): they are callable now.
UPDATE "campaign_donors" cd SET "blocked" = false
  FROM "donors" d
 WHERE d.id = cd.donor_id AND cd.blocked AND d.phone IS NULL AND d.alt_phone IS NOT NULL
   AND NOT (d.do_not_call OR d.deceased OR d.suppressed);
