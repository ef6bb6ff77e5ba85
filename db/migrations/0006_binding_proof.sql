ALTER TABLE `members` ADD `bound_proof` text;--> statement-breakpoint
ALTER TABLE `members` ADD `bound_proof_ref` text;--> statement-breakpoint
UPDATE `members` SET `bound_proof` = 'order', `bound_proof_ref` = (
  SELECT o.`id` FROM `orders` o
  WHERE o.`paid_at` IS NOT NULL AND o.`agent_id` = `members`.`bound_agent_id`
    AND (o.`member_id` = `members`.`id` OR (o.`member_id` IS NULL AND o.`ship_phone` = `members`.`phone`))
  ORDER BY o.`paid_at` DESC LIMIT 1
) WHERE `bound_agent_id` IS NOT NULL;--> statement-breakpoint
UPDATE `members` SET `bound_proof` = NULL WHERE `bound_proof_ref` IS NULL;
