-- Intake's keys are now the sha256 (hex) of what they were (src/domain/incidents/notification.ts), so that a
-- groupKey or fingerprint of any length fits a btree entry. Existing rows get the same hash, so an incident stays
-- open for its group and a retry of an alert stored before this migration still lands on its row.
UPDATE "incidents" SET "group_identity" = encode(sha256(convert_to("group_identity", 'UTF8')), 'hex');--> statement-breakpoint
UPDATE "alerts" SET "occurrence_key" = encode(sha256(convert_to("occurrence_key", 'UTF8')), 'hex');
