-- Payouts by WeChat Pay transfer (商家转账到零钱) and the daily reconciliation of WeChat Pay's bills with the ledger.
-- An agent's openid under the merchant's appid; null until known. Existing agents have none.
ALTER TABLE `agents` ADD `openid` text;--> statement-breakpoint
CREATE UNIQUE INDEX `agents_openid` ON `agents` (`openid`);--> statement-breakpoint
-- Off by default: existing brands keep paying by hand until they switch transfers on.
ALTER TABLE `brand` ADD `payout_transfer` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Existing withdrawals were all decided or requested by hand ('manual').
ALTER TABLE `withdrawals` ADD `payout_method` text DEFAULT 'manual' NOT NULL;--> statement-breakpoint
-- out_batch_no and out_detail_no of the transfer (the same string), fixed when the transfer is first requested.
ALTER TABLE `withdrawals` ADD `transfer_no` text;--> statement-breakpoint
ALTER TABLE `withdrawals` ADD `transfer_state` text;--> statement-breakpoint
ALTER TABLE `withdrawals` ADD `checked_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `withdrawals_transfer_no` ON `withdrawals` (`transfer_no`);--> statement-breakpoint
-- A day's gateway postings are read by time, not by id.
CREATE INDEX `ledger_account_at` ON `ledger_entries` (`account`,`at`);--> statement-breakpoint
CREATE TABLE `recon_runs` (
	`day` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`payments` integer DEFAULT 0 NOT NULL,
	`refunds` integer DEFAULT 0 NOT NULL,
	`differences` integer DEFAULT 0 NOT NULL,
	`error` text,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	CONSTRAINT "recon_runs_status" CHECK("recon_runs"."status" IN ('running', 'done', 'failed'))
);
--> statement-breakpoint
CREATE TABLE `recon_differences` (
	`id` text PRIMARY KEY NOT NULL,
	`day` text NOT NULL,
	`kind` text NOT NULL,
	`order_id` text NOT NULL,
	`issue` text NOT NULL,
	`ledger_fen` integer NOT NULL,
	`bill_fen` integer NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`note` text,
	`resolved_by` text,
	`resolved_at` integer,
	`created_at` integer NOT NULL,
	CONSTRAINT "recon_differences_kind" CHECK("recon_differences"."kind" IN ('payment', 'refund')),
	CONSTRAINT "recon_differences_issue" CHECK("recon_differences"."issue" IN ('missing_in_ledger', 'missing_in_bill', 'amount_mismatch')),
	CONSTRAINT "recon_differences_status" CHECK("recon_differences"."status" IN ('open', 'resolved')),
	CONSTRAINT "recon_differences_resolved" CHECK("recon_differences"."status" = 'open' OR "recon_differences"."note" IS NOT NULL)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `recon_differences_key` ON `recon_differences` (`day`,`kind`,`order_id`);--> statement-breakpoint
CREATE INDEX `recon_differences_status_id` ON `recon_differences` (`status`,`id`);
