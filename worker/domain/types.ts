// The states the rules reason about. db/ lists the same values for its columns (checked by db/enums.ts).

export const agentStatuses = ['active', 'suspended', 'revoked'] as const;
export type AgentStatus = (typeof agentStatuses)[number];

export const inspectionKinds = ['cross_region', 'price_report'] as const;
export type InspectionKind = (typeof inspectionKinds)[number];

export const inspectionStatuses = ['open', 'dismissed', 'warned', 'fined', 'supply_stopped', 'revoked'] as const;
export type InspectionStatus = (typeof inspectionStatuses)[number];

export const noticeKinds = ['warning', 'fine', 'supply_stopped', 'supply_resumed', 'revoked'] as const;
export type NoticeKind = (typeof noticeKinds)[number];
