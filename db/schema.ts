// The drizzle schema, one file per area; drizzle-kit (drizzle.config.ts) and every query read it through this file.
export * from './schema-accounts';
export * from './schema-archive';
export * from './schema-board';
export * from './schema-content';
export * from './schema-incentives';
export * from './schema-ledger';
export * from './schema-network';
export * from './schema-orderCounts';
export * from './schema-orders';
export * from './schema-policing';
export * from './schema-reconcile';
export * from './schema-sms';
export * from './schema-system';
export * from './schema-uploads';
export * from './schema-wechat';
