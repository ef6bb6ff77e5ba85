-- WeChat OAuth identity (openid per browser and per member) and refunds sent through WeChat Pay.
CREATE TABLE `wechat_visitors` (
	`id` text PRIMARY KEY NOT NULL,
	`openid` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);--> statement-breakpoint
CREATE INDEX `wechat_visitors_expires` ON `wechat_visitors` (`expires_at`);--> statement-breakpoint
ALTER TABLE `members` ADD `openid` text;--> statement-breakpoint
CREATE TABLE `gateway_refunds` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`kind` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`total_fen` integer NOT NULL,
	`reason` text NOT NULL,
	`status` text NOT NULL,
	`wechat_refund_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`settled_at` integer,
	CONSTRAINT "gateway_refunds_amount" CHECK("gateway_refunds"."amount_fen" > 0 AND "gateway_refunds"."amount_fen" <= "gateway_refunds"."total_fen"),
	CONSTRAINT "gateway_refunds_status" CHECK("gateway_refunds"."status" IN ('pending', 'processing', 'succeeded', 'abnormal', 'closed'))
);--> statement-breakpoint
CREATE INDEX `gateway_refunds_order` ON `gateway_refunds` (`order_id`,`id`);--> statement-breakpoint
CREATE INDEX `gateway_refunds_open` ON `gateway_refunds` (`status`,`id`) WHERE status IN ('pending', 'processing');
