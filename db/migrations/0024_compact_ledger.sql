-- Compact storage (issue 12): the payment credits every share to its party's account in one transaction (an agent's
-- wallet account `available`), the agent's held counter keeps what is not yet withdrawable, and the release writes no
-- ledger entry. Existing databases: the held counters come from the held shares, and one balanced conversion
-- transaction moves each agent's pending balance to its wallet account (nothing is edited; withdrawable is unchanged).
CREATE TABLE `held_shares` (
	`agent_id` text PRIMARY KEY NOT NULL,
	`held_fen` integer NOT NULL,
	CONSTRAINT "held_shares_not_negative" CHECK("held_shares"."held_fen" >= 0)
);--> statement-breakpoint
INSERT INTO `held_shares` (`agent_id`, `held_fen`)
SELECT s.party_id, sum(s.amount_fen - s.refunded_qty * (s.sell_unit_fen - s.buy_unit_fen))
FROM `order_shares` s JOIN `orders` o ON o.id = s.order_id
WHERE s.status = 'pending' AND s.party_id <> 'brand' AND o.payee_id = 'brand'
GROUP BY s.party_id
HAVING sum(s.amount_fen - s.refunded_qty * (s.sell_unit_fen - s.buy_unit_fen)) > 0;--> statement-breakpoint
INSERT INTO `ledger_entries` (`txn_id`, `account`, `amount_fen`, `kind`, `order_id`, `memo`, `at`)
SELECT 'txn_0024_held_conversion', `account`, -`balance_fen`, 'conversion', NULL,
  'migration 0024: held shares move to the wallet account', CAST(strftime('%s', 'now') AS INTEGER) * 1000
FROM `balances` WHERE `account` LIKE 'agent:%:pending' AND `balance_fen` <> 0
UNION ALL
SELECT 'txn_0024_held_conversion', substr(`account`, 1, length(`account`) - 7) || 'available', `balance_fen`,
  'conversion', NULL, 'migration 0024: held shares move to the wallet account',
  CAST(strftime('%s', 'now') AS INTEGER) * 1000
FROM `balances` WHERE `account` LIKE 'agent:%:pending' AND `balance_fen` <> 0;--> statement-breakpoint
INSERT INTO `balances` (`account`, `balance_fen`)
SELECT `account`, sum(`amount_fen`) FROM `ledger_entries` WHERE `txn_id` = 'txn_0024_held_conversion'
GROUP BY `account`
ON CONFLICT (`account`) DO UPDATE SET `balance_fen` = `balance_fen` + excluded.`balance_fen`;--> statement-breakpoint
-- Nothing reads entries by transaction or order; only the gateway's entries are read by time (the reconciliation).
DROP INDEX `ledger_txn`;--> statement-breakpoint
DROP INDEX `ledger_order`;--> statement-breakpoint
DROP INDEX `ledger_account_at`;--> statement-breakpoint
CREATE INDEX `ledger_gateway_at` ON `ledger_entries` (`at`) WHERE account = 'external:gateway';--> statement-breakpoint
-- Nothing reads shares by party; only held shares wait for their release. Guests' orders need no member index.
DROP INDEX `order_shares_party`;--> statement-breakpoint
DROP INDEX `order_shares_release`;--> statement-breakpoint
DROP INDEX `orders_member`;--> statement-breakpoint
CREATE INDEX `orders_member` ON `orders` (`member_id`,`id`) WHERE member_id IS NOT NULL;--> statement-breakpoint
-- order_shares WITHOUT ROWID: every read and write goes through its primary key (or the held shares' release index),
-- so the table itself is that key's B-tree and its ids are no longer stored twice. Rebuilt under a new name and
-- renamed (no trigger or view names the table; its CHECK names no table, so it survives the rename).
CREATE TABLE `order_shares_compact` (
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
	CONSTRAINT "order_shares_amount" CHECK(`amount_fen` >= 0 AND `amount_fen` = (`sell_unit_fen` - `buy_unit_fen`) * `qty`)
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `order_shares_compact` (`order_id`, `product_id`, `party_id`, `level`, `buy_unit_fen`, `sell_unit_fen`, `qty`,
  `amount_fen`, `status`, `refunded_qty`, `release_at`)
SELECT `order_id`, `product_id`, `party_id`, `level`, `buy_unit_fen`, `sell_unit_fen`, `qty`, `amount_fen`, `status`,
  `refunded_qty`, `release_at`
FROM `order_shares`;--> statement-breakpoint
DROP TABLE `order_shares`;--> statement-breakpoint
ALTER TABLE `order_shares_compact` RENAME TO `order_shares`;--> statement-breakpoint
CREATE INDEX `order_shares_release` ON `order_shares` (`release_at`) WHERE status = 'pending';
