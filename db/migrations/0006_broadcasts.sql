CREATE TYPE "public"."broadcast_status" AS ENUM('draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled');--> statement-breakpoint
ALTER TYPE "public"."message_status" ADD VALUE 'cancelled';--> statement-breakpoint
CREATE TABLE "broadcast_recipients" (
	"workspace_id" uuid NOT NULL,
	"broadcast_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"contact_id" uuid NOT NULL,
	"variant" text,
	"phase" text DEFAULT 'all' NOT NULL,
	"send_after" timestamp with time zone,
	CONSTRAINT "broadcast_recipients_workspace_id_broadcast_id_seq_pk" PRIMARY KEY("workspace_id","broadcast_id","seq")
);
--> statement-breakpoint
CREATE TABLE "broadcast_variants" (
	"workspace_id" uuid NOT NULL,
	"broadcast_id" uuid NOT NULL,
	"key" text NOT NULL,
	"weight" integer NOT NULL,
	"template_id" uuid NOT NULL,
	"template_version" integer,
	"subject" text,
	"from_name" text,
	"from_email" text,
	CONSTRAINT "broadcast_variants_workspace_id_broadcast_id_key_pk" PRIMARY KEY("workspace_id","broadcast_id","key")
);
--> statement-breakpoint
CREATE TABLE "broadcasts" (
	"workspace_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"status" "broadcast_status" DEFAULT 'draft' NOT NULL,
	"channel" "channel" NOT NULL,
	"template_id" uuid NOT NULL,
	"template_version" integer,
	"topic_id" uuid,
	"audience" jsonb NOT NULL,
	"schedule_kind" text DEFAULT 'now' NOT NULL,
	"scheduled_at" timestamp with time zone,
	"local_time" text,
	"fallback_timezone" text,
	"throttle_per_minute" integer,
	"ab_test" jsonb,
	"conversion" jsonb,
	"recipient_count" integer,
	"snapshot_at" timestamp with time zone,
	"fanout_cursor" bigint DEFAULT 0 NOT NULL,
	"fanout_owner" text,
	"fanout_lease_until" timestamp with time zone,
	"fanned_out_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"paused_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"test_ends_at" timestamp with time zone,
	"winner_variant" text,
	"winner_chosen_at" timestamp with time zone,
	"winner_decision" jsonb,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "broadcasts_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "variant" text;--> statement-breakpoint
ALTER TABLE "broadcast_recipients" ADD CONSTRAINT "broadcast_recipients_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "broadcast_variants" ADD CONSTRAINT "broadcast_variants_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "broadcasts" ADD CONSTRAINT "broadcasts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "broadcasts" ADD CONSTRAINT "broadcasts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "broadcasts_recent_idx" ON "broadcasts" USING btree ("workspace_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);