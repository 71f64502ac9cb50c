CREATE TYPE "public"."inbound_action" AS ENUM('voicemail', 'callback');--> statement-breakpoint
CREATE TYPE "public"."inbound_call_event_type" AS ENUM('queued', 'closed', 'overflow', 'ringing', 'no_answer', 'declined', 'answered', 'abandoned', 'ended');--> statement-breakpoint
CREATE TYPE "public"."inbound_call_status" AS ENUM('queued', 'ringing', 'answered', 'abandoned', 'ended', 'closed', 'overflow');--> statement-breakpoint
CREATE TABLE "inbound_call_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "inbound_call_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"inbound_call_id" integer NOT NULL,
	"type" "inbound_call_event_type" NOT NULL,
	"agent_id" integer,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbound_calls" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "inbound_calls_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"phone_system_token_id" integer NOT NULL,
	"external_id" text NOT NULL,
	"line_id" integer NOT NULL,
	"from_raw" text NOT NULL,
	"from_e164" text,
	"status" "inbound_call_status" NOT NULL,
	"ringing_agent_id" integer,
	"answered_by" integer,
	"offer_answer" jsonb NOT NULL,
	"arrived_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	"abandoned_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbound_line_teams" (
	"line_id" integer NOT NULL,
	"team_id" integer NOT NULL,
	CONSTRAINT "inbound_line_teams_line_id_team_id_pk" PRIMARY KEY("line_id","team_id")
);
--> statement-breakpoint
CREATE TABLE "inbound_lines" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "inbound_lines_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"number" text NOT NULL,
	"name" text NOT NULL,
	"campaign_id" integer NOT NULL,
	"time_zone" text NOT NULL,
	"weekday_hours" jsonb NOT NULL,
	"closed_dates" date[] DEFAULT '{}' NOT NULL,
	"ring_seconds" integer DEFAULT 20 NOT NULL,
	"max_wait_seconds" integer DEFAULT 300 NOT NULL,
	"closed_action" "inbound_action" DEFAULT 'voicemail' NOT NULL,
	"overflow_action" "inbound_action" DEFAULT 'voicemail' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbound_lines_number_unique" UNIQUE("number"),
	CONSTRAINT "inbound_lines_name_unique" UNIQUE("name"),
	CONSTRAINT "inbound_lines_number_e164" CHECK ("inbound_lines"."number" ~ '^\+[1-9][0-9]{6,14}$'),
	CONSTRAINT "inbound_lines_ring_seconds" CHECK ("inbound_lines"."ring_seconds" between 5 and 120),
	CONSTRAINT "inbound_lines_max_wait_seconds" CHECK ("inbound_lines"."max_wait_seconds" between 10 and 3600)
);
--> statement-breakpoint
CREATE TABLE "phone_system_tokens" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "phone_system_tokens_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "phone_system_tokens_tokenHash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "inbound_call_events" ADD CONSTRAINT "inbound_call_events_inbound_call_id_inbound_calls_id_fk" FOREIGN KEY ("inbound_call_id") REFERENCES "public"."inbound_calls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_call_events" ADD CONSTRAINT "inbound_call_events_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_calls" ADD CONSTRAINT "inbound_calls_phone_system_token_id_phone_system_tokens_id_fk" FOREIGN KEY ("phone_system_token_id") REFERENCES "public"."phone_system_tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_calls" ADD CONSTRAINT "inbound_calls_line_id_inbound_lines_id_fk" FOREIGN KEY ("line_id") REFERENCES "public"."inbound_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_calls" ADD CONSTRAINT "inbound_calls_ringing_agent_id_users_id_fk" FOREIGN KEY ("ringing_agent_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_calls" ADD CONSTRAINT "inbound_calls_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_line_teams" ADD CONSTRAINT "inbound_line_teams_line_id_inbound_lines_id_fk" FOREIGN KEY ("line_id") REFERENCES "public"."inbound_lines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_line_teams" ADD CONSTRAINT "inbound_line_teams_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_lines" ADD CONSTRAINT "inbound_lines_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_system_tokens" ADD CONSTRAINT "phone_system_tokens_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inbound_call_events_call_idx" ON "inbound_call_events" USING btree ("inbound_call_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_calls_external_id_key" ON "inbound_calls" USING btree ("phone_system_token_id","external_id");--> statement-breakpoint
CREATE INDEX "inbound_calls_line_queue_idx" ON "inbound_calls" USING btree ("line_id","arrived_at","id") WHERE "inbound_calls"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "inbound_calls_line_arrived_idx" ON "inbound_calls" USING btree ("line_id","arrived_at");--> statement-breakpoint
CREATE INDEX "inbound_line_teams_team_id_idx" ON "inbound_line_teams" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "inbound_lines_campaign_id_idx" ON "inbound_lines" USING btree ("campaign_id");