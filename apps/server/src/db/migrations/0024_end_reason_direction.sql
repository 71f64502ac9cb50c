CREATE TYPE "public"."end_reason_direction" AS ENUM('both', 'outbound', 'inbound');--> statement-breakpoint
ALTER TABLE "end_reasons" ADD COLUMN "direction" "end_reason_direction" DEFAULT 'both' NOT NULL;--> statement-breakpoint
CREATE INDEX "inbound_calls_arrived_idx" ON "inbound_calls" USING btree ("arrived_at","id");