CREATE TABLE `balances` (
	`account` text PRIMARY KEY NOT NULL,
	`balance_fen` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `idempotency` (
	`key` text PRIMARY KEY NOT NULL,
	`request_hash` text NOT NULL,
	`status` integer NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ledger_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`txn_id` text NOT NULL,
	`account` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`kind` text NOT NULL,
	`order_id` text,
	`memo` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ledger_account` ON `ledger_entries` (`account`,`id`);--> statement-breakpoint
CREATE INDEX `ledger_txn` ON `ledger_entries` (`txn_id`);--> statement-breakpoint
CREATE INDEX `ledger_order` ON `ledger_entries` (`order_id`);--> statement-breakpoint
CREATE TABLE `order_lines` (
	`order_id` text NOT NULL,
	`product_id` text NOT NULL,
	`qty` integer NOT NULL,
	`unit_fen` integer NOT NULL,
	`refunded_qty` integer NOT NULL,
	PRIMARY KEY(`order_id`, `product_id`),
	CONSTRAINT "order_lines_qty" CHECK("order_lines"."qty" > 0 AND "order_lines"."refunded_qty" >= 0 AND "order_lines"."refunded_qty" <= "order_lines"."qty"),
	CONSTRAINT "order_lines_unit" CHECK("order_lines"."unit_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE `order_shares` (
	`order_id` text NOT NULL,
	`product_id` text NOT NULL,
	`party_id` text NOT NULL,
	`level` integer NOT NULL,
	`buy_unit_fen` integer NOT NULL,
	`sell_unit_fen` integer NOT NULL,
	`qty` integer NOT NULL,
	`amount_fen` integer NOT NULL,
	`status` text NOT NULL,
	`refunded_qty` integer NOT NULL,
	`release_at` integer,
	PRIMARY KEY(`order_id`, `product_id`, `party_id`),
	CONSTRAINT "order_shares_amount" CHECK("order_shares"."amount_fen" >= 0 AND "order_shares"."amount_fen" = ("order_shares"."sell_unit_fen" - "order_shares"."buy_unit_fen") * "order_shares"."qty")
);
--> statement-breakpoint
CREATE INDEX `order_shares_release` ON `order_shares` (`status`,`release_at`);--> statement-breakpoint
CREATE INDEX `order_shares_party` ON `order_shares` (`party_id`,`order_id`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`stock_model` text NOT NULL,
	`agent_id` text NOT NULL,
	`payee_id` text NOT NULL,
	`stock_owner_id` text NOT NULL,
	`member_id` text,
	`payment_method` text NOT NULL,
	`status` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`refunded_fen` integer NOT NULL,
	`ship_name` text,
	`ship_phone` text,
	`ship_address` text,
	`carrier` text,
	`tracking_no` text,
	`note` text,
	`created_at` integer NOT NULL,
	`paid_at` integer,
	`shipped_at` integer,
	`completed_at` integer,
	`closed_at` integer,
	CONSTRAINT "orders_kind" CHECK("orders"."kind" IN ('consumer', 'restock', 'pickup')),
	CONSTRAINT "orders_status" CHECK("orders"."status" IN ('pending_payment', 'paid', 'shipped', 'completed', 'cancelled', 'refused', 'refunded')),
	CONSTRAINT "orders_amount" CHECK("orders"."amount_fen" >= 0 AND "orders"."refunded_fen" >= 0 AND "orders"."refunded_fen" <= "orders"."amount_fen")
);
--> statement-breakpoint
CREATE INDEX `orders_agent` ON `orders` (`agent_id`,`id`);--> statement-breakpoint
CREATE INDEX `orders_payee_status` ON `orders` (`payee_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `orders_member` ON `orders` (`member_id`,`id`);--> statement-breakpoint
CREATE INDEX `orders_status` ON `orders` (`status`,`id`);--> statement-breakpoint
CREATE TABLE `payment_events` (
	`event_id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`transaction_id` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `product_prices` (
	`product_id` text NOT NULL,
	`level` integer NOT NULL,
	`price_fen` integer NOT NULL,
	PRIMARY KEY(`product_id`, `level`),
	CONSTRAINT "product_prices_positive" CHECK("product_prices"."price_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE `products` (
	`id` text PRIMARY KEY NOT NULL,
	`sku` text NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`images` text NOT NULL,
	`retail_fen` integer NOT NULL,
	`on_sale` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "products_retail" CHECK("products"."retail_fen" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `products_sku` ON `products` (`sku`);--> statement-breakpoint
CREATE TABLE `stock` (
	`owner_id` text NOT NULL,
	`product_id` text NOT NULL,
	`qty` integer NOT NULL,
	PRIMARY KEY(`owner_id`, `product_id`),
	CONSTRAINT "stock_not_negative" CHECK("stock"."qty" >= 0)
);
--> statement-breakpoint
CREATE TABLE `withdrawals` (
	`id` text PRIMARY KEY NOT NULL,
	`agent_id` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`status` text NOT NULL,
	`reference` text,
	`reason` text,
	`created_at` integer NOT NULL,
	`decided_at` integer,
	CONSTRAINT "withdrawals_amount" CHECK("withdrawals"."amount_fen" > 0)
);
--> statement-breakpoint
CREATE INDEX `withdrawals_agent` ON `withdrawals` (`agent_id`,`id`);--> statement-breakpoint
CREATE INDEX `withdrawals_status` ON `withdrawals` (`status`,`id`);