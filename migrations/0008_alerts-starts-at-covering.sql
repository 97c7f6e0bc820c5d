-- alerts_starts_at_idx covers the weekly report's flapping query: the week's occurrences are read from the index
-- alone (index-only scan) instead of the heap's wide rows. drizzle cannot declare INCLUDE, so the schema
-- (src/db/schema/alerts.ts) keeps the key and says so; built beside the old index, then swapped under its name.
CREATE INDEX "alerts_starts_at_covering" ON "alerts" USING btree ("starts_at") INCLUDE ("fingerprint", "ends_at", "id");--> statement-breakpoint
DROP INDEX "alerts_starts_at_idx";--> statement-breakpoint
ALTER INDEX "alerts_starts_at_covering" RENAME TO "alerts_starts_at_idx";
