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
--> statement-breakpoint
-- Restoring a month inserts orders and lines again: the board's rollups still count them (archiving never took them
-- out), so these insert triggers stay quiet while a restore runs. Rewritten from 0014 with that one condition.
CREATE INDEX `archive_months_phase` ON `archive_months` (`phase`);
--> statement-breakpoint
DROP TRIGGER `orders_board_insert`;--> statement-breakpoint
CREATE TRIGGER `orders_board_insert` AFTER INSERT ON `orders`
	WHEN NEW.`paid_at` IS NOT NULL AND NEW.`kind` <> 'pickup' AND NOT EXISTS (SELECT 1 FROM `archive_months` WHERE `phase` = 'restoring') BEGIN
	INSERT INTO `sale_facts` (`order_id`, `day`, `month`, `agent_id`, `team_id`, `level`, `province`, `consumer`)
		SELECT NEW.`id`, strftime('%Y-%m-%d', NEW.`paid_at` / 1000 + 28800, 'unixepoch'), strftime('%Y-%m', NEW.`paid_at` / 1000 + 28800, 'unixepoch'), NEW.`agent_id`, t.`team_id`, t.`level`, t.`province`,
			CASE WHEN NEW.`kind` = 'consumer' THEN coalesce(NEW.`member_id`, 'tel:' || NEW.`ship_phone`, 'order:' || NEW.`id`) END
		FROM `agent_teams` t WHERE t.`agent_id` = NEW.`agent_id`;
	INSERT INTO `daily_stats` (`day`, `orders`, `sales_fen`) VALUES (strftime('%Y-%m-%d', NEW.`paid_at` / 1000 + 28800, 'unixepoch'), 1, NEW.`amount_fen` - NEW.`refunded_fen`)
		ON CONFLICT (`day`) DO UPDATE SET `orders` = `orders` + 1, `sales_fen` = `sales_fen` + excluded.`sales_fen`;
	INSERT INTO `board_agents` (`month`, `metric`, `agent_id`, `team_id`, `value`)
		SELECT `month`, 'sales', `agent_id`, `team_id`, NEW.`amount_fen` - NEW.`refunded_fen` FROM `sale_facts` WHERE `order_id` = NEW.`id`
		ON CONFLICT (`month`, `metric`, `agent_id`) DO UPDATE SET `value` = `value` + excluded.`value`;
	INSERT INTO `board_teams` (`month`, `metric`, `team_id`, `value`)
		SELECT `month`, 'sales', `team_id`, NEW.`amount_fen` - NEW.`refunded_fen` FROM `sale_facts` WHERE `order_id` = NEW.`id`
		ON CONFLICT (`month`, `metric`, `team_id`) DO UPDATE SET `value` = `value` + excluded.`value`;
	INSERT INTO `month_breakdown` (`month`, `dim`, `key`, `sales_fen`, `units`)
		SELECT f.`month`, d.`dim`, CASE d.`dim` WHEN 'level' THEN CAST(f.`level` AS TEXT) ELSE f.`province` END, NEW.`amount_fen` - NEW.`refunded_fen`, 0
		FROM `sale_facts` f, (SELECT 'level' AS `dim` UNION ALL SELECT 'province') d WHERE f.`order_id` = NEW.`id`
		ON CONFLICT (`month`, `dim`, `key`) DO UPDATE SET `sales_fen` = `sales_fen` + excluded.`sales_fen`;
	INSERT INTO `month_breakdown` (`month`, `dim`, `key`, `sales_fen`, `units`)
		SELECT strftime('%Y-%m', NEW.`paid_at` / 1000 + 28800, 'unixepoch'), 'product', l.`product_id`, (l.`qty` - l.`refunded_qty`) * l.`unit_fen`, l.`qty` - l.`refunded_qty`
		FROM `order_lines` l WHERE l.`order_id` = NEW.`id`
		ON CONFLICT (`month`, `dim`, `key`) DO UPDATE SET `sales_fen` = `sales_fen` + excluded.`sales_fen`, `units` = `units` + excluded.`units`;
END;
--> statement-breakpoint
DROP TRIGGER `orders_board_insert_consumer`;--> statement-breakpoint
CREATE TRIGGER `orders_board_insert_consumer` AFTER INSERT ON `orders`
	WHEN NEW.`paid_at` IS NOT NULL AND NEW.`kind` = 'consumer' AND NOT EXISTS (SELECT 1 FROM `archive_months` WHERE `phase` = 'restoring') BEGIN
	INSERT INTO `consumer_orders` (`consumer`, `n`) VALUES (coalesce(NEW.`member_id`, 'tel:' || NEW.`ship_phone`, 'order:' || NEW.`id`), 1)
		ON CONFLICT (`consumer`) DO UPDATE SET `n` = `n` + 1;
	UPDATE `buyer_totals` SET (`buyers`, `repeaters`) =
		(SELECT `buyers` + (c.`n` = 1), `repeaters` + (c.`n` = 2) FROM `consumer_orders` c WHERE c.`consumer` = coalesce(NEW.`member_id`, 'tel:' || NEW.`ship_phone`, 'order:' || NEW.`id`))
		WHERE `id` = 1;
END;
--> statement-breakpoint
DROP TRIGGER `order_lines_board_insert`;--> statement-breakpoint
CREATE TRIGGER `order_lines_board_insert` AFTER INSERT ON `order_lines`
	WHEN EXISTS (SELECT 1 FROM `sale_facts` WHERE `order_id` = NEW.`order_id`) AND NOT EXISTS (SELECT 1 FROM `archive_months` WHERE `phase` = 'restoring') BEGIN
	INSERT INTO `month_breakdown` (`month`, `dim`, `key`, `sales_fen`, `units`)
		SELECT `month`, 'product', NEW.`product_id`, (NEW.`qty` - NEW.`refunded_qty`) * NEW.`unit_fen`, NEW.`qty` - NEW.`refunded_qty`
		FROM `sale_facts` WHERE `order_id` = NEW.`order_id`
		ON CONFLICT (`month`, `dim`, `key`) DO UPDATE SET `sales_fen` = `sales_fen` + excluded.`sales_fen`, `units` = `units` + excluded.`units`;
END;