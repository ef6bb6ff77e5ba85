-- 我的客户 search: an agent finds its own customers by the start of a phone or a name without reading the others.
CREATE INDEX `members_agent_phone` ON `members` (`bound_agent_id`,`phone`);--> statement-breakpoint
CREATE INDEX `members_agent_name` ON `members` (`bound_agent_id`,`name`);
