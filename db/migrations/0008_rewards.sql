CREATE TABLE "coupon_campaigns" (
	"workspace_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"source" text NOT NULL,
	"pattern" text,
	"value" jsonb NOT NULL,
	"valid_from" timestamp with time zone,
	"valid_until" timestamp with time zone,
	"per_contact_limit" integer DEFAULT 1 NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coupon_campaigns_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "coupon_codes" (
	"workspace_id" uuid NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "coupon_codes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"campaign_id" uuid NOT NULL,
	"code" text NOT NULL,
	"status" text DEFAULT 'available' NOT NULL,
	"contact_id" uuid,
	"issue_key" text,
	"issued_at" timestamp with time zone,
	"redeemed_at" timestamp with time zone,
	"redeemed_ref" text,
	CONSTRAINT "coupon_codes_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "monitor_counters" (
	"workspace_id" uuid NOT NULL,
	"monitor_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"value" double precision DEFAULT 0 NOT NULL,
	"distinct_values" text[] DEFAULT '{}'::text[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "monitor_counters_workspace_id_monitor_id_contact_id_bucket_pk" PRIMARY KEY("workspace_id","monitor_id","contact_id","bucket")
);
--> statement-breakpoint
CREATE TABLE "monitor_matches" (
	"workspace_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"monitor_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"match_key" text NOT NULL,
	"event_id" bigint,
	"value" double precision NOT NULL,
	"results" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"matched_at" timestamp with time zone NOT NULL,
	CONSTRAINT "monitor_matches_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "monitors" (
	"workspace_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"event" text NOT NULL,
	"where" jsonb,
	"statistic" text DEFAULT 'count' NOT NULL,
	"property" text,
	"threshold" double precision NOT NULL,
	"window" jsonb NOT NULL,
	"segment_id" uuid,
	"limit" jsonb NOT NULL,
	"active_from" timestamp with time zone,
	"active_until" timestamp with time zone,
	"actions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"template" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "monitors_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "point_balances" (
	"workspace_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"balance" integer DEFAULT 0 NOT NULL,
	"earned" integer DEFAULT 0 NOT NULL,
	"spent" integer DEFAULT 0 NOT NULL,
	"expired" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "point_balances_workspace_id_contact_id_pk" PRIMARY KEY("workspace_id","contact_id")
);
--> statement-breakpoint
CREATE TABLE "point_transactions" (
	"workspace_id" uuid NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "point_transactions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"contact_id" uuid NOT NULL,
	"amount" integer NOT NULL,
	"balance_after" integer NOT NULL,
	"reason" text,
	"source" text NOT NULL,
	"source_id" text,
	"idempotency_key" text NOT NULL,
	"expires_at" timestamp with time zone,
	"remaining" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "point_transactions_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "reward_settings" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"points_name" text,
	"allow_negative" boolean DEFAULT false NOT NULL,
	"default_expiry_days" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "score_events" (
	"workspace_id" uuid NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "score_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"contact_id" uuid NOT NULL,
	"rule_id" uuid,
	"kind" text NOT NULL,
	"delta" integer NOT NULL,
	"score_after" integer NOT NULL,
	"reason" text,
	"idempotency_key" text NOT NULL,
	"event_id" bigint,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "score_events_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "scoring_rules" (
	"workspace_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"rule" jsonb,
	"event" text,
	"where" jsonb,
	"points" integer NOT NULL,
	"cap" jsonb,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scoring_rules_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "scoring_settings" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"decay" jsonb DEFAULT '{"kind":"none"}'::jsonb NOT NULL,
	"thresholds" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"owner_id" uuid,
	"handoff_webhook_url" text,
	"recalculation" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "score_fit" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "score_engagement" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "points_balance" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "coupon_campaigns" ADD CONSTRAINT "coupon_campaigns_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_campaigns" ADD CONSTRAINT "coupon_campaigns_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_codes" ADD CONSTRAINT "coupon_codes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitor_counters" ADD CONSTRAINT "monitor_counters_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitor_matches" ADD CONSTRAINT "monitor_matches_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitors" ADD CONSTRAINT "monitors_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitors" ADD CONSTRAINT "monitors_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "point_balances" ADD CONSTRAINT "point_balances_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "point_transactions" ADD CONSTRAINT "point_transactions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "point_transactions" ADD CONSTRAINT "point_transactions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_settings" ADD CONSTRAINT "reward_settings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_events" ADD CONSTRAINT "score_events_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scoring_rules" ADD CONSTRAINT "scoring_rules_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scoring_settings" ADD CONSTRAINT "scoring_settings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scoring_settings" ADD CONSTRAINT "scoring_settings_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "coupon_codes_code_key" ON "coupon_codes" USING btree ("workspace_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "coupon_codes_issue_key" ON "coupon_codes" USING btree ("workspace_id","issue_key") WHERE issue_key is not null;--> statement-breakpoint
CREATE INDEX "coupon_codes_available_idx" ON "coupon_codes" USING btree ("workspace_id","campaign_id","id") WHERE status = 'available';--> statement-breakpoint
CREATE INDEX "coupon_codes_contact_idx" ON "coupon_codes" USING btree ("workspace_id","contact_id") WHERE contact_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "monitor_matches_key" ON "monitor_matches" USING btree ("workspace_id","monitor_id","contact_id","match_key");--> statement-breakpoint
CREATE INDEX "monitor_matches_recent_idx" ON "monitor_matches" USING btree ("workspace_id","monitor_id","matched_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "monitor_matches_contact_idx" ON "monitor_matches" USING btree ("workspace_id","contact_id","matched_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "monitors_event_idx" ON "monitors" USING btree ("workspace_id","status","event");--> statement-breakpoint
CREATE UNIQUE INDEX "point_transactions_key" ON "point_transactions" USING btree ("workspace_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "point_transactions_contact_idx" ON "point_transactions" USING btree ("workspace_id","contact_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "point_transactions_expiry_idx" ON "point_transactions" USING btree ("expires_at") WHERE remaining > 0 and expires_at is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "score_events_key" ON "score_events" USING btree ("workspace_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "score_events_contact_idx" ON "score_events" USING btree ("workspace_id","contact_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "score_events_rule_idx" ON "score_events" USING btree ("workspace_id","rule_id","contact_id","at");