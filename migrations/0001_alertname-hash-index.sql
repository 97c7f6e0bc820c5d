DROP INDEX "incidents_alertname_idx";--> statement-breakpoint
CREATE INDEX "incidents_alertname_idx" ON "incidents" USING hash ("alertname");