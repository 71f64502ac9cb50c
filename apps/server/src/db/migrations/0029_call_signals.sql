CREATE TYPE "public"."hangup_cause" AS ENUM('normal', 'busy', 'no_answer', 'failed');--> statement-breakpoint
CREATE TYPE "public"."hangup_side" AS ENUM('agent', 'donor', 'system');--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "dialled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "answered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "hung_up_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "hangup_side" "hangup_side";--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "hangup_cause" "hangup_cause";--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "sip_status" smallint;