ALTER TABLE `orders` ADD `late_paid_fen` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `late_refunded_at` integer;--> statement-breakpoint
ALTER TABLE `orders` ADD `late_refund_ref` text;--> statement-breakpoint
CREATE INDEX `orders_late_payment_due` ON `orders` (`id`) WHERE late_paid_fen > 0 AND late_refunded_at IS NULL;