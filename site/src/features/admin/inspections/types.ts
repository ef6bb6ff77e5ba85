export type CaseStatus = 'open' | 'dismissed' | 'warned' | 'fined' | 'supply_stopped' | 'revoked';
export type CaseKind = 'cross_region' | 'price_report';
export type Action = 'dismiss' | 'warn' | 'fine' | 'stop_supply' | 'revoke';

export interface CaseAgent {
  id: string;
  name: string;
  code: string;
  level: number;
  levelName: string;
  region: string;
  status: 'active' | 'suspended' | 'revoked';
  supplyStopped: boolean;
  supplyStoppedAt: number | null;
}

/** GET /api/brand/inspections item. */
export interface Case {
  id: string;
  kind: CaseKind;
  status: CaseStatus;
  agent: CaseAgent;
  code: string | null;
  productId: string | null;
  productName: string | null;
  regionSeen: string | null;
  authorizedRegion: string | null;
  priceSeenFen: number | null;
  retailFen: number | null;
  note: string | null;
  reporterContact: string | null;
  /** Evidence pictures of a price report (/api/files/… paths). */
  evidence: string[];
  hits: number;
  resolution: string | null;
  fineFen: number | null;
  decidedAt: number | null;
  createdAt: number;
  allowedActions: Action[];
}

export const statuses: CaseStatus[] = ['open', 'dismissed', 'warned', 'fined', 'supply_stopped', 'revoked'];
export const kinds: CaseKind[] = ['cross_region', 'price_report'];
