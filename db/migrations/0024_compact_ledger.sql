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
CREATE INDEX `order_shares_release` ON `order_shares` (`release_at`) WHERE status = 'pending';--> statement-breakpoint
DROP INDEX `orders_member`;--> statement-breakpoint
CREATE INDEX `orders_member` ON `orders` (`member_id`,`id`) WHERE member_id IS NOT NULL;
