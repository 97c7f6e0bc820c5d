CREATE TABLE "incidents" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "incidents_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"group_identity" text NOT NULL,
	"receiver" text NOT NULL,
	"group_key" text,
	"group_labels" jsonb NOT NULL,
	"status" text NOT NULL,
	"title" text NOT NULL,
	"severity" text,
	"alertname" text,
	"external_url" text,
	"started_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" text,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" text,
	"previous_incident_id" bigint,
	"runbook_id" text,
	"runbook_sha" text,
	"runbook_external_url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "alerts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"incident_id" bigint NOT NULL,
	"occurrence_key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"status" text NOT NULL,
	"labels" jsonb NOT NULL,
	"annotations" jsonb NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"generator_url" text,
	"runbook_id" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "timeline_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "timeline_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"incident_id" bigint NOT NULL,
	"type" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "notifications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"content_hash" text NOT NULL,
	"receiver" text NOT NULL,
	"group_key" text,
	"status" text NOT NULL,
	"alert_count" integer NOT NULL,
	"truncated_alerts" integer DEFAULT 0 NOT NULL,
	"deliveries" integer DEFAULT 1 NOT NULL,
	"first_received_at" timestamp with time zone NOT NULL,
	"last_received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_steps" (
	"incident_id" bigint NOT NULL,
	"step_id" text NOT NULL,
	"checked" boolean NOT NULL,
	"actor" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "incident_steps_pk" PRIMARY KEY("incident_id","step_id")
);
--> statement-breakpoint
CREATE TABLE "runbook_versions" (
	"runbook_id" text NOT NULL,
	"sha" text NOT NULL,
	"path" text NOT NULL,
	"git_commit" text,
	"content" text NOT NULL,
	"frontmatter" jsonb NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "runbook_versions_pk" PRIMARY KEY("runbook_id","sha")
);
--> statement-breakpoint
CREATE TABLE "runbooks" (
	"id" text PRIMARY KEY NOT NULL,
	"path" text NOT NULL,
	"title" text NOT NULL,
	"alerts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"owner" text,
	"current_sha" text NOT NULL,
	"removed" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "timeline_events" ADD CONSTRAINT "timeline_events_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_steps" ADD CONSTRAINT "incident_steps_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_one_open_per_group" ON "incidents" USING btree ("group_identity") WHERE "incidents"."status" = 'firing';--> statement-breakpoint
CREATE INDEX "incidents_started_at_id_idx" ON "incidents" USING btree ("started_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "incidents_group_started_idx" ON "incidents" USING btree ("group_identity","started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "incidents_alertname_idx" ON "incidents" USING btree ("alertname");--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_occurrence_key" ON "alerts" USING btree ("occurrence_key");--> statement-breakpoint
CREATE INDEX "alerts_incident_status_idx" ON "alerts" USING btree ("incident_id","status");--> statement-breakpoint
CREATE INDEX "timeline_events_incident_idx" ON "timeline_events" USING btree ("incident_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_content_hash" ON "notifications" USING btree ("content_hash");