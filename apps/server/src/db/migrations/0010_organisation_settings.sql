CREATE TABLE "organisation_settings" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"currencies" text[] NOT NULL,
	"default_currency" text NOT NULL,
	"donation_grace_minutes" integer DEFAULT 10 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisation_settings_one_row" CHECK ("organisation_settings"."id" = 1),
	CONSTRAINT "organisation_settings_currencies" CHECK (cardinality("organisation_settings"."currencies") between 1 and 50),
	CONSTRAINT "organisation_settings_default_currency" CHECK ("organisation_settings"."default_currency" = any("organisation_settings"."currencies")),
	CONSTRAINT "organisation_settings_donation_grace" CHECK ("organisation_settings"."donation_grace_minutes" between 0 and 1440)
);

--> statement-breakpoint
-- The one row, with the currencies of the demo's donors and a 10-minute grace for donations after End Call.
INSERT INTO "organisation_settings" ("id", "currencies", "default_currency", "donation_grace_minutes")
VALUES (1, ARRAY['GBP', 'EUR', 'USD', 'CAD', 'AUD', 'INR', 'KES', 'JPY', 'BRL', 'KRW'], 'GBP', 10)
ON CONFLICT ("id") DO NOTHING;
