CREATE TABLE "tuning_decision_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "tuning_decision_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"decision_id" bigint NOT NULL,
	"status" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "tuning_decisions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "tuning_decisions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"alertname" text NOT NULL,
	"rule_group" text NOT NULL,
	"file" text NOT NULL,
	"line" integer NOT NULL,
	"rule_version" text NOT NULL,
	"threshold_index" integer NOT NULL,
	"from_values" jsonb NOT NULL,
	"to_values" jsonb NOT NULL,
	"reason" text NOT NULL,
	"actor" text NOT NULL,
	"incident_id" bigint,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"applied_at" timestamp with time zone,
	"applied_rule_version" text,
	"verify_after_seconds" integer NOT NULL,
	"verified_at" timestamp with time zone,
	"verification" jsonb,
	"baseline_id" bigint,
	"backtest_id" bigint
);
--> statement-breakpoint
CREATE TABLE "tuning_evidence" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "tuning_evidence_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"alertname" text NOT NULL,
	"rule_group" text NOT NULL,
	"file" text NOT NULL,
	"rule_version" text NOT NULL,
	"result_json" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tuning_decision_events" ADD CONSTRAINT "tuning_decision_events_decision_id_tuning_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."tuning_decisions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tuning_decisions" ADD CONSTRAINT "tuning_decisions_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tuning_decisions" ADD CONSTRAINT "tuning_decisions_baseline_id_tuning_evidence_id_fk" FOREIGN KEY ("baseline_id") REFERENCES "public"."tuning_evidence"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tuning_decisions" ADD CONSTRAINT "tuning_decisions_backtest_id_tuning_evidence_id_fk" FOREIGN KEY ("backtest_id") REFERENCES "public"."tuning_evidence"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tuning_decision_events_decision_idx" ON "tuning_decision_events" USING btree ("decision_id","id");--> statement-breakpoint
CREATE INDEX "tuning_decisions_alertname_idx" ON "tuning_decisions" USING hash ("alertname");--> statement-breakpoint
CREATE INDEX "tuning_decisions_status_idx" ON "tuning_decisions" USING btree ("status","id" DESC NULLS LAST);