-- Incentives (issue 17): reward rules paid on purchases, automatic upgrades, points and gifts.
CREATE TABLE `agent_progress` (
	`agent_id` text PRIMARY KEY NOT NULL,
	`restock_fen` integer DEFAULT 0 NOT NULL,
	`first_restock_order_id` text,
	`same_level_recruits` integer DEFAULT 0 NOT NULL,
	`points` integer DEFAULT 0 NOT NULL,
	CONSTRAINT "agent_progress_counts" CHECK("agent_progress"."restock_fen" >= 0 AND "agent_progress"."same_level_recruits" >= 0)
);

CREATE TABLE `gifts` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`points_cost` integer NOT NULL,
	`stock` integer NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "gifts_cost" CHECK("gifts"."points_cost" > 0),
	CONSTRAINT "gifts_stock" CHECK("gifts"."stock" >= 0)
);

CREATE TABLE `incentive_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`points_per_yuan` integer DEFAULT 0 NOT NULL,
	`points_toward_upgrade` integer DEFAULT false NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "incentive_settings_singleton" CHECK("incentive_settings"."id" = 1),
	CONSTRAINT "incentive_settings_points" CHECK("incentive_settings"."points_per_yuan" BETWEEN 0 AND 100)
);

CREATE TABLE `points_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`agent_id` text NOT NULL,
	`kind` text NOT NULL,
	`points` integer NOT NULL,
	`order_id` text,
	`gift_id` text,
	`at` integer NOT NULL
);

CREATE INDEX `points_entries_agent` ON `points_entries` (`agent_id`,`id`);
CREATE INDEX `points_entries_order` ON `points_entries` (`order_id`);
CREATE TABLE `recruit_counts` (
	`agent_id` text NOT NULL,
	`period` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`agent_id`, `period`)
);

CREATE TABLE `reward_grants` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`rule_id` text NOT NULL,
	`kind` text NOT NULL,
	`depth` integer NOT NULL,
	`amount_fen` integer NOT NULL,
	`reversed_fen` integer DEFAULT 0 NOT NULL,
	`at` integer NOT NULL,
	CONSTRAINT "reward_grants_amount" CHECK("reward_grants"."amount_fen" > 0 AND "reward_grants"."reversed_fen" BETWEEN 0 AND "reward_grants"."amount_fen")
);

CREATE INDEX `reward_grants_order` ON `reward_grants` (`order_id`);
CREATE INDEX `reward_grants_agent` ON `reward_grants` (`agent_id`,`id`);
CREATE TABLE `reward_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`depth` integer DEFAULT 1 NOT NULL,
	`amount_fen` integer DEFAULT 0 NOT NULL,
	`bps` integer DEFAULT 0 NOT NULL,
	`min_recruits` integer DEFAULT 0 NOT NULL,
	CONSTRAINT "reward_rules_kind" CHECK("reward_rules"."kind" IN ('referral', 'same_level', 'tiered')),
	CONSTRAINT "reward_rules_depth" CHECK("reward_rules"."depth" BETWEEN 1 AND 3),
	CONSTRAINT "reward_rules_money" CHECK("reward_rules"."amount_fen" >= 0 AND "reward_rules"."bps" BETWEEN 0 AND 10000)
);

CREATE TABLE `upgrade_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`target_level` integer,
	`threshold_fen` integer DEFAULT 0 NOT NULL,
	`refer_count` integer DEFAULT 0 NOT NULL,
	CONSTRAINT "upgrade_rules_kind" CHECK("upgrade_rules"."kind" IN ('cumulative', 'single', 'refer'))
);

-- Points off until the brand sets a rate; one settings row.
INSERT INTO `incentive_settings` (`id`, `points_per_yuan`, `points_toward_upgrade`, `updated_at`) VALUES (1, 0, false, 0);
-- Agents who already restocked keep their cumulative amount and are not "first restock" again.
INSERT INTO `agent_progress` (`agent_id`, `restock_fen`, `first_restock_order_id`)
  SELECT `agent_id`, sum(`amount_fen` - `refunded_fen`), min(`id`) FROM `orders`
  WHERE `kind` = 'restock' AND `status` IN ('paid', 'shipped', 'completed') GROUP BY `agent_id`;
