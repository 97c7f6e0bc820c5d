-- Decisions keep their rule's static labels: of a warning/critical pair of one group, they say which rule's firings a
-- verification and a report's tuning effect count (src/db/schema/tuning.ts).
ALTER TABLE "tuning_decisions" ADD COLUMN "rule_labels" jsonb DEFAULT '{}'::jsonb NOT NULL;