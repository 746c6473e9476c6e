CREATE TYPE "public"."journey_status" AS ENUM('draft', 'active', 'paused', 'archived');--> statement-breakpoint
CREATE TYPE "public"."journey_run_status" AS ENUM('active', 'waiting', 'completed', 'converted', 'exited', 'failed');--> statement-breakpoint
CREATE TABLE "journey_runs" (
	"workspace_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"journey_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"contact_id" uuid NOT NULL,
	"node_id" text NOT NULL,
	"node_entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" "journey_run_status" DEFAULT 'active' NOT NULL,
	"due_at" timestamp with time zone,
	"wait_until" timestamp with time zone,
	"wait_event" text,
	"wait_segment_id" uuid,
	"resume_handle" text,
	"steps" integer DEFAULT 0 NOT NULL,
	"exclusive" boolean DEFAULT true NOT NULL,
	"entry" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"end_reason" text,
	CONSTRAINT "journey_runs_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "journey_steps" (
	"workspace_id" uuid NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "journey_steps_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"journey_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"node_id" text NOT NULL,
	"outcome" text NOT NULL,
	"handle" text,
	"detail" jsonb,
	"arrived_at" timestamp with time zone NOT NULL,
	"left_at" timestamp with time zone NOT NULL,
	CONSTRAINT "journey_steps_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "journey_versions" (
	"workspace_id" uuid NOT NULL,
	"journey_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"graph" jsonb NOT NULL,
	"published_by" uuid,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "journey_versions_workspace_id_journey_id_version_pk" PRIMARY KEY("workspace_id","journey_id","version")
);
--> statement-breakpoint
CREATE TABLE "journeys" (
	"workspace_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"status" "journey_status" DEFAULT 'draft' NOT NULL,
	"graph" jsonb NOT NULL,
	"version" integer,
	"trigger_kind" text,
	"trigger_event" text,
	"trigger_segment_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "journeys_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"workspace_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"idempotency_key" text NOT NULL,
	"title" text NOT NULL,
	"notes" text,
	"contact_id" uuid,
	"assignee_id" uuid,
	"status" text DEFAULT 'open' NOT NULL,
	"source" text NOT NULL,
	"source_id" text,
	"due_at" timestamp with time zone,
	"notified_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tasks_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
ALTER TABLE "journey_runs" ADD CONSTRAINT "journey_runs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journey_steps" ADD CONSTRAINT "journey_steps_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journey_versions" ADD CONSTRAINT "journey_versions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journey_versions" ADD CONSTRAINT "journey_versions_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journeys" ADD CONSTRAINT "journeys_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journeys" ADD CONSTRAINT "journeys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "journey_runs_due_idx" ON "journey_runs" USING btree ("due_at") WHERE status in ('active', 'waiting') and due_at is not null;--> statement-breakpoint
CREATE INDEX "journey_runs_node_idx" ON "journey_runs" USING btree ("workspace_id","journey_id","node_id","status");--> statement-breakpoint
CREATE INDEX "journey_runs_contact_idx" ON "journey_runs" USING btree ("workspace_id","contact_id","entered_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "journey_runs_wait_event_idx" ON "journey_runs" USING btree ("workspace_id","contact_id","wait_event") WHERE status = 'waiting' and wait_event is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "journey_runs_in_journey_key" ON "journey_runs" USING btree ("workspace_id","journey_id","contact_id") WHERE exclusive and ended_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "journey_runs_entry_key" ON "journey_runs" USING btree ("workspace_id","journey_id",(entry->>'key')) WHERE (entry->>'key') is not null;--> statement-breakpoint
CREATE INDEX "journey_steps_node_idx" ON "journey_steps" USING btree ("workspace_id","journey_id","node_id");--> statement-breakpoint
CREATE INDEX "journey_steps_run_idx" ON "journey_steps" USING btree ("workspace_id","run_id","id");--> statement-breakpoint
CREATE INDEX "journeys_recent_idx" ON "journeys" USING btree ("workspace_id","updated_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "journeys_trigger_idx" ON "journeys" USING btree ("workspace_id","status","trigger_kind");--> statement-breakpoint
CREATE UNIQUE INDEX "tasks_idempotency_key" ON "tasks" USING btree ("workspace_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "tasks_assignee_idx" ON "tasks" USING btree ("workspace_id","status","assignee_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "tasks_contact_idx" ON "tasks" USING btree ("workspace_id","contact_id");