// Response shapes of the API routes the agent console reads (worker/routes/*.ts are the source of truth).

import type { ApplicationState, OrderKind, OrderStatus, PaymentMethod } from '../../lib/orderLabels';

export type { ApplicationState, OrderKind, OrderStatus, PaymentMethod };

export type AgentStatus = 'active' | 'suspended' | 'revoked';

/** GET /api/agents/{id} */
export interface AgentDetail {
  id: string;
  code: string;
  name: string;
  phone: string;
  wechat: string;
  region: string;
  level: number;
  status: AgentStatus;
  statusReason: string | null;
  supplierId: string | null;
  referrerId: string | null;
  createdAt: number;
  levelName: string;
  certificateNumber: string | null;
  shopUrl: string;
  inviteUrl: string;
}

export type AgentView = Omit<AgentDetail, 'levelName' | 'certificateNumber' | 'shopUrl' | 'inviteUrl'>;

export interface Level {
  rank: number;
  name: string;
}

/** GET /api/brand */
export interface PublicBrand {
  name: string;
  levels: Level[];
  stockModel?: 'direct' | 'cloud';
}

export type { Page } from '../../lib/paged';

/** GET /api/agents/{id}/team/summary */
export interface TeamSummary {
  total: number;
  byLevel: { level: number; count: number }[];
}

/** GET /api/agents/{id}/chain */
export interface SupplyChain {
  links: { id: string; name: string; level: number; status: AgentStatus }[];
  reachesBrand: boolean;
}

export type { ApplicationView } from '../applications/types';

export type CertificateStatus = 'valid' | 'suspended' | 'revoked' | 'expired';

/** GET /api/agents/{id}/certificate */
export interface Certificate {
  number: string;
  brandName: string;
  name: string;
  phone: string;
  wechat: string;
  level: number;
  levelName: string;
  region: string;
  validFrom: number;
  validUntil: number;
  issuedAt: number;
  status: CertificateStatus;
}

/** GET /api/agents/{id}/certificate/lookups */
export interface CertLookup {
  id: number;
  via: string;
  region: string | null;
  at: number;
}

/** GET /api/agents/{id}/stock */
export interface StockItem {
  productId: string;
  sku: string;
  name: string;
  qty: number;
}

/** GET /api/products (as an agent) */
export interface Product {
  id: string;
  sku: string;
  name: string;
  description: string;
  images: string[];
  retailFen: number;
  onSale: boolean;
  prices?: Record<string, number>;
  myPriceFen?: number | null;
}

/** GET /api/orders */
export interface OrderSummary {
  id: string;
  /** The human order number (digits); the id is for the API only. */
  number: string;
  kind: OrderKind;
  status: OrderStatus;
  agentId: string;
  payeeId: string;
  memberId: string | null;
  paymentMethod: PaymentMethod;
  amountFen: number;
  refundedFen: number;
  shipName: string | null;
  trackingNo: string | null;
  createdAt: number;
  /** The first line's product and picture, standing for the order in lists. */
  productName: string | null;
  thumbnail: string | null;
  lineCount: number;
}

/** GET /api/orders/{id} and the answers of order actions */
export interface OrderView extends Omit<OrderSummary, 'shipName' | 'productName' | 'thumbnail' | 'lineCount'> {
  stockModel: 'direct' | 'cloud';
  shipping: { name: string; phone: string; address: string } | null;
  carrier: string | null;
  note: string | null;
  paidAt: number | null;
  shippedAt: number | null;
  completedAt: number | null;
  closedAt: number | null;
  lines: { productId: string; name: string; qty: number; unitFen: number; refundedQty: number }[];
}

/** POST /api/orders/ship */
export interface ShipResults {
  results: { orderId: string; ok: boolean; status?: string; error?: string }[];
}

export type AccountName = 'pending' | 'available' | 'withdrawing' | 'offline';

/** GET /api/agents/{id}/wallet */
export interface Wallet {
  pendingFen: number;
  availableFen: number;
  withdrawingFen: number;
  offlineFen: number;
  debtFen: number;
  withdrawMinFen: number;
  withdrawable: boolean;
}

/** GET /api/agents/{id}/statement */
/** One line of the statement in words (GET /agents/me/statement/lines). */
export interface StatementLine {
  key: string;
  at: number;
  kind: string;
  direction: 'in' | 'out' | 'move';
  amountFen: number;
  account: AccountName | null;
  orderNo: string | null;
  /** An order's credit: its shares still held (待结算) or released (已结算); null for other lines. */
  settlement: 'held' | 'released' | null;
  words: string;
}

export interface StatementEntry {
  id: number;
  txnId: string;
  at: number;
  kind: string;
  account: AccountName;
  amountFen: number;
  orderId: string | null;
  memo: string | null;
  /** An order's payment credit: its shares still held (待结算) or released (已结算); null for other entries. */
  settlement: 'held' | 'released' | null;
}

export type WithdrawalStatus = 'requested' | 'paying' | 'paid' | 'failed' | 'rejected';

/** GET /api/withdrawals */
export interface Withdrawal {
  id: string;
  agentId: string;
  agentName: string;
  amountFen: number;
  status: WithdrawalStatus;
  reference: string | null;
  reason: string | null;
  createdAt: number;
  decidedAt: number | null;
}

/** GET /api/customers */
export interface Customer {
  id: string;
  name: string;
  phone: string;
  boundAt: number | null;
  lastOrderAt: number | null;
  orderCount: number;
}

export type NoticeKind = 'warning' | 'fine' | 'supply_stopped' | 'supply_resumed' | 'revoked';

/** GET /api/agent/notices item. */
export interface AgentNotice {
  id: string;
  kind: NoticeKind;
  message: string;
  amountFen: number | null;
  inspectionId: string | null;
  createdAt: number;
}
