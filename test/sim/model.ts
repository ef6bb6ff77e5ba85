import type { IncentiveExpectations } from '../../bench/lib/incentive-invariants.mjs';
import type { FakeRefund, FakeTrade } from '../browser/fakeWechatPay.mjs';
import type { Res } from '../helpers';
import type { FakeTransfer } from '../wechatpay-fake';

// What the simulation knows of the world it built: ids and tokens to act with, and the state the API reported.
// Entities are named by their index (A3 = agents[3]) so a printed sequence reads the same on every run.

export type AgentStatus = 'active' | 'suspended' | 'revoked';
export type OrderStatus = 'pending_payment' | 'paid' | 'shipped' | 'completed' | 'cancelled' | 'refused' | 'refunded';
export type StockModel = 'direct' | 'cloud';

export interface SimAgent {
  id: string;
  code: string;
  phone: string;
  token: string;
  certNumber: string;
  level: number;
  status: AgentStatus;
  supplierId: string | null;
}

export interface SimApp {
  id: string;
  level: number;
  phone: string;
  decided: boolean;
}

export interface SimLine {
  productId: string;
  qty: number;
  unitFen: number;
  refundedQty: number;
}

export interface SimOrder {
  id: string;
  kind: 'consumer' | 'restock' | 'pickup';
  stockModel: StockModel;
  agentId: string;
  payeeId: string;
  stockOwnerId: string;
  memberId: string | null;
  method: 'online' | 'offline';
  status: OrderStatus;
  amountFen: number;
  refundedFen: number;
  lines: SimLine[];
  // Whether the model's status is what the API last answered; after a race it is only known from the database.
  known: boolean;
}

export interface SimMember {
  id: string;
  token: string;
  boundAgentId: string | null;
}

export interface SimProduct {
  id: string;
  retailFen: number;
  prices: number[];
}

export interface SimWithdrawal {
  id: string;
  agentId: string;
  amountFen: number;
  status: 'requested' | 'paying' | 'paid' | 'failed' | 'rejected';
}

// What the fake WeChat Pay holds (its own maps: trades by out_trade_no, refunds by out_refund_no, transfers by
// out_batch_no) and which of its payments and settled refunds the Worker has been told of (a 200 to a notification,
// or a query the Worker made through a sync).
export interface SimWechat {
  trades: Map<string, FakeTrade>;
  refunds: Map<string, FakeRefund>;
  transfers: Map<string, FakeTransfer>;
  paymentsAcked: Set<string>;
  refundsAcked: Set<string>;
  transfersOn: boolean;
}

export interface SimCode {
  code: string;
  serial: number;
  productId: string;
  agentId: string | null;
  verifications: number;
}

export interface Model {
  adminToken: string;
  agents: SimAgent[];
  apps: SimApp[];
  orders: SimOrder[];
  // Orders of months the archive took (their reads go to R2): no operation acts on them again.
  archived: SimOrder[];
  // Months seen archived (done) at the end of some step of this run.
  monthsArchived: Set<string>;
  members: SimMember[];
  // Phones guests have ordered with: a returning guest is bound to the agent of its first order.
  guests: string[];
  products: SimProduct[];
  withdrawals: SimWithdrawal[];
  codes: SimCode[];
  // Units the brand put into (or took out of) the warehouse per product: all units anywhere must add up to it.
  injected: Map<string, number>;
  // Incentive rules put in force (with when) and gifts listed, for the invariants to judge grants by (test/sim/ops/incentives.ts).
  incentives: IncentiveExpectations;
  settings: { stockModel: StockModel; freezeDays: number; withdrawMinFen: number };
  counter: number;
  // The step being run (0-based): months start passing halfway, so a run's first steps are those it had before.
  step: number;
  wechat: SimWechat;
}

export function emptyModel(
  adminToken: string,
  stockModel: StockModel,
  withdrawMinFen: number,
  wechat: SimWechat,
): Model {
  return {
    adminToken,
    agents: [],
    apps: [],
    orders: [],
    archived: [],
    monthsArchived: new Set(),
    members: [],
    guests: [],
    products: [],
    withdrawals: [],
    codes: [],
    injected: new Map(),
    incentives: { epochs: [], gifts: [] },
    settings: { stockModel, freezeDays: 7, withdrawMinFen },
    counter: 0,
    step: 0,
    wechat,
  };
}

export interface OrderView {
  id: string;
  kind: SimOrder['kind'];
  status: OrderStatus;
  stockModel: StockModel;
  /** Null in a guest's view: it is not told which agent sells it. */
  agentId: string | null;
  payeeId: string;
  memberId: string | null;
  paymentMethod: 'online' | 'offline';
  amountFen: number;
  refundedFen: number;
  paidAt: number | null;
  lines: SimLine[];
}

export function isOrderView(body: unknown): body is OrderView {
  return typeof body === 'object' && body !== null && 'id' in body && 'status' in body && 'lines' in body;
}

// Short names for the printed sequence.
export function nameOf(m: Model, id: string | null): string {
  if (id === null || id === 'brand') return 'brand';
  const lists: [string, { id: string }[]][] = [
    ['A', m.agents],
    ['O', m.orders],
    ['M', m.members],
    ['P', m.products],
    ['W', m.withdrawals],
    ['app', m.apps],
  ];
  for (const [prefix, list] of lists) {
    const i = list.findIndex((x) => x.id === id);
    if (i >= 0) return `${prefix}${i}`;
  }
  return id;
}

export function errorCode(res: Res<unknown>): string | undefined {
  const body = res.body as { error?: { code?: string } } | null;
  return typeof body === 'object' && body !== null ? body.error?.code : undefined;
}
