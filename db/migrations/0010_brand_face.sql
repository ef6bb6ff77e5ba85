-- The brand's face on consumer pages: a logo and a theme from the fixed set in site/src/styles/themes.css.
ALTER TABLE `brand` ADD `logo_url` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `brand` ADD `theme` text DEFAULT 'teal' NOT NULL CHECK (`theme` IN ('teal', 'red', 'rose', 'orange', 'gold', 'green', 'blue', 'purple', 'black'));
