// Response shapes of the API routes the brand console reads (worker/routes/*.ts hold the zod schemas).

import type { ApplicationState, OrderKind, OrderStatus, PaymentMethod } from '../../lib/orderLabels';
import type { PayoutAccount } from '../../lib/payout';

export type { Page } from '../../lib/paged';
export type { ApplicationState, OrderKind, OrderStatus, PaymentMethod };

export interface Level {
  rank: number;
  name: string;
  firstOrderFen: number;
}

export type StockModel = 'direct' | 'cloud';
export type BindingPolicy = 'permanent' | 'rebind';

/** GET/PATCH /api/brand/settings, PUT /api/brand/levels */
export interface Settings {
  name: string;
  sealText: string;
  stockModel: StockModel;
  freezeDays: number;
  bindingPolicy: BindingPolicy;
  rebindDays: number;
  withdrawMinFen: number;
  certValidDays: number;
  /** True until the first admin has run the setup step (POST /api/brand/setup). */
  setupNeeded: boolean;
  unpaidHoldMinutes: number;
  maxConsumerUnits: number;
  autoCompleteDays: number;
  payNote: string;
  /** The brand's face on consumer pages (BrandFaceForm). */
  logoUrl: string;
  theme: BrandTheme;
  levels: Level[];
  /** Approving a withdrawal may pay it by WeChat Pay transfer. */
  payoutTransfer: boolean;
  /** The payout accounts the brand pays withdrawals to (PayoutKindsForm). */
  payoutKinds: PayoutAccount['kind'][];
}

export const brandThemes = ['teal', 'red', 'rose', 'orange', 'gold', 'green', 'blue', 'purple', 'black'] as const;
export type BrandTheme = (typeof brandThemes)[number];

/** GET /api/products (the brand sees every level's price and products off sale) */
export interface Product {
  id: string;
  sku: string;
  name: string;
  description: string;
  images: string[];
  retailFen: number;
  onSale: boolean;
  prices?: Record<string, number>;
}

/** GET /api/stock, POST /api/stock/adjust */
export interface StockItem {
  productId: string;
  sku: string;
  name: string;
  qty: number;
}

export type { ApplicationView } from '../applications/types';

export type AgentStatus = 'active' | 'suspended' | 'revoked';

/** GET /api/agents */
export interface AgentView {
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
}

/** GET /api/agents/{id} and the answer of every agent action */
export interface AgentDetail extends AgentView {
  levelName: string;
  certificateNumber: string | null;
  shopUrl: string;
  inviteUrl: string;
}

/** GET /api/agents/{id}/team/summary ("brand" for the whole network) */
export interface TeamSummary {
  total: number;
  byLevel: { level: number; count: number }[];
}

/** GET /api/agents/{id}/chain */
export interface SupplyChain {
  links: { id: string; name: string; level: number; status: AgentStatus }[];
  reachesBrand: boolean;
}

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

/** GET /api/brand/wallet */
export interface BrandWallet {
  revenueFen: number;
  clearingFen: number;
  paidOutFen: number;
}

/** GET /api/audit */
export interface AuditEntry {
  id: string;
  actorRole: string;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  detail: Record<string, unknown> | null;
  at: number;
}

/** GET /api/orders */
export interface OrderSummary {
  id: string;
  /** The human order number (digits, time-ordered). */
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

export interface OrderLine {
  productId: string;
  name: string;
  qty: number;
  unitFen: number;
  refundedQty: number;
}

/** GET /api/orders/{id} and the answer of every order action */
export interface OrderView {
  id: string;
  /** The human order number. */
  number: string;
  kind: OrderKind;
  status: OrderStatus;
  stockModel: StockModel;
  agentId: string;
  payeeId: string;
  memberId: string | null;
  paymentMethod: PaymentMethod;
  amountFen: number;
  refundedFen: number;
  shipping: { name: string; phone: string; address: string } | null;
  carrier: string | null;
  trackingNo: string | null;
  note: string | null;
  createdAt: number;
  paidAt: number | null;
  shippedAt: number | null;
  completedAt: number | null;
  closedAt: number | null;
  /** Money paid after the order was cancelled, owed back until the brand records its refund. */
  latePayment: { amountFen: number; refundedAt: number | null; reference: string | null } | null;
  lines: OrderLine[];
}

/** POST /api/orders/ship */
export interface ShipResults {
  results: { orderId: string; ok: boolean; status?: string; error?: string }[];
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
  payoutMethod: 'manual' | 'transfer';
  transferState: string | null;
  /** Whether the agent has bound WeChat (can be paid by transfer). */
  agentWechat: boolean;
  payout: PayoutAccount | null;
}

/** GET /api/reconciliation/differences */
export interface ReconDifference {
  id: string;
  day: string;
  kind: 'payment' | 'refund';
  orderId: string;
  issue: 'missing_in_ledger' | 'missing_in_bill' | 'amount_mismatch';
  ledgerFen: number;
  billFen: number;
  status: 'open' | 'resolved';
  note: string | null;
  resolvedAt: number | null;
  createdAt: number;
}

/** POST /api/reconciliation/runs */
export interface ReconRun {
  day: string;
  status: 'running' | 'done' | 'failed';
  payments: number;
  refunds: number;
  differences: number;
  error: string | null;
}
