CREATE TABLE `admins` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`name` text NOT NULL,
	`password_hash` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `admins_username` ON `admins` (`username`);--> statement-breakpoint
CREATE TABLE `agents` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`phone` text NOT NULL,
	`wechat` text NOT NULL,
	`region` text NOT NULL,
	`level` integer NOT NULL,
	`status` text NOT NULL,
	`status_reason` text,
	`supplier_id` text,
	`referrer_id` text,
	`password_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`level`) REFERENCES `levels`(`rank`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "agents_status" CHECK("agents"."status" IN ('active', 'suspended', 'revoked')),
	CONSTRAINT "agents_not_own_supplier" CHECK("agents"."supplier_id" IS NULL OR "agents"."supplier_id" <> "agents"."id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agents_code` ON `agents` (`code`);--> statement-breakpoint
CREATE UNIQUE INDEX `agents_phone` ON `agents` (`phone`);--> statement-breakpoint
CREATE UNIQUE INDEX `agents_wechat` ON `agents` (`wechat`);--> statement-breakpoint
CREATE INDEX `agents_supplier_level` ON `agents` (`supplier_id`,`level`);--> statement-breakpoint
CREATE INDEX `agents_level_id` ON `agents` (`level`,`id`);--> statement-breakpoint
CREATE TABLE `applications` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`phone` text NOT NULL,
	`wechat` text NOT NULL,
	`region` text NOT NULL,
	`level` integer NOT NULL,
	`referrer_id` text,
	`supplier_id` text,
	`status` text NOT NULL,
	`reason` text,
	`password_hash` text NOT NULL,
	`agent_id` text,
	`decided_by` text,
	`decided_at` integer,
	`created_at` integer NOT NULL,
	CONSTRAINT "applications_status" CHECK("applications"."status" IN ('pending', 'approved', 'rejected'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `applications_pending_phone` ON `applications` (`phone`) WHERE status = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX `applications_pending_wechat` ON `applications` (`wechat`) WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX `applications_supplier_status` ON `applications` (`supplier_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `applications_status_id` ON `applications` (`status`,`id`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`actor_role` text NOT NULL,
	`actor_id` text,
	`action` text NOT NULL,
	`target_type` text NOT NULL,
	`target_id` text NOT NULL,
	`detail` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_target` ON `audit_log` (`target_id`,`id`);--> statement-breakpoint
CREATE TABLE `brand` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`seal_text` text NOT NULL,
	`stock_model` text NOT NULL,
	`freeze_days` integer NOT NULL,
	`binding_policy` text NOT NULL,
	`rebind_days` integer NOT NULL,
	`withdraw_min_fen` integer NOT NULL,
	`cert_valid_days` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "brand_singleton" CHECK("brand"."id" = 1),
	CONSTRAINT "brand_stock_model" CHECK("brand"."stock_model" IN ('direct', 'cloud')),
	CONSTRAINT "brand_freeze_days" CHECK("brand"."freeze_days" BETWEEN 0 AND 90),
	CONSTRAINT "brand_binding_policy" CHECK("brand"."binding_policy" IN ('permanent', 'rebind')),
	CONSTRAINT "brand_rebind_days" CHECK("brand"."rebind_days" BETWEEN 1 AND 3650),
	CONSTRAINT "brand_withdraw_min" CHECK("brand"."withdraw_min_fen" >= 0),
	CONSTRAINT "brand_cert_valid_days" CHECK("brand"."cert_valid_days" BETWEEN 1 AND 3650)
);
--> statement-breakpoint
CREATE TABLE `cert_lookups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`agent_id` text NOT NULL,
	`via` text NOT NULL,
	`region` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `cert_lookups_agent` ON `cert_lookups` (`agent_id`,`id`);--> statement-breakpoint
CREATE TABLE `certificates` (
	`number` text PRIMARY KEY NOT NULL,
	`agent_id` text NOT NULL,
	`valid_from` integer NOT NULL,
	`valid_until` integer NOT NULL,
	`issued_at` integer NOT NULL,
	CONSTRAINT "certificates_validity" CHECK("certificates"."valid_until" > "certificates"."valid_from")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `certificates_agent` ON `certificates` (`agent_id`);--> statement-breakpoint
CREATE TABLE `guards` (
	`id` integer PRIMARY KEY NOT NULL,
	`ok` integer NOT NULL,
	CONSTRAINT "guards_ok" CHECK("guards"."ok" > 0)
);
--> statement-breakpoint
CREATE TABLE `levels` (
	`rank` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`first_order_fen` integer NOT NULL,
	CONSTRAINT "levels_rank" CHECK("levels"."rank" BETWEEN 1 AND 9),
	CONSTRAINT "levels_first_order" CHECK("levels"."first_order_fen" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `levels_name` ON `levels` (`name`);--> statement-breakpoint
CREATE TABLE `members` (
	`id` text PRIMARY KEY NOT NULL,
	`phone` text NOT NULL,
	`name` text NOT NULL,
	`password_hash` text NOT NULL,
	`bound_agent_id` text,
	`bound_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `members_phone` ON `members` (`phone`);--> statement-breakpoint
CREATE INDEX `members_bound_agent` ON `members` (`bound_agent_id`,`id`);--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`key` text NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`key`, `window_start`)
);
--> statement-breakpoint
CREATE INDEX `rate_limits_window` ON `rate_limits` (`window_start`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`role` text NOT NULL,
	`subject_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sessions_subject` ON `sessions` (`subject_id`);--> statement-breakpoint
CREATE INDEX `sessions_expires` ON `sessions` (`expires_at`);--> statement-breakpoint
CREATE TABLE `team_counts` (
	`owner_id` text NOT NULL,
	`level` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`owner_id`, `level`),
	CONSTRAINT "team_counts_non_negative" CHECK("team_counts"."count" >= 0)
);
--> statement-breakpoint
CREATE TABLE `team_members` (
	`ancestor_id` text NOT NULL,
	`member_id` text NOT NULL,
	`level` integer NOT NULL,
	`status` text NOT NULL,
	PRIMARY KEY(`ancestor_id`, `member_id`)
);
--> statement-breakpoint
CREATE INDEX `team_members_member` ON `team_members` (`member_id`);--> statement-breakpoint
CREATE INDEX `team_members_level` ON `team_members` (`ancestor_id`,`level`,`member_id`);--> statement-breakpoint
CREATE INDEX `team_members_status` ON `team_members` (`ancestor_id`,`status`,`member_id`);