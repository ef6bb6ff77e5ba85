ALTER TABLE `brand` ADD `unpaid_hold_minutes` integer DEFAULT 30 NOT NULL CHECK (`unpaid_hold_minutes` BETWEEN 5 AND 1440);--> statement-breakpoint
ALTER TABLE `brand` ADD `max_consumer_units` integer DEFAULT 20 NOT NULL CHECK (`max_consumer_units` BETWEEN 1 AND 9999);--> statement-breakpoint
ALTER TABLE `orders` ADD `expires_at` integer;--> statement-breakpoint
ALTER TABLE `orders` ADD `guest_token_hash` text;--> statement-breakpoint
-- Orders unpaid before this change hold their units for the default 30 minutes from now.
UPDATE `orders` SET `expires_at` = (CAST(strftime('%s', 'now') AS integer) * 1000) + 1800000 WHERE `status` = 'pending_payment';--> statement-breakpoint
CREATE INDEX `orders_unpaid_expiry` ON `orders` (`expires_at`) WHERE status = 'pending_payment';
