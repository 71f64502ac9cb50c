CREATE TYPE "public"."appointment_status" AS ENUM('scheduled', 'done', 'missed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."call_direction" AS ENUM('outbound', 'inbound');--> statement-breakpoint
CREATE TYPE "public"."campaign_donor_state" AS ENUM('queued', 'finished');--> statement-breakpoint
CREATE TYPE "public"."offer_status" AS ENUM('open', 'started', 'skipped', 'expired', 'released');--> statement-breakpoint
CREATE TYPE "public"."shift_state" AS ENUM('signed_in', 'ready', 'previewing', 'on_call', 'on_break', 'out_of_data');--> statement-breakpoint
CREATE TABLE "appointments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "appointments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"donor_id" integer NOT NULL,
	"campaign_id" integer NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL,
	"owner_agent_id" integer,
	"notes" text DEFAULT '' NOT NULL,
	"status" "appointment_status" DEFAULT 'scheduled' NOT NULL,
	"booked_call_id" integer,
	"kept_call_id" integer,
	"created_by" integer,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calls" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "calls_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"direction" "call_direction" NOT NULL,
	"agent_id" integer NOT NULL,
	"shift_id" integer,
	"donor_id" integer NOT NULL,
	"campaign_id" integer,
	"team_id" integer,
	"offer_id" integer,
	"appointment_id" integer,
	"phone_dialled" text,
	"offered_at" timestamp with time zone,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"end_reason_id" integer,
	"notes" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaign_donors" (
	"campaign_id" integer NOT NULL,
	"donor_id" integer NOT NULL,
	"priority" integer NOT NULL,
	"state" "campaign_donor_state" DEFAULT 'queued' NOT NULL,
	"finish_reason" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"last_attempt_at" timestamp with time zone,
	"time_zone" text NOT NULL,
	"blocked" boolean DEFAULT false NOT NULL,
	"held_by_shift_id" integer,
	"hold_expires_at" timestamp with time zone,
	"appointment_id" integer,
	"appointment_owner_id" integer,
	CONSTRAINT "campaign_donors_campaign_id_donor_id_pk" PRIMARY KEY("campaign_id","donor_id")
);
--> statement-breakpoint
CREATE TABLE "donor_holds" (
	"donor_id" integer PRIMARY KEY NOT NULL,
	"shift_id" integer NOT NULL,
	"campaign_id" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"user_id" integer NOT NULL,
	"operation" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status_code" integer,
	"response" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_user_id_operation_key_pk" PRIMARY KEY("user_id","operation","key")
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "offers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"shift_id" integer NOT NULL,
	"agent_id" integer NOT NULL,
	"campaign_id" integer NOT NULL,
	"team_id" integer NOT NULL,
	"donor_id" integer NOT NULL,
	"appointment_id" integer,
	"status" "offer_status" DEFAULT 'open' NOT NULL,
	"offered_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"skip_reason_id" integer,
	"notes" text
);
--> statement-breakpoint
CREATE TABLE "shifts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "shifts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"agent_id" integer NOT NULL,
	"job_role_id" integer NOT NULL,
	"state" "shift_state" DEFAULT 'signed_in' NOT NULL,
	"state_since" timestamp with time zone NOT NULL,
	"team_id" integer,
	"campaign_id" integer,
	"break_reason_id" integer,
	"offer_id" integer,
	"call_id" integer,
	"opened_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"lease_expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_donor_id_donors_id_fk" FOREIGN KEY ("donor_id") REFERENCES "public"."donors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_owner_agent_id_users_id_fk" FOREIGN KEY ("owner_agent_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_shift_id_shifts_id_fk" FOREIGN KEY ("shift_id") REFERENCES "public"."shifts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_donor_id_donors_id_fk" FOREIGN KEY ("donor_id") REFERENCES "public"."donors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_end_reason_id_end_reasons_id_fk" FOREIGN KEY ("end_reason_id") REFERENCES "public"."end_reasons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_donors" ADD CONSTRAINT "campaign_donors_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_donors" ADD CONSTRAINT "campaign_donors_donor_id_donors_id_fk" FOREIGN KEY ("donor_id") REFERENCES "public"."donors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "donor_holds" ADD CONSTRAINT "donor_holds_donor_id_donors_id_fk" FOREIGN KEY ("donor_id") REFERENCES "public"."donors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_shift_id_shifts_id_fk" FOREIGN KEY ("shift_id") REFERENCES "public"."shifts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_donor_id_donors_id_fk" FOREIGN KEY ("donor_id") REFERENCES "public"."donors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_skip_reason_id_skip_reasons_id_fk" FOREIGN KEY ("skip_reason_id") REFERENCES "public"."skip_reasons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shifts" ADD CONSTRAINT "shifts_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shifts" ADD CONSTRAINT "shifts_job_role_id_job_roles_id_fk" FOREIGN KEY ("job_role_id") REFERENCES "public"."job_roles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shifts" ADD CONSTRAINT "shifts_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shifts" ADD CONSTRAINT "shifts_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shifts" ADD CONSTRAINT "shifts_break_reason_id_break_reasons_id_fk" FOREIGN KEY ("break_reason_id") REFERENCES "public"."break_reasons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "appointments_owner_idx" ON "appointments" USING btree ("owner_agent_id","scheduled_at");--> statement-breakpoint
CREATE INDEX "appointments_campaign_idx" ON "appointments" USING btree ("campaign_id","scheduled_at");--> statement-breakpoint
CREATE INDEX "appointments_donor_idx" ON "appointments" USING btree ("donor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "calls_offer_key" ON "calls" USING btree ("offer_id");--> statement-breakpoint
CREATE INDEX "calls_agent_started_idx" ON "calls" USING btree ("agent_id","started_at");--> statement-breakpoint
CREATE INDEX "calls_donor_started_idx" ON "calls" USING btree ("donor_id","started_at");--> statement-breakpoint
CREATE INDEX "calls_campaign_started_idx" ON "calls" USING btree ("campaign_id","started_at");--> statement-breakpoint
CREATE INDEX "calls_shift_idx" ON "calls" USING btree ("shift_id");--> statement-breakpoint
CREATE INDEX "campaign_donors_queue_idx" ON "campaign_donors" USING btree ("campaign_id","priority","attempts","next_attempt_at","donor_id") WHERE "campaign_donors"."state" = 'queued' and not "campaign_donors"."blocked" and "campaign_donors"."appointment_id" is null;--> statement-breakpoint
CREATE INDEX "campaign_donors_appointments_idx" ON "campaign_donors" USING btree ("campaign_id","next_attempt_at","donor_id") WHERE "campaign_donors"."state" = 'queued' and not "campaign_donors"."blocked" and "campaign_donors"."appointment_id" is not null;--> statement-breakpoint
CREATE INDEX "campaign_donors_donor_idx" ON "campaign_donors" USING btree ("donor_id");--> statement-breakpoint
CREATE INDEX "campaign_donors_held_idx" ON "campaign_donors" USING btree ("held_by_shift_id") WHERE "campaign_donors"."held_by_shift_id" is not null;--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_idx" ON "idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "offers_shift_idx" ON "offers" USING btree ("shift_id");--> statement-breakpoint
CREATE INDEX "offers_open_expiry_idx" ON "offers" USING btree ("expires_at") WHERE "offers"."status" = 'open';--> statement-breakpoint
CREATE UNIQUE INDEX "shifts_one_open_per_agent" ON "shifts" USING btree ("agent_id") WHERE "shifts"."closed_at" is null;--> statement-breakpoint
CREATE INDEX "shifts_open_lease_idx" ON "shifts" USING btree ("lease_expires_at") WHERE "shifts"."closed_at" is null;--> statement-breakpoint
CREATE INDEX "shifts_agent_opened_idx" ON "shifts" USING btree ("agent_id","opened_at");