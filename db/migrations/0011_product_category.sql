-- Categories the brand defines on products, for the shop's category filter; existing products have none ('').
ALTER TABLE `products` ADD `category` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `products_category` ON `products` (`on_sale`,`category`,`id`);
