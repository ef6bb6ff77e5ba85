-- Checkout and the order page name the agent serving a consumer order (issue 15, item 1). A guest whose unproved
-- phone is bound to another agent than the shop's is not told which: such orders have agent_shown = 0. Existing guest
-- orders cannot tell which shop they came through, so they name no agent.
ALTER TABLE `orders` ADD `agent_shown` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
UPDATE `orders` SET `agent_shown` = 0 WHERE `kind` = 'consumer' AND `member_id` IS NULL;
