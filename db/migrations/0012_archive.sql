-- Closed months move to R2 (worker/archive/): the job's state per month and the balances at the archived end.
CREATE TABLE `archive_months` (
	`month` text PRIMARY KEY NOT NULL,
	`phase` text NOT NULL,
	`table_idx` integer DEFAULT 0 NOT NULL,
	`cursor` text,
	`chunks` integer DEFAULT 0 NOT NULL,
	`ledger_from_id` integer NOT NULL,
	`ledger_to_id` integer NOT NULL,
	`meta` text NOT NULL,
	`hold_until` integer,
	`started_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "archive_months_phase" CHECK("archive_months"."phase" IN ('export', 'compose', 'verify', 'delete', 'done', 'restoring', 'restored')),
	CONSTRAINT "archive_months_ledger" CHECK("archive_months"."ledger_from_id" >= 0 AND "archive_months"."ledger_to_id" >= "archive_months"."ledger_from_id")
);
--> statement-breakpoint
CREATE TABLE `closing_balances` (
	`account` text PRIMARY KEY NOT NULL,
	`balance_fen` integer NOT NULL
);
--> statement-breakpoint
-- Months older than this many (and closed) are archived; existing brands get the default.
ALTER TABLE `brand` ADD `archive_after_months` integer DEFAULT 6 NOT NULL CONSTRAINT "brand_archive_after_months" CHECK("archive_after_months" BETWEEN 1 AND 120);
