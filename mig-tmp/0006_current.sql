CREATE TABLE `order_status_counts` (
	`status` text PRIMARY KEY NOT NULL,
	`n` integer NOT NULL,
	CONSTRAINT "order_status_counts_n" CHECK("order_status_counts"."n" >= 0)
);
--> statement-breakpoint
CREATE TABLE `sms_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`phone` text NOT NULL,
	`purpose` text NOT NULL,
	`hash` text NOT NULL,
	`expires_at` integer NOT NULL,
	`tries` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "sms_codes_purpose" CHECK("sms_codes"."purpose" IN ('signup', 'reset', 'orders')),
	CONSTRAINT "sms_codes_tries" CHECK("sms_codes"."tries" BETWEEN 0 AND 5)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sms_codes_phone_purpose` ON `sms_codes` (`phone`,`purpose`);--> statement-breakpoint
CREATE INDEX `sms_codes_expires` ON `sms_codes` (`expires_at`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_brand` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`seal_text` text NOT NULL,
	`stock_model` text NOT NULL,
	`freeze_days` integer NOT NULL,
	`binding_policy` text NOT NULL,
	`rebind_days` integer NOT NULL,
	`withdraw_min_fen` integer NOT NULL,
	`cert_valid_days` integer NOT NULL,
	`unpaid_hold_minutes` integer DEFAULT 30 NOT NULL,
	`max_consumer_units` integer DEFAULT 20 NOT NULL,
	`logo_url` text DEFAULT '' NOT NULL,
	`theme` text DEFAULT 'teal' NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "brand_singleton" CHECK("__new_brand"."id" = 1),
	CONSTRAINT "brand_stock_model" CHECK("__new_brand"."stock_model" IN ('direct', 'cloud')),
	CONSTRAINT "brand_freeze_days" CHECK("__new_brand"."freeze_days" BETWEEN 0 AND 90),
	CONSTRAINT "brand_binding_policy" CHECK("__new_brand"."binding_policy" IN ('permanent', 'rebind')),
	CONSTRAINT "brand_rebind_days" CHECK("__new_brand"."rebind_days" BETWEEN 1 AND 3650),
	CONSTRAINT "brand_withdraw_min" CHECK("__new_brand"."withdraw_min_fen" >= 0),
	CONSTRAINT "brand_cert_valid_days" CHECK("__new_brand"."cert_valid_days" BETWEEN 1 AND 3650),
	CONSTRAINT "brand_unpaid_hold" CHECK("__new_brand"."unpaid_hold_minutes" BETWEEN 5 AND 1440),
	CONSTRAINT "brand_max_consumer_units" CHECK("__new_brand"."max_consumer_units" BETWEEN 1 AND 9999),
	CONSTRAINT "brand_theme" CHECK("__new_brand"."theme" IN ('teal', 'red', 'rose', 'orange', 'gold', 'green', 'blue', 'purple', 'black'))
);
--> statement-breakpoint
INSERT INTO `__new_brand`("id", "name", "seal_text", "stock_model", "freeze_days", "binding_policy", "rebind_days", "withdraw_min_fen", "cert_valid_days", "unpaid_hold_minutes", "max_consumer_units", "logo_url", "theme", "updated_at") SELECT "id", "name", "seal_text", "stock_model", "freeze_days", "binding_policy", "rebind_days", "withdraw_min_fen", "cert_valid_days", "unpaid_hold_minutes", "max_consumer_units", "logo_url", "theme", "updated_at" FROM `brand`;--> statement-breakpoint
DROP TABLE `brand`;--> statement-breakpoint
ALTER TABLE `__new_brand` RENAME TO `brand`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
ALTER TABLE `members` ADD `bound_proof` text;--> statement-breakpoint
ALTER TABLE `members` ADD `bound_proof_ref` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `expires_at` integer;--> statement-breakpoint
ALTER TABLE `orders` ADD `guest_token_hash` text;--> statement-breakpoint
CREATE INDEX `orders_guest_phone` ON `orders` (`ship_phone`,`id`) WHERE kind = 'consumer' AND member_id IS NULL;--> statement-breakpoint
CREATE INDEX `orders_ship_phone` ON `orders` (`ship_phone`,`id`);--> statement-breakpoint
CREATE INDEX `orders_ship_name` ON `orders` (`ship_name`,`id`);--> statement-breakpoint
CREATE INDEX `orders_unpaid_expiry` ON `orders` (`expires_at`) WHERE status = 'pending_payment';--> statement-breakpoint
ALTER TABLE `products` ADD `category` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `products_category` ON `products` (`on_sale`,`category`,`id`);--> statement-breakpoint
CREATE INDEX `agents_name` ON `agents` (`name`);