-- A member's saved delivery addresses, offered at checkout (issue 15): at most one default per member.
CREATE TABLE `member_addresses` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`name` text NOT NULL,
	`phone` text NOT NULL,
	`address` text NOT NULL,
	`is_default` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL
);--> statement-breakpoint
CREATE INDEX `member_addresses_member` ON `member_addresses` (`member_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `member_addresses_default` ON `member_addresses` (`member_id`) WHERE is_default = 1;
