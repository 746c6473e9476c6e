CREATE TYPE "public"."segment_kind" AS ENUM('dynamic', 'static');--> statement-breakpoint
CREATE TABLE "segment_memberships" (
	"workspace_id" uuid NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "segment_memberships_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"segment_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"entered_at" timestamp with time zone NOT NULL,
	"exited_at" timestamp with time zone,
	CONSTRAINT "segment_memberships_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "segment_sizes" (
	"workspace_id" uuid NOT NULL,
	"segment_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"members" integer NOT NULL,
	"entered" integer NOT NULL,
	"exited" integer NOT NULL,
	CONSTRAINT "segment_sizes_workspace_id_segment_id_at_pk" PRIMARY KEY("workspace_id","segment_id","at")
);
--> statement-breakpoint
CREATE TABLE "segments" (
	"workspace_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"kind" "segment_kind" DEFAULT 'dynamic' NOT NULL,
	"rule" jsonb,
	"dependencies" jsonb,
	"member_count" integer DEFAULT 0 NOT NULL,
	"computed_at" timestamp with time zone,
	"computing" jsonb,
	"error" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "segments_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
ALTER TABLE "segment_memberships" ADD CONSTRAINT "segment_memberships_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segment_sizes" ADD CONSTRAINT "segment_sizes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segments" ADD CONSTRAINT "segments_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segments" ADD CONSTRAINT "segments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "segment_memberships_current_key" ON "segment_memberships" USING btree ("workspace_id","segment_id","contact_id") WHERE exited_at is null;--> statement-breakpoint
CREATE INDEX "segment_memberships_contact_idx" ON "segment_memberships" USING btree ("workspace_id","contact_id","segment_id");--> statement-breakpoint
CREATE INDEX "segment_memberships_history_idx" ON "segment_memberships" USING btree ("workspace_id","segment_id","entered_at");--> statement-breakpoint
CREATE INDEX "segments_name_idx" ON "segments" USING btree ("workspace_id","name");