import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import { newId } from '../db/ids';
import type { PaymentTransaction } from '../worker/lib/wechatpay/notification';
import { admin, api, createAgent, freshIp, type TestAgent } from './helpers';
import { randomAscii, signAndEncryptNotification } from './wechatpay-fixtures';

// The worked example of the design: R = 299.00; P1..P6 = 159, 169, 184, 204, 229, 259 (yuan).
export const RETAIL = 29_900;
export const PRICES = [15_900, 16_900, 18_400, 20_400, 22_900, 25_900] as const;

let seq = 0;

export async function product(stockQty = 1000, owner = 'brand'): Promise<string> {
  await admin();
  seq++;
  const id = newId('prd');
  const now = Date.now();
  await env.DB.batch([
    env.DB.prepare(
      'INSERT INTO products (id, sku, name, description, images, retail_fen, on_sale, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)',
    ).bind(id, `SKU-${id.slice(-12)}`, `焕颜精华 ${seq}`, '', '[]', RETAIL, now, now),
    ...PRICES.map((p, i) =>
      env.DB.prepare('INSERT INTO product_prices (product_id, level, price_fen) VALUES (?, ?, ?)').bind(id, i + 1, p),
    ),
    env.DB.prepare('INSERT INTO stock (owner_id, product_id, qty) VALUES (?, ?, ?)').bind(owner, id, stockQty),
  ]);
  return id;
}

export async function setStock(owner: string, productId: string, qty: number) {
  await env.DB.prepare(
    'INSERT INTO stock (owner_id, product_id, qty) VALUES (?, ?, ?) ON CONFLICT (owner_id, product_id) DO UPDATE SET qty = excluded.qty',
  )
    .bind(owner, productId, qty)
    .run();
}

export async function stockOf(owner: string, productId: string): Promise<number> {
  const row = await env.DB.prepare('SELECT qty FROM stock WHERE owner_id = ? AND product_id = ?')
    .bind(owner, productId)
    .first<{ qty: number }>();
  return row?.qty ?? 0;
}

export async function setModel(stockModel: 'direct' | 'cloud', freezeDays = 7) {
  const res = await api('/api/brand/settings', {
    method: 'PATCH',
    token: await admin(),
    body: { stockModel, freezeDays },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

// F(6) → E(5) → D(4) → C(3) → B(2) → A(1) → brand, as in the worked example.
export async function sixLevelChain(): Promise<TestAgent[]> {
  const chain: TestAgent[] = [];
  let above: TestAgent | undefined;
  for (const level of [1, 2, 3, 4, 5, 6]) {
    above = await createAgent(level, above);
    chain.unshift(above);
  }
  return chain;
}

export async function balance(account: string): Promise<number> {
  const row = await env.DB.prepare('SELECT balance_fen AS b FROM balances WHERE account = ?')
    .bind(account)
    .first<{ b: number }>();
  return row?.b ?? 0;
}

// What an agent's shares hold until their release (its held_shares counter); they are in its wallet balance already.
export async function held(agentId: string): Promise<number> {
  const row = await env.DB.prepare('SELECT held_fen AS h FROM held_shares WHERE agent_id = ?')
    .bind(agentId)
    .first<{ h: number }>();
  return row?.h ?? 0;
}

// What an agent can withdraw: its wallet balance less its held shares.
export async function withdrawable(agentId: string): Promise<number> {
  return (await balance(`agent:${agentId}:available`)) - (await held(agentId));
}

export async function expectLedgerBalanced() {
  const total = await env.DB.prepare('SELECT coalesce(sum(amount_fen), 0) AS s FROM ledger_entries').first<{
    s: number;
  }>();
  expect(total?.s).toBe(0);
  const bad = await env.DB.prepare(
    'SELECT txn_id FROM ledger_entries GROUP BY txn_id HAVING sum(amount_fen) <> 0 LIMIT 1',
  ).first<{ txn_id: string }>();
  expect(bad).toBeNull();
  const drift = await env.DB.prepare(
    `SELECT b.account FROM balances b LEFT JOIN (SELECT account, sum(amount_fen) AS s FROM ledger_entries GROUP BY account) e
     ON e.account = b.account WHERE b.balance_fen <> coalesce(e.s, 0) LIMIT 1`,
  ).first<{ account: string }>();
  expect(drift).toBeNull();
  await expectHeldExact();
}

// Each held counter is what its agent's held shares of brand-collected orders still hold.
export async function expectHeldExact() {
  const heldDrift = await env.DB.prepare(
    `SELECT coalesce(h.agent_id, s.party_id) AS agent FROM held_shares h FULL OUTER JOIN (
       SELECT s.party_id, sum(s.amount_fen - s.refunded_qty * (s.sell_unit_fen - s.buy_unit_fen)) AS fen
       FROM order_shares s JOIN orders o ON o.id = s.order_id
       WHERE s.status = 'pending' AND o.payee_id = 'brand' AND s.party_id <> 'brand' GROUP BY s.party_id) s
     ON s.party_id = h.agent_id
     WHERE coalesce(h.held_fen, 0) <> coalesce(s.fen, 0) LIMIT 1`,
  ).first<{ agent: string }>();
  expect(heldDrift).toBeNull();
}

export interface OrderBody {
  id: string;
  /** The human order number (18 digits). */
  number: string;
  agentId: string | null;
  expiresAt: number | null;
  /** A guest order's token, returned once at creation. */
  orderToken?: string;
  status: string;
  amountFen: number;
  payeeId: string;
  refundedFen: number;
  shipping: { name: string; phone: string; address: string } | null;
  lines: { productId: string; qty: number; unitFen: number; refundedQty: number }[];
}

// Each shop's guest has a phone of its own: a guest's phone binds it (锁粉) to the first shop it orders from.
export function guestPhone(shopCode: string): string {
  let hash = 0;
  for (const ch of shopCode) hash = (hash * 31 + ch.charCodeAt(0)) % 100_000_000;
  return `137${String(hash).padStart(8, '0')}`;
}

export async function guestOrder(
  shopCode: string,
  productId: string,
  qty = 1,
  paymentMethod = 'online',
  headers: Record<string, string> = {},
  phone = guestPhone(shopCode),
) {
  return api<OrderBody>('/api/orders', {
    body: {
      kind: 'consumer',
      shopCode,
      lines: [{ productId, qty }],
      paymentMethod,
      shipping: { name: '王小明', phone, address: '浙江省杭州市西湖区文三路 100 号' },
    },
    headers: { 'cf-connecting-ip': freshIp(), ...headers },
  });
}

// What a guest sends to read or pay its order: the token its creation returned.
export function guestAuth(placed: { body: { orderToken?: string } }): Record<string, string> {
  return { 'x-order-token': placed.body.orderToken ?? '', 'cf-connecting-ip': freshIp() };
}

// A guest follows its order (phone and token).
export function track(placed: { body: { id: string; orderToken?: string; shipping: { phone: string } | null } }) {
  return api<OrderBody & { trackingNo: string }>(
    `/api/orders/${placed.body.id}/track?phone=${placed.body.shipping?.phone}`,
    { headers: guestAuth(placed) },
  );
}

let platformKey: CryptoKey | undefined;
async function platformPrivateKey(): Promise<CryptoKey> {
  if (platformKey) return platformKey;
  const der = Uint8Array.from(
    atob(env.TEST_WECHAT_PLATFORM_PRIVATE_KEY.replace(/-----[^-]+-----/g, '').replace(/\s/g, '')),
    (ch) => ch.charCodeAt(0),
  );
  platformKey = await crypto.subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return platformKey;
}

export function transaction(orderId: string, total: number): PaymentTransaction {
  return {
    appid: env.WECHAT_APP_ID,
    mchid: env.WECHAT_MCH_ID,
    out_trade_no: orderId,
    transaction_id: `4200${Date.now()}${seq++}`,
    trade_state: 'SUCCESS',
    success_time: '2026-11-23T12:00:00+08:00',
    payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    amount: { total, payer_total: total, currency: 'CNY' },
  };
}

// POSTs a WeChat Pay notification exactly as WeChat sends it.
export async function notify(tx: PaymentTransaction, eventId?: string) {
  return (await signedNotification(tx, eventId))();
}

// The notification signed and encrypted now, sent when the returned function is called (a race test times it).
export async function signedNotification(tx: PaymentTransaction, eventId?: string) {
  const signed = await signAndEncryptNotification({
    transaction: tx,
    privateKey: await platformPrivateKey(),
    apiV3Key: env.WECHAT_APIV3_KEY,
    serial: env.WECHAT_PLATFORM_SERIAL,
    timestamp: Math.floor(Date.now() / 1000),
    nonce: randomAscii(32),
    ...(eventId ? { eventId } : {}),
  });
  const headers: Record<string, string> = {};
  signed.headers.forEach((v, k) => {
    headers[k] = v;
  });
  return () => api('/api/payments/wechat/notify', { method: 'POST', raw: signed.body, headers });
}
