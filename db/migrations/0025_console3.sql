-- Which payout accounts the brand pays to (a JSON array of wechat / alipay / bank, at least one); every existing
-- brand keeps accepting all three, so no agent's account or withdrawal stops working by the upgrade.
ALTER TABLE `brand` ADD `payout_kinds` text DEFAULT '["wechat","alipay","bank"]' NOT NULL CONSTRAINT "brand_payout_kinds" CHECK(json_valid("payout_kinds") AND json_array_length("payout_kinds") BETWEEN 1 AND 3);--> statement-breakpoint
-- 素材库 order: the list reads sort_key descending. An unpinned material's key is its id (newest first); a pinned
-- one's starts with 'pin_' and its pin time, so pinned ones come first, the last pinned on top.
ALTER TABLE `materials` ADD `sort_key` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `materials` ADD `pinned_at` integer;--> statement-breakpoint
ALTER TABLE `materials` ADD `updated_at` integer;--> statement-breakpoint
UPDATE `materials` SET `sort_key` = `id`;--> statement-breakpoint
CREATE UNIQUE INDEX `materials_sort_key` ON `materials` (`sort_key`);--> statement-breakpoint
-- The console's to-do counts (GET /api/agent/counts) read bounded index ranges: orders an agent ships from its stock
-- by status, and its withdrawals by status.
CREATE INDEX `orders_stock_owner_status` ON `orders` (`stock_owner_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `withdrawals_agent_status` ON `withdrawals` (`agent_id`,`status`,`id`);
