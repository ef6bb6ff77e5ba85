-- SMS codes that prove a phone (signup, password reset, guest order tracking): one live code per phone and purpose.
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
-- A guest's orders by the phone it gave (orders placed without a member session).
CREATE INDEX `orders_guest_phone` ON `orders` (`ship_phone`,`id`) WHERE kind = 'consumer' AND member_id IS NULL;
