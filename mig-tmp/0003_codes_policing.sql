CREATE TABLE `agent_notices` (
	`id` text PRIMARY KEY NOT NULL,
	`agent_id` text NOT NULL,
	`kind` text NOT NULL,
	`inspection_id` text,
	`message` text NOT NULL,
	`amount_fen` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `agent_notices_agent` ON `agent_notices` (`agent_id`,`id`);--> statement-breakpoint
CREATE TABLE `code_batches` (
	`id` text PRIMARY KEY NOT NULL,
	`product_id` text NOT NULL,
	`size` integer NOT NULL,
	`generated` integer NOT NULL,
	`serial_start` integer NOT NULL,
	`note` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`completed_at` integer,
	CONSTRAINT "code_batches_size" CHECK("code_batches"."size" BETWEEN 1 AND 100000),
	CONSTRAINT "code_batches_generated" CHECK("code_batches"."generated" BETWEEN 0 AND "code_batches"."size"),
	CONSTRAINT "code_batches_serial" CHECK("code_batches"."serial_start" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `code_batches_serial_start` ON `code_batches` (`serial_start`);--> statement-breakpoint
CREATE INDEX `code_batches_product` ON `code_batches` (`product_id`,`id`);--> statement-breakpoint
CREATE TABLE `code_bindings` (
	`id` text PRIMARY KEY NOT NULL,
	`agent_id` text NOT NULL,
	`order_id` text,
	`serial_from` integer,
	`serial_to` integer,
	`count` integer NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "code_bindings_count" CHECK("code_bindings"."count" > 0)
);
--> statement-breakpoint
CREATE INDEX `code_bindings_agent` ON `code_bindings` (`agent_id`,`id`);--> statement-breakpoint
CREATE INDEX `code_bindings_order` ON `code_bindings` (`order_id`);--> statement-breakpoint
CREATE TABLE `codes` (
	`code` text PRIMARY KEY NOT NULL,
	`serial` integer NOT NULL,
	`batch_id` text NOT NULL,
	`product_id` text NOT NULL,
	`agent_id` text,
	`cert_number` text,
	`binding_id` text,
	`bound_at` integer,
	`verify_count` integer DEFAULT 0 NOT NULL,
	`first_verified_at` integer,
	`last_verified_at` integer,
	CONSTRAINT "codes_verify_count" CHECK("codes"."verify_count" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `codes_serial` ON `codes` (`serial`);--> statement-breakpoint
CREATE INDEX `codes_agent` ON `codes` (`agent_id`,`serial`);--> statement-breakpoint
CREATE TABLE `inspections` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`agent_id` text NOT NULL,
	`code` text,
	`product_id` text,
	`region_seen` text,
	`authorized_region` text,
	`price_seen_fen` integer,
	`note` text,
	`reporter_contact` text,
	`hits` integer DEFAULT 1 NOT NULL,
	`resolution` text,
	`fine_fen` integer,
	`decided_by` text,
	`decided_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "inspections_kind" CHECK("inspections"."kind" IN ('cross_region', 'price_report')),
	CONSTRAINT "inspections_status" CHECK("inspections"."status" IN ('open', 'dismissed', 'warned', 'fined', 'supply_stopped', 'revoked')),
	CONSTRAINT "inspections_fine" CHECK("inspections"."fine_fen" IS NULL OR "inspections"."fine_fen" > 0),
	CONSTRAINT "inspections_price" CHECK("inspections"."price_seen_fen" IS NULL OR "inspections"."price_seen_fen" >= 0)
);
--> statement-breakpoint
CREATE INDEX `inspections_status` ON `inspections` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `inspections_agent` ON `inspections` (`agent_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `inspections_open_code` ON `inspections` (`code`) WHERE kind = 'cross_region' AND status = 'open';--> statement-breakpoint
CREATE TABLE `kv_cache` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `agents` ADD `supply_stopped_at` integer;--> statement-breakpoint
ALTER TABLE `members` ADD `last_order_at` integer;