-- Pictures uploaded into R2: one row per (file hash, uploader), so each uploader attaches only its own uploads.
CREATE TABLE `uploads` (
	`hash` text NOT NULL,
	`owner_id` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`hash`, `owner_id`),
	CONSTRAINT "uploads_hash" CHECK(length("uploads"."hash") = 64),
	CONSTRAINT "uploads_type" CHECK("uploads"."content_type" IN ('image/jpeg', 'image/png', 'image/webp')),
	CONSTRAINT "uploads_size" CHECK("uploads"."size" BETWEEN 1 AND 2097152)
);
--> statement-breakpoint
-- 收款码 (payment QR) of the brand and of each agent; existing rows have none.
ALTER TABLE `brand` ADD `pay_qr_url` text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE `agents` ADD `pay_qr_url` text DEFAULT '' NOT NULL;
--> statement-breakpoint
-- The agent's photo on its share posters; existing agents have none.
ALTER TABLE `agents` ADD `photo_url` text DEFAULT '' NOT NULL;
--> statement-breakpoint
-- Evidence pictures of a price-breaking report; existing reports have none.
ALTER TABLE `inspections` ADD `evidence` text DEFAULT '[]' NOT NULL;
