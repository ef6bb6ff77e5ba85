-- The brand's list of refunds WeChat Pay reported abnormal (GET /api/refunds/abnormal) reads this partial index.
CREATE INDEX `gateway_refunds_abnormal` ON `gateway_refunds` (`id`) WHERE status = 'abnormal';
