-- 我的客户 search: an agent finds its own customers by the start of a phone or a name without reading the others.
CREATE INDEX `members_agent_phone` ON `members` (`bound_agent_id`,`phone`);--> statement-breakpoint
CREATE INDEX `members_agent_name` ON `members` (`bound_agent_id`,`name`);
--> statement-breakpoint
-- 素材库: copy and pictures the brand posts for agents to share.
CREATE TABLE `materials` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`images` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "materials_title" CHECK(length("materials"."title") BETWEEN 1 AND 60)
);
--> statement-breakpoint
-- Payout accounts: where each agent is paid; a withdrawal keeps a copy of it (old withdrawals have none).
CREATE TABLE `payout_accounts` (
	`agent_id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`account` text NOT NULL,
	`bank` text,
	`updated_at` integer NOT NULL,
	CONSTRAINT "payout_accounts_kind" CHECK("payout_accounts"."kind" IN ('wechat', 'alipay', 'bank')),
	CONSTRAINT "payout_accounts_bank" CHECK(("payout_accounts"."kind" = 'bank') = ("payout_accounts"."bank" IS NOT NULL))
);--> statement-breakpoint
ALTER TABLE `withdrawals` ADD `payout` text;
--> statement-breakpoint
-- 首单金额 applies to agents who joined by application: finding an agent's application must not scan them all.
CREATE INDEX `applications_agent` ON `applications` (`agent_id`);
