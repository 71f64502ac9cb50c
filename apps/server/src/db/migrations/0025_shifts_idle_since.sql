ALTER TABLE "shifts" ADD COLUMN "idle_since" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- Open shifts start from what routing read until now: the end of their last call, else the sign-in
-- (closed shifts are never routed to; they keep the migration's time).
UPDATE "shifts" s SET "idle_since" = COALESCE((SELECT max(c."ended_at") FROM "calls" c WHERE c."shift_id" = s."id"), s."opened_at")
 WHERE s."closed_at" IS NULL;
