ALTER TABLE "calls" ALTER COLUMN "donor_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "shifts" ADD COLUMN "ringing_inbound_call_id" integer;--> statement-breakpoint
ALTER TABLE "shifts" ADD COLUMN "inbound_misses_in_row" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "inbound_calls" ADD COLUMN "ring_deadline" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "inbound_calls" ADD COLUMN "call_id" integer;--> statement-breakpoint
CREATE INDEX "inbound_calls_ring_deadline_idx" ON "inbound_calls" USING btree ("ring_deadline") WHERE "inbound_calls"."status" = 'ringing';--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_calls_ringing_agent_key" ON "inbound_calls" USING btree ("ringing_agent_id") WHERE "inbound_calls"."status" = 'ringing';