-- Pre-aggregated rows for the team PK leaderboards and the brand dashboard (issue 17), kept by triggers in the same
-- statement as the order, agent and member writes (as order_status_counts is), so no reader scans orders.
-- Days and months are China time (UTC+8). A sale is a paid consumer or restock order, counted net of refunds on the
-- day it was paid. The tables' own rows are back-filled from existing data at the end.
CREATE TABLE `agent_teams` (
	`agent_id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`level` integer NOT NULL,
	`province` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `agent_teams_team` ON `agent_teams` (`team_id`);
--> statement-breakpoint
CREATE TABLE `sale_facts` (
	`order_id` text PRIMARY KEY NOT NULL,
	`day` text NOT NULL,
	`month` text NOT NULL,
	`agent_id` text NOT NULL,
	`team_id` text NOT NULL,
	`level` integer NOT NULL,
	`province` text NOT NULL,
	`consumer` text
);
--> statement-breakpoint
CREATE TABLE `board_agents` (
	`month` text NOT NULL,
	`metric` text NOT NULL,
	`agent_id` text NOT NULL,
	`team_id` text NOT NULL,
	`value` integer NOT NULL,
	PRIMARY KEY(`month`, `metric`, `agent_id`),
	CONSTRAINT "board_agents_metric" CHECK("board_agents"."metric" IN ('sales', 'agents', 'members'))
);
--> statement-breakpoint
CREATE INDEX `board_agents_rank` ON `board_agents` (`month`,`metric`,`value`,`agent_id`);
--> statement-breakpoint
CREATE INDEX `board_agents_team_rank` ON `board_agents` (`month`,`metric`,`team_id`,`value`,`agent_id`);
--> statement-breakpoint
CREATE TABLE `board_teams` (
	`month` text NOT NULL,
	`metric` text NOT NULL,
	`team_id` text NOT NULL,
	`value` integer NOT NULL,
	PRIMARY KEY(`month`, `metric`, `team_id`),
	CONSTRAINT "board_teams_metric" CHECK("board_teams"."metric" IN ('sales', 'agents', 'members'))
);
--> statement-breakpoint
CREATE INDEX `board_teams_rank` ON `board_teams` (`month`,`metric`,`value`,`team_id`);
--> statement-breakpoint
CREATE TABLE `team_targets` (
	`month` text NOT NULL,
	`team_id` text NOT NULL,
	`sales_fen` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`month`, `team_id`),
	CONSTRAINT "team_targets_sales" CHECK("team_targets"."sales_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE `daily_stats` (
	`day` text PRIMARY KEY NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL,
	`sales_fen` integer DEFAULT 0 NOT NULL,
	`new_agents` integer DEFAULT 0 NOT NULL,
	`new_members` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `month_breakdown` (
	`month` text NOT NULL,
	`dim` text NOT NULL,
	`key` text NOT NULL,
	`sales_fen` integer NOT NULL,
	`units` integer NOT NULL,
	PRIMARY KEY(`month`, `dim`, `key`),
	CONSTRAINT "month_breakdown_dim" CHECK("month_breakdown"."dim" IN ('level', 'province', 'product'))
);
--> statement-breakpoint
CREATE INDEX `month_breakdown_rank` ON `month_breakdown` (`month`,`dim`,`sales_fen`,`key`);
--> statement-breakpoint
CREATE TABLE `consumer_orders` (
	`consumer` text PRIMARY KEY NOT NULL,
	`n` integer NOT NULL,
	CONSTRAINT "consumer_orders_n" CHECK("consumer_orders"."n" >= 0)
);
--> statement-breakpoint
CREATE TABLE `buyer_totals` (
	`id` integer PRIMARY KEY NOT NULL,
	`buyers` integer NOT NULL,
	`repeaters` integer NOT NULL,
	CONSTRAINT "buyer_totals_singleton" CHECK("buyer_totals"."id" = 1)
);
--> statement-breakpoint
-- Back-fill: each agent's team is the agent at the top of its supply chain (the one the brand supplies).
INSERT INTO `agent_teams` (`agent_id`, `team_id`, `level`, `province`)
	SELECT a.`id`, coalesce((SELECT tm.`ancestor_id` FROM `team_members` tm JOIN `agents` h ON h.`id` = tm.`ancestor_id`
		WHERE tm.`member_id` = a.`id` AND h.`supplier_id` IS NULL LIMIT 1), a.`id`), a.`level`, CASE WHEN substr(a.`region`, 1, 3) = '内蒙古' THEN '内蒙古' WHEN substr(a.`region`, 1, 3) = '黑龙江' THEN '黑龙江' WHEN substr(a.`region`, 1, 2) = '北京' THEN '北京' WHEN substr(a.`region`, 1, 2) = '天津' THEN '天津' WHEN substr(a.`region`, 1, 2) = '河北' THEN '河北' WHEN substr(a.`region`, 1, 2) = '山西' THEN '山西' WHEN substr(a.`region`, 1, 2) = '辽宁' THEN '辽宁' WHEN substr(a.`region`, 1, 2) = '吉林' THEN '吉林' WHEN substr(a.`region`, 1, 2) = '上海' THEN '上海' WHEN substr(a.`region`, 1, 2) = '江苏' THEN '江苏' WHEN substr(a.`region`, 1, 2) = '浙江' THEN '浙江' WHEN substr(a.`region`, 1, 2) = '安徽' THEN '安徽' WHEN substr(a.`region`, 1, 2) = '福建' THEN '福建' WHEN substr(a.`region`, 1, 2) = '江西' THEN '江西' WHEN substr(a.`region`, 1, 2) = '山东' THEN '山东' WHEN substr(a.`region`, 1, 2) = '河南' THEN '河南' WHEN substr(a.`region`, 1, 2) = '湖北' THEN '湖北' WHEN substr(a.`region`, 1, 2) = '湖南' THEN '湖南' WHEN substr(a.`region`, 1, 2) = '广东' THEN '广东' WHEN substr(a.`region`, 1, 2) = '广西' THEN '广西' WHEN substr(a.`region`, 1, 2) = '海南' THEN '海南' WHEN substr(a.`region`, 1, 2) = '重庆' THEN '重庆' WHEN substr(a.`region`, 1, 2) = '四川' THEN '四川' WHEN substr(a.`region`, 1, 2) = '贵州' THEN '贵州' WHEN substr(a.`region`, 1, 2) = '云南' THEN '云南' WHEN substr(a.`region`, 1, 2) = '西藏' THEN '西藏' WHEN substr(a.`region`, 1, 2) = '陕西' THEN '陕西' WHEN substr(a.`region`, 1, 2) = '甘肃' THEN '甘肃' WHEN substr(a.`region`, 1, 2) = '青海' THEN '青海' WHEN substr(a.`region`, 1, 2) = '宁夏' THEN '宁夏' WHEN substr(a.`region`, 1, 2) = '新疆' THEN '新疆' WHEN substr(a.`region`, 1, 2) = '台湾' THEN '台湾' WHEN substr(a.`region`, 1, 2) = '香港' THEN '香港' WHEN substr(a.`region`, 1, 2) = '澳门' THEN '澳门' ELSE '' END
	FROM `agents` a;
--> statement-breakpoint
INSERT INTO `sale_facts` (`order_id`, `day`, `month`, `agent_id`, `team_id`, `level`, `province`, `consumer`)
	SELECT o.`id`, strftime('%Y-%m-%d', o.`paid_at` / 1000 + 28800, 'unixepoch'), strftime('%Y-%m', o.`paid_at` / 1000 + 28800, 'unixepoch'), o.`agent_id`, t.`team_id`, a.`level`, t.`province`,
		CASE WHEN o.`kind` = 'consumer' THEN coalesce(o.`member_id`, 'tel:' || o.`ship_phone`, 'order:' || o.`id`) END
	FROM `orders` o JOIN `agents` a ON a.`id` = o.`agent_id` JOIN `agent_teams` t ON t.`agent_id` = a.`id`
	WHERE o.`paid_at` IS NOT NULL AND o.`kind` <> 'pickup';
--> statement-breakpoint
INSERT INTO `daily_stats` (`day`, `orders`, `sales_fen`)
	SELECT f.`day`, count(*), sum(o.`amount_fen` - o.`refunded_fen`) FROM `sale_facts` f JOIN `orders` o ON o.`id` = f.`order_id` GROUP BY f.`day`;
--> statement-breakpoint
INSERT INTO `daily_stats` (`day`, `new_agents`) SELECT strftime('%Y-%m-%d', `created_at` / 1000 + 28800, 'unixepoch') AS d, count(*) FROM `agents` WHERE true GROUP BY d
	ON CONFLICT (`day`) DO UPDATE SET `new_agents` = excluded.`new_agents`;
--> statement-breakpoint
INSERT INTO `daily_stats` (`day`, `new_members`) SELECT strftime('%Y-%m-%d', `created_at` / 1000 + 28800, 'unixepoch') AS d, count(*) FROM `members` WHERE true GROUP BY d
	ON CONFLICT (`day`) DO UPDATE SET `new_members` = excluded.`new_members`;
--> statement-breakpoint
INSERT INTO `board_agents` (`month`, `metric`, `agent_id`, `team_id`, `value`)
	SELECT f.`month`, 'sales', f.`agent_id`, min(f.`team_id`), sum(o.`amount_fen` - o.`refunded_fen`)
	FROM `sale_facts` f JOIN `orders` o ON o.`id` = f.`order_id` GROUP BY f.`month`, f.`agent_id`;
--> statement-breakpoint
INSERT INTO `board_agents` (`month`, `metric`, `agent_id`, `team_id`, `value`)
	SELECT strftime('%Y-%m', r.`created_at` / 1000 + 28800, 'unixepoch') AS m, 'agents', r.`referrer_id`, min(t.`team_id`), count(*)
	FROM `agents` r JOIN `agent_teams` t ON t.`agent_id` = r.`referrer_id` GROUP BY m, r.`referrer_id`;
--> statement-breakpoint
INSERT INTO `board_agents` (`month`, `metric`, `agent_id`, `team_id`, `value`)
	SELECT strftime('%Y-%m', m.`created_at` / 1000 + 28800, 'unixepoch') AS mo, 'members', m.`bound_agent_id`, min(t.`team_id`), count(*)
	FROM `members` m JOIN `agent_teams` t ON t.`agent_id` = m.`bound_agent_id` GROUP BY mo, m.`bound_agent_id`;
--> statement-breakpoint
INSERT INTO `board_teams` (`month`, `metric`, `team_id`, `value`)
	SELECT f.`month`, 'sales', f.`team_id`, sum(o.`amount_fen` - o.`refunded_fen`)
	FROM `sale_facts` f JOIN `orders` o ON o.`id` = f.`order_id` GROUP BY f.`month`, f.`team_id`;
--> statement-breakpoint
INSERT INTO `board_teams` (`month`, `metric`, `team_id`, `value`)
	SELECT strftime('%Y-%m', a.`created_at` / 1000 + 28800, 'unixepoch') AS m, 'agents', t.`team_id`, count(*) FROM `agents` a JOIN `agent_teams` t ON t.`agent_id` = a.`id` GROUP BY m, t.`team_id`;
--> statement-breakpoint
INSERT INTO `board_teams` (`month`, `metric`, `team_id`, `value`)
	SELECT strftime('%Y-%m', m.`created_at` / 1000 + 28800, 'unixepoch') AS mo, 'members', t.`team_id`, count(*)
	FROM `members` m JOIN `agent_teams` t ON t.`agent_id` = m.`bound_agent_id` GROUP BY mo, t.`team_id`;
--> statement-breakpoint
INSERT INTO `month_breakdown` (`month`, `dim`, `key`, `sales_fen`, `units`)
	SELECT f.`month`, 'level', CAST(f.`level` AS TEXT), sum(o.`amount_fen` - o.`refunded_fen`), 0
	FROM `sale_facts` f JOIN `orders` o ON o.`id` = f.`order_id` GROUP BY f.`month`, f.`level`;
--> statement-breakpoint
INSERT INTO `month_breakdown` (`month`, `dim`, `key`, `sales_fen`, `units`)
	SELECT f.`month`, 'province', f.`province`, sum(o.`amount_fen` - o.`refunded_fen`), 0
	FROM `sale_facts` f JOIN `orders` o ON o.`id` = f.`order_id` GROUP BY f.`month`, f.`province`;
--> statement-breakpoint
INSERT INTO `month_breakdown` (`month`, `dim`, `key`, `sales_fen`, `units`)
	SELECT f.`month`, 'product', l.`product_id`, sum((l.`qty` - l.`refunded_qty`) * l.`unit_fen`), sum(l.`qty` - l.`refunded_qty`)
	FROM `sale_facts` f JOIN `order_lines` l ON l.`order_id` = f.`order_id` GROUP BY f.`month`, l.`product_id`;
--> statement-breakpoint
INSERT INTO `consumer_orders` (`consumer`, `n`)
	SELECT f.`consumer`, count(*) FROM `sale_facts` f JOIN `orders` o ON o.`id` = f.`order_id`
	WHERE f.`consumer` IS NOT NULL AND o.`status` NOT IN ('refunded', 'refused') GROUP BY f.`consumer`;
--> statement-breakpoint
INSERT INTO `buyer_totals` (`id`, `buyers`, `repeaters`)
	SELECT 1, (SELECT count(*) FROM `consumer_orders` WHERE `n` >= 1), (SELECT count(*) FROM `consumer_orders` WHERE `n` >= 2);
--> statement-breakpoint
-- A new agent joins its supplier's team (or heads a team of its own when the brand supplies it), counts for the day,
-- for its team and for its referrer.
CREATE TRIGGER `agents_board_insert` AFTER INSERT ON `agents` BEGIN
	INSERT INTO `agent_teams` (`agent_id`, `team_id`, `level`, `province`) VALUES (NEW.`id`,
		CASE WHEN NEW.`supplier_id` IS NULL THEN NEW.`id` ELSE coalesce((SELECT `team_id` FROM `agent_teams` WHERE `agent_id` = NEW.`supplier_id`), NEW.`supplier_id`) END,
		NEW.`level`, CASE WHEN substr(NEW.`region`, 1, 3) = '内蒙古' THEN '内蒙古' WHEN substr(NEW.`region`, 1, 3) = '黑龙江' THEN '黑龙江' WHEN substr(NEW.`region`, 1, 2) = '北京' THEN '北京' WHEN substr(NEW.`region`, 1, 2) = '天津' THEN '天津' WHEN substr(NEW.`region`, 1, 2) = '河北' THEN '河北' WHEN substr(NEW.`region`, 1, 2) = '山西' THEN '山西' WHEN substr(NEW.`region`, 1, 2) = '辽宁' THEN '辽宁' WHEN substr(NEW.`region`, 1, 2) = '吉林' THEN '吉林' WHEN substr(NEW.`region`, 1, 2) = '上海' THEN '上海' WHEN substr(NEW.`region`, 1, 2) = '江苏' THEN '江苏' WHEN substr(NEW.`region`, 1, 2) = '浙江' THEN '浙江' WHEN substr(NEW.`region`, 1, 2) = '安徽' THEN '安徽' WHEN substr(NEW.`region`, 1, 2) = '福建' THEN '福建' WHEN substr(NEW.`region`, 1, 2) = '江西' THEN '江西' WHEN substr(NEW.`region`, 1, 2) = '山东' THEN '山东' WHEN substr(NEW.`region`, 1, 2) = '河南' THEN '河南' WHEN substr(NEW.`region`, 1, 2) = '湖北' THEN '湖北' WHEN substr(NEW.`region`, 1, 2) = '湖南' THEN '湖南' WHEN substr(NEW.`region`, 1, 2) = '广东' THEN '广东' WHEN substr(NEW.`region`, 1, 2) = '广西' THEN '广西' WHEN substr(NEW.`region`, 1, 2) = '海南' THEN '海南' WHEN substr(NEW.`region`, 1, 2) = '重庆' THEN '重庆' WHEN substr(NEW.`region`, 1, 2) = '四川' THEN '四川' WHEN substr(NEW.`region`, 1, 2) = '贵州' THEN '贵州' WHEN substr(NEW.`region`, 1, 2) = '云南' THEN '云南' WHEN substr(NEW.`region`, 1, 2) = '西藏' THEN '西藏' WHEN substr(NEW.`region`, 1, 2) = '陕西' THEN '陕西' WHEN substr(NEW.`region`, 1, 2) = '甘肃' THEN '甘肃' WHEN substr(NEW.`region`, 1, 2) = '青海' THEN '青海' WHEN substr(NEW.`region`, 1, 2) = '宁夏' THEN '宁夏' WHEN substr(NEW.`region`, 1, 2) = '新疆' THEN '新疆' WHEN substr(NEW.`region`, 1, 2) = '台湾' THEN '台湾' WHEN substr(NEW.`region`, 1, 2) = '香港' THEN '香港' WHEN substr(NEW.`region`, 1, 2) = '澳门' THEN '澳门' ELSE '' END);
	INSERT INTO `daily_stats` (`day`, `new_agents`) VALUES (strftime('%Y-%m-%d', NEW.`created_at` / 1000 + 28800, 'unixepoch'), 1)
		ON CONFLICT (`day`) DO UPDATE SET `new_agents` = `new_agents` + 1;
	INSERT INTO `board_teams` (`month`, `metric`, `team_id`, `value`)
		SELECT strftime('%Y-%m', NEW.`created_at` / 1000 + 28800, 'unixepoch'), 'agents', `team_id`, 1 FROM `agent_teams` WHERE `agent_id` = NEW.`id`
		ON CONFLICT (`month`, `metric`, `team_id`) DO UPDATE SET `value` = `value` + 1;
	INSERT INTO `board_agents` (`month`, `metric`, `agent_id`, `team_id`, `value`)
		SELECT strftime('%Y-%m', NEW.`created_at` / 1000 + 28800, 'unixepoch'), 'agents', `agent_id`, `team_id`, 1 FROM `agent_teams` WHERE `agent_id` = NEW.`referrer_id`
		ON CONFLICT (`month`, `metric`, `agent_id`) DO UPDATE SET `value` = `value` + 1;
END;
--> statement-breakpoint
-- An upgrade that moves an agent under another supplier takes it and its downline into that supplier's team.
CREATE TRIGGER `agents_board_supplier` AFTER UPDATE OF `supplier_id` ON `agents` WHEN OLD.`supplier_id` IS NOT NEW.`supplier_id` BEGIN
	UPDATE `agent_teams` SET `team_id` = CASE WHEN NEW.`supplier_id` IS NULL THEN NEW.`id` ELSE coalesce((SELECT `team_id` FROM `agent_teams` WHERE `agent_id` = NEW.`supplier_id`), NEW.`supplier_id`) END
		WHERE `agent_id` = NEW.`id` OR `agent_id` IN (SELECT `member_id` FROM `team_members` WHERE `ancestor_id` = NEW.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `agents_board_level` AFTER UPDATE OF `level` ON `agents` BEGIN
	UPDATE `agent_teams` SET `level` = NEW.`level` WHERE `agent_id` = NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `agents_board_region` AFTER UPDATE OF `region` ON `agents` BEGIN
	UPDATE `agent_teams` SET `province` = CASE WHEN substr(NEW.`region`, 1, 3) = '内蒙古' THEN '内蒙古' WHEN substr(NEW.`region`, 1, 3) = '黑龙江' THEN '黑龙江' WHEN substr(NEW.`region`, 1, 2) = '北京' THEN '北京' WHEN substr(NEW.`region`, 1, 2) = '天津' THEN '天津' WHEN substr(NEW.`region`, 1, 2) = '河北' THEN '河北' WHEN substr(NEW.`region`, 1, 2) = '山西' THEN '山西' WHEN substr(NEW.`region`, 1, 2) = '辽宁' THEN '辽宁' WHEN substr(NEW.`region`, 1, 2) = '吉林' THEN '吉林' WHEN substr(NEW.`region`, 1, 2) = '上海' THEN '上海' WHEN substr(NEW.`region`, 1, 2) = '江苏' THEN '江苏' WHEN substr(NEW.`region`, 1, 2) = '浙江' THEN '浙江' WHEN substr(NEW.`region`, 1, 2) = '安徽' THEN '安徽' WHEN substr(NEW.`region`, 1, 2) = '福建' THEN '福建' WHEN substr(NEW.`region`, 1, 2) = '江西' THEN '江西' WHEN substr(NEW.`region`, 1, 2) = '山东' THEN '山东' WHEN substr(NEW.`region`, 1, 2) = '河南' THEN '河南' WHEN substr(NEW.`region`, 1, 2) = '湖北' THEN '湖北' WHEN substr(NEW.`region`, 1, 2) = '湖南' THEN '湖南' WHEN substr(NEW.`region`, 1, 2) = '广东' THEN '广东' WHEN substr(NEW.`region`, 1, 2) = '广西' THEN '广西' WHEN substr(NEW.`region`, 1, 2) = '海南' THEN '海南' WHEN substr(NEW.`region`, 1, 2) = '重庆' THEN '重庆' WHEN substr(NEW.`region`, 1, 2) = '四川' THEN '四川' WHEN substr(NEW.`region`, 1, 2) = '贵州' THEN '贵州' WHEN substr(NEW.`region`, 1, 2) = '云南' THEN '云南' WHEN substr(NEW.`region`, 1, 2) = '西藏' THEN '西藏' WHEN substr(NEW.`region`, 1, 2) = '陕西' THEN '陕西' WHEN substr(NEW.`region`, 1, 2) = '甘肃' THEN '甘肃' WHEN substr(NEW.`region`, 1, 2) = '青海' THEN '青海' WHEN substr(NEW.`region`, 1, 2) = '宁夏' THEN '宁夏' WHEN substr(NEW.`region`, 1, 2) = '新疆' THEN '新疆' WHEN substr(NEW.`region`, 1, 2) = '台湾' THEN '台湾' WHEN substr(NEW.`region`, 1, 2) = '香港' THEN '香港' WHEN substr(NEW.`region`, 1, 2) = '澳门' THEN '澳门' ELSE '' END WHERE `agent_id` = NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `members_board_insert` AFTER INSERT ON `members` BEGIN
	INSERT INTO `daily_stats` (`day`, `new_members`) VALUES (strftime('%Y-%m-%d', NEW.`created_at` / 1000 + 28800, 'unixepoch'), 1)
		ON CONFLICT (`day`) DO UPDATE SET `new_members` = `new_members` + 1;
	INSERT INTO `board_agents` (`month`, `metric`, `agent_id`, `team_id`, `value`)
		SELECT strftime('%Y-%m', NEW.`created_at` / 1000 + 28800, 'unixepoch'), 'members', `agent_id`, `team_id`, 1 FROM `agent_teams` WHERE `agent_id` = NEW.`bound_agent_id`
		ON CONFLICT (`month`, `metric`, `agent_id`) DO UPDATE SET `value` = `value` + 1;
	INSERT INTO `board_teams` (`month`, `metric`, `team_id`, `value`)
		SELECT strftime('%Y-%m', NEW.`created_at` / 1000 + 28800, 'unixepoch'), 'members', `team_id`, 1 FROM `agent_teams` WHERE `agent_id` = NEW.`bound_agent_id`
		ON CONFLICT (`month`, `metric`, `team_id`) DO UPDATE SET `value` = `value` + 1;
END;
--> statement-breakpoint
-- A sale is counted when its order is paid (or written already paid), once: sale_facts holds the keys it was counted
-- under, so a refund later takes it off the same day, month, team, level and province.
CREATE TRIGGER `orders_board_paid` AFTER UPDATE OF `paid_at` ON `orders`
	WHEN OLD.`paid_at` IS NULL AND NEW.`paid_at` IS NOT NULL AND NEW.`kind` <> 'pickup' BEGIN
	INSERT INTO `sale_facts` (`order_id`, `day`, `month`, `agent_id`, `team_id`, `level`, `province`, `consumer`)
		SELECT NEW.`id`, strftime('%Y-%m-%d', NEW.`paid_at` / 1000 + 28800, 'unixepoch'), strftime('%Y-%m', NEW.`paid_at` / 1000 + 28800, 'unixepoch'), NEW.`agent_id`, t.`team_id`, t.`level`, t.`province`,
			CASE WHEN NEW.`kind` = 'consumer' THEN coalesce(NEW.`member_id`, 'tel:' || NEW.`ship_phone`, 'order:' || NEW.`id`) END
		FROM `agent_teams` t WHERE t.`agent_id` = NEW.`agent_id`;
	INSERT INTO `daily_stats` (`day`, `orders`, `sales_fen`) VALUES (strftime('%Y-%m-%d', NEW.`paid_at` / 1000 + 28800, 'unixepoch'), 1, NEW.`amount_fen` - NEW.`refunded_fen`)
		ON CONFLICT (`day`) DO UPDATE SET `orders` = `orders` + 1, `sales_fen` = `sales_fen` + excluded.`sales_fen`;
	INSERT INTO `board_agents` (`month`, `metric`, `agent_id`, `team_id`, `value`)
		SELECT `month`, 'sales', `agent_id`, `team_id`, NEW.`amount_fen` - NEW.`refunded_fen` FROM `sale_facts` WHERE `order_id` = NEW.`id`
		ON CONFLICT (`month`, `metric`, `agent_id`) DO UPDATE SET `value` = `value` + excluded.`value`;
	INSERT INTO `board_teams` (`month`, `metric`, `team_id`, `value`)
		SELECT `month`, 'sales', `team_id`, NEW.`amount_fen` - NEW.`refunded_fen` FROM `sale_facts` WHERE `order_id` = NEW.`id`
		ON CONFLICT (`month`, `metric`, `team_id`) DO UPDATE SET `value` = `value` + excluded.`value`;
	INSERT INTO `month_breakdown` (`month`, `dim`, `key`, `sales_fen`, `units`)
		SELECT f.`month`, d.`dim`, CASE d.`dim` WHEN 'level' THEN CAST(f.`level` AS TEXT) ELSE f.`province` END, NEW.`amount_fen` - NEW.`refunded_fen`, 0
		FROM `sale_facts` f, (SELECT 'level' AS `dim` UNION ALL SELECT 'province') d WHERE f.`order_id` = NEW.`id`
		ON CONFLICT (`month`, `dim`, `key`) DO UPDATE SET `sales_fen` = `sales_fen` + excluded.`sales_fen`;
	INSERT INTO `month_breakdown` (`month`, `dim`, `key`, `sales_fen`, `units`)
		SELECT strftime('%Y-%m', NEW.`paid_at` / 1000 + 28800, 'unixepoch'), 'product', l.`product_id`, (l.`qty` - l.`refunded_qty`) * l.`unit_fen`, l.`qty` - l.`refunded_qty`
		FROM `order_lines` l WHERE l.`order_id` = NEW.`id`
		ON CONFLICT (`month`, `dim`, `key`) DO UPDATE SET `sales_fen` = `sales_fen` + excluded.`sales_fen`, `units` = `units` + excluded.`units`;
END;
--> statement-breakpoint
CREATE TRIGGER `orders_board_insert` AFTER INSERT ON `orders`
	WHEN NEW.`paid_at` IS NOT NULL AND NEW.`kind` <> 'pickup' BEGIN
	INSERT INTO `sale_facts` (`order_id`, `day`, `month`, `agent_id`, `team_id`, `level`, `province`, `consumer`)
		SELECT NEW.`id`, strftime('%Y-%m-%d', NEW.`paid_at` / 1000 + 28800, 'unixepoch'), strftime('%Y-%m', NEW.`paid_at` / 1000 + 28800, 'unixepoch'), NEW.`agent_id`, t.`team_id`, t.`level`, t.`province`,
			CASE WHEN NEW.`kind` = 'consumer' THEN coalesce(NEW.`member_id`, 'tel:' || NEW.`ship_phone`, 'order:' || NEW.`id`) END
		FROM `agent_teams` t WHERE t.`agent_id` = NEW.`agent_id`;
	INSERT INTO `daily_stats` (`day`, `orders`, `sales_fen`) VALUES (strftime('%Y-%m-%d', NEW.`paid_at` / 1000 + 28800, 'unixepoch'), 1, NEW.`amount_fen` - NEW.`refunded_fen`)
		ON CONFLICT (`day`) DO UPDATE SET `orders` = `orders` + 1, `sales_fen` = `sales_fen` + excluded.`sales_fen`;
	INSERT INTO `board_agents` (`month`, `metric`, `agent_id`, `team_id`, `value`)
		SELECT `month`, 'sales', `agent_id`, `team_id`, NEW.`amount_fen` - NEW.`refunded_fen` FROM `sale_facts` WHERE `order_id` = NEW.`id`
		ON CONFLICT (`month`, `metric`, `agent_id`) DO UPDATE SET `value` = `value` + excluded.`value`;
	INSERT INTO `board_teams` (`month`, `metric`, `team_id`, `value`)
		SELECT `month`, 'sales', `team_id`, NEW.`amount_fen` - NEW.`refunded_fen` FROM `sale_facts` WHERE `order_id` = NEW.`id`
		ON CONFLICT (`month`, `metric`, `team_id`) DO UPDATE SET `value` = `value` + excluded.`value`;
	INSERT INTO `month_breakdown` (`month`, `dim`, `key`, `sales_fen`, `units`)
		SELECT f.`month`, d.`dim`, CASE d.`dim` WHEN 'level' THEN CAST(f.`level` AS TEXT) ELSE f.`province` END, NEW.`amount_fen` - NEW.`refunded_fen`, 0
		FROM `sale_facts` f, (SELECT 'level' AS `dim` UNION ALL SELECT 'province') d WHERE f.`order_id` = NEW.`id`
		ON CONFLICT (`month`, `dim`, `key`) DO UPDATE SET `sales_fen` = `sales_fen` + excluded.`sales_fen`;
	INSERT INTO `month_breakdown` (`month`, `dim`, `key`, `sales_fen`, `units`)
		SELECT strftime('%Y-%m', NEW.`paid_at` / 1000 + 28800, 'unixepoch'), 'product', l.`product_id`, (l.`qty` - l.`refunded_qty`) * l.`unit_fen`, l.`qty` - l.`refunded_qty`
		FROM `order_lines` l WHERE l.`order_id` = NEW.`id`
		ON CONFLICT (`month`, `dim`, `key`) DO UPDATE SET `sales_fen` = `sales_fen` + excluded.`sales_fen`, `units` = `units` + excluded.`units`;
END;
--> statement-breakpoint
-- A consumer's paid orders, and whether this one makes it a buyer or a repeat buyer.
CREATE TRIGGER `orders_board_paid_consumer` AFTER UPDATE OF `paid_at` ON `orders`
	WHEN OLD.`paid_at` IS NULL AND NEW.`paid_at` IS NOT NULL AND NEW.`kind` = 'consumer' BEGIN
	INSERT INTO `consumer_orders` (`consumer`, `n`) VALUES (coalesce(NEW.`member_id`, 'tel:' || NEW.`ship_phone`, 'order:' || NEW.`id`), 1)
		ON CONFLICT (`consumer`) DO UPDATE SET `n` = `n` + 1;
	UPDATE `buyer_totals` SET (`buyers`, `repeaters`) =
		(SELECT `buyers` + (c.`n` = 1), `repeaters` + (c.`n` = 2) FROM `consumer_orders` c WHERE c.`consumer` = coalesce(NEW.`member_id`, 'tel:' || NEW.`ship_phone`, 'order:' || NEW.`id`))
		WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `orders_board_insert_consumer` AFTER INSERT ON `orders`
	WHEN NEW.`paid_at` IS NOT NULL AND NEW.`kind` = 'consumer' BEGIN
	INSERT INTO `consumer_orders` (`consumer`, `n`) VALUES (coalesce(NEW.`member_id`, 'tel:' || NEW.`ship_phone`, 'order:' || NEW.`id`), 1)
		ON CONFLICT (`consumer`) DO UPDATE SET `n` = `n` + 1;
	UPDATE `buyer_totals` SET (`buyers`, `repeaters`) =
		(SELECT `buyers` + (c.`n` = 1), `repeaters` + (c.`n` = 2) FROM `consumer_orders` c WHERE c.`consumer` = coalesce(NEW.`member_id`, 'tel:' || NEW.`ship_phone`, 'order:' || NEW.`id`))
		WHERE `id` = 1;
END;
--> statement-breakpoint
-- Lines written after an order that was inserted already paid (generated data) count for their product then.
CREATE TRIGGER `order_lines_board_insert` AFTER INSERT ON `order_lines`
	WHEN EXISTS (SELECT 1 FROM `sale_facts` WHERE `order_id` = NEW.`order_id`) BEGIN
	INSERT INTO `month_breakdown` (`month`, `dim`, `key`, `sales_fen`, `units`)
		SELECT `month`, 'product', NEW.`product_id`, (NEW.`qty` - NEW.`refunded_qty`) * NEW.`unit_fen`, NEW.`qty` - NEW.`refunded_qty`
		FROM `sale_facts` WHERE `order_id` = NEW.`order_id`
		ON CONFLICT (`month`, `dim`, `key`) DO UPDATE SET `sales_fen` = `sales_fen` + excluded.`sales_fen`, `units` = `units` + excluded.`units`;
END;
--> statement-breakpoint
CREATE TRIGGER `orders_board_refund` AFTER UPDATE OF `refunded_fen` ON `orders` WHEN NEW.`refunded_fen` <> OLD.`refunded_fen` BEGIN
	UPDATE `daily_stats` SET `sales_fen` = `sales_fen` - (NEW.`refunded_fen` - OLD.`refunded_fen`)
		WHERE `day` = (SELECT `day` FROM `sale_facts` WHERE `order_id` = NEW.`id`);
	UPDATE `board_agents` SET `value` = `value` - (NEW.`refunded_fen` - OLD.`refunded_fen`)
		WHERE (`month`, `metric`, `agent_id`) = (SELECT `month`, 'sales', `agent_id` FROM `sale_facts` WHERE `order_id` = NEW.`id`);
	UPDATE `board_teams` SET `value` = `value` - (NEW.`refunded_fen` - OLD.`refunded_fen`)
		WHERE (`month`, `metric`, `team_id`) = (SELECT `month`, 'sales', `team_id` FROM `sale_facts` WHERE `order_id` = NEW.`id`);
	UPDATE `month_breakdown` SET `sales_fen` = `sales_fen` - (NEW.`refunded_fen` - OLD.`refunded_fen`)
		WHERE (`month`, `dim`, `key`) IN (SELECT `month`, 'level', CAST(`level` AS TEXT) FROM `sale_facts` WHERE `order_id` = NEW.`id`
			UNION ALL SELECT `month`, 'province', `province` FROM `sale_facts` WHERE `order_id` = NEW.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `order_lines_board_refund` AFTER UPDATE OF `refunded_qty` ON `order_lines` WHEN NEW.`refunded_qty` <> OLD.`refunded_qty` BEGIN
	UPDATE `month_breakdown` SET `sales_fen` = `sales_fen` - (NEW.`refunded_qty` - OLD.`refunded_qty`) * NEW.`unit_fen`,
		`units` = `units` - (NEW.`refunded_qty` - OLD.`refunded_qty`)
		WHERE (`month`, `dim`, `key`) = (SELECT `month`, 'product', NEW.`product_id` FROM `sale_facts` WHERE `order_id` = NEW.`order_id`);
END;
--> statement-breakpoint
-- A wholly refunded sale no longer makes its consumer a buyer (or a repeat buyer).
CREATE TRIGGER `orders_board_refunded` AFTER UPDATE OF `status` ON `orders`
	WHEN NEW.`status` IN ('refunded', 'refused') AND OLD.`status` NOT IN ('refunded', 'refused') BEGIN
	UPDATE `buyer_totals` SET (`buyers`, `repeaters`) =
		(SELECT `buyers` - (c.`n` = 1), `repeaters` - (c.`n` = 2) FROM `sale_facts` f JOIN `consumer_orders` c ON c.`consumer` = f.`consumer` WHERE f.`order_id` = NEW.`id`)
		WHERE `id` = 1 AND EXISTS (SELECT 1 FROM `sale_facts` WHERE `order_id` = NEW.`id` AND `consumer` IS NOT NULL);
	UPDATE `consumer_orders` SET `n` = `n` - 1 WHERE `consumer` = (SELECT `consumer` FROM `sale_facts` WHERE `order_id` = NEW.`id`);
END;
