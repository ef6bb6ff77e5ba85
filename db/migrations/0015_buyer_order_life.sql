-- The buyer's side of an order (issue 15): human order numbers, automatic completion after shipment, payment
-- instructions of the payee, and after-sales requests.
-- Order numbers: 8 digits of the China date, 5 of the second of that day, 5 random. Existing orders get theirs from
-- their creation time and the random tail of their id (hex of its last characters, cut to 5 digits).
ALTER TABLE `orders` ADD `order_no` text;--> statement-breakpoint
UPDATE `orders` SET `order_no` =
  strftime('%Y%m%d', (`created_at` / 1000) + 28800, 'unixepoch')
  || printf('%05d', ((`created_at` / 1000) + 28800) % 86400)
  || printf('%05d', abs(unicode(substr(`id`, -1)) * 7919 + unicode(substr(`id`, -2, 1)) * 104729 + unicode(substr(`id`, -3, 1)) * 1299709 + unicode(substr(`id`, -4, 1)) * 15485863) % 100000)
WHERE `order_no` IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `orders_order_no` ON `orders` (`order_no`);--> statement-breakpoint
CREATE INDEX `orders_shipped_due` ON `orders` (`shipped_at`) WHERE status = 'shipped';--> statement-breakpoint
ALTER TABLE `brand` ADD `auto_complete_days` integer DEFAULT 10 NOT NULL CHECK (`auto_complete_days` BETWEEN 1 AND 60);--> statement-breakpoint
ALTER TABLE `brand` ADD `pay_note` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `agents` ADD `pay_note` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE TABLE `after_sales` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`payee_id` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`reason` text NOT NULL,
	`lines` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`answer` text,
	`created_at` integer NOT NULL,
	`decided_at` integer,
	CONSTRAINT "after_sales_kind" CHECK("after_sales"."kind" IN ('refund', 'return')),
	CONSTRAINT "after_sales_status" CHECK("after_sales"."status" IN ('requested', 'approved', 'refused')),
	CONSTRAINT "after_sales_amount" CHECK("after_sales"."amount_fen" > 0)
);--> statement-breakpoint
CREATE INDEX `after_sales_order` ON `after_sales` (`order_id`,`id`);--> statement-breakpoint
CREATE INDEX `after_sales_agent` ON `after_sales` (`agent_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `after_sales_payee` ON `after_sales` (`payee_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `after_sales_status` ON `after_sales` (`status`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `after_sales_one_open` ON `after_sales` (`order_id`) WHERE status = 'requested';
