CREATE INDEX `inspections_kind_status` ON `inspections` (`kind`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `inspections_kind` ON `inspections` (`kind`,`id`);