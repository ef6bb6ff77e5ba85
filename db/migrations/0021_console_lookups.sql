-- WeChat IDs are looked up whatever their case (WeChat itself ignores it): the lookup compares with NOCASE and this
-- index serves that comparison, so it stays one index probe on any number of agents.
CREATE INDEX `agents_wechat_nocase` ON `agents` (`wechat` COLLATE NOCASE);
