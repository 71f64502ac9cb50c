CREATE TYPE "public"."inbound_call_source" AS ENUM('phone_system', 'manual');--> statement-breakpoint
ALTER TABLE "inbound_calls" ALTER COLUMN "phone_system_token_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "inbound_calls" ALTER COLUMN "external_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "inbound_calls" ADD COLUMN "source" "inbound_call_source" DEFAULT 'phone_system' NOT NULL;--> statement-breakpoint
ALTER TABLE "inbound_calls" ADD CONSTRAINT "inbound_calls_source_ids" CHECK (("inbound_calls"."source" = 'phone_system') = ("inbound_calls"."phone_system_token_id" is not null and "inbound_calls"."external_id" is not null));