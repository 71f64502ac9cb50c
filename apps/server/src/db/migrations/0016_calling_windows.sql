ALTER TABLE "campaigns" ADD COLUMN "weekday_hours" jsonb DEFAULT '[{"start":"09:00","end":"21:00"},{"start":"09:00","end":"21:00"},{"start":"09:00","end":"21:00"},{"start":"09:00","end":"21:00"},{"start":"09:00","end":"21:00"},{"start":"09:00","end":"21:00"},{"start":"09:00","end":"21:00"}]' NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "closed_dates" date[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_donors" ADD COLUMN "country" text;--> statement-breakpoint
ALTER TABLE "organisation_settings" ADD COLUMN "legal_hours_start" time DEFAULT '08:00' NOT NULL;--> statement-breakpoint
ALTER TABLE "organisation_settings" ADD COLUMN "legal_hours_end" time DEFAULT '21:00' NOT NULL;--> statement-breakpoint
ALTER TABLE "organisation_settings" ADD COLUMN "legal_closed_weekdays" smallint[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "organisation_settings" ADD COLUMN "country_calling_windows" jsonb DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE "organisation_settings" ADD CONSTRAINT "organisation_settings_legal_hours" CHECK ("organisation_settings"."legal_hours_start" < "organisation_settings"."legal_hours_end");--> statement-breakpoint
-- Each campaign's calling hours become the hours of every weekday (hours that wrapped past
-- midnight keep their evening part: a day's hours end by midnight now).
UPDATE "campaigns" SET "weekday_hours" = (
  SELECT jsonb_agg(day.o) FROM (
    SELECT jsonb_build_object(
             'start', to_char("calling_hours_start", 'HH24:MI'),
             'end', CASE WHEN "calling_hours_end" = '24:00' OR "calling_hours_end" <= "calling_hours_start" THEN '24:00'
                         ELSE to_char("calling_hours_end", 'HH24:MI') END) AS o
      FROM generate_series(1, 7)) day);
--> statement-breakpoint
UPDATE "campaigns" SET "calling_hours_end" = '24:00' WHERE "calling_hours_end" <= "calling_hours_start";
--> statement-breakpoint
-- The queue copies the donor's country, for the legal window of that country.
UPDATE "campaign_donors" cd SET "country" = d."country" FROM "donors" d WHERE d."id" = cd."donor_id" AND d."country" IS NOT NULL;
