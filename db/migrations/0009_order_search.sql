-- Brand order search reads through indexes only: an exact phone or consignee, an agent's name, an id prefix.
CREATE INDEX `orders_ship_phone` ON `orders` (`ship_phone`,`id`);--> statement-breakpoint
CREATE INDEX `orders_ship_name` ON `orders` (`ship_name`,`id`);--> statement-breakpoint
CREATE INDEX `agents_name` ON `agents` (`name`);--> statement-breakpoint
-- Orders per status for the console's tabs, kept by triggers in the same statement as each order write, so every
-- write path (placing, paying, shipping, cancelling, refunding, jobs) keeps them exact without a count over orders.
CREATE TABLE `order_status_counts` (
	`status` text PRIMARY KEY NOT NULL,
	`n` integer NOT NULL,
	CONSTRAINT "order_status_counts_n" CHECK("order_status_counts"."n" >= 0)
);--> statement-breakpoint
INSERT INTO `order_status_counts` (`status`, `n`) SELECT `status`, count(*) FROM `orders` GROUP BY `status`;--> statement-breakpoint
CREATE TRIGGER `orders_count_insert` AFTER INSERT ON `orders` BEGIN
	INSERT INTO `order_status_counts` (`status`, `n`) VALUES (NEW.`status`, 1)
		ON CONFLICT (`status`) DO UPDATE SET `n` = `n` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `orders_count_update` AFTER UPDATE OF `status` ON `orders` WHEN OLD.`status` <> NEW.`status` BEGIN
	UPDATE `order_status_counts` SET `n` = `n` - 1 WHERE `status` = OLD.`status`;
	INSERT INTO `order_status_counts` (`status`, `n`) VALUES (NEW.`status`, 1)
		ON CONFLICT (`status`) DO UPDATE SET `n` = `n` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `orders_count_delete` AFTER DELETE ON `orders` BEGIN
	UPDATE `order_status_counts` SET `n` = `n` - 1 WHERE `status` = OLD.`status`;
END;
