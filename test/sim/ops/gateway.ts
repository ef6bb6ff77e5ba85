import { env } from 'cloudflare:test';
import type { FakePay } from '../../wechatpay-fake';
import { type Allowed, type Ctx, outcomeOf, row, rows } from '../ctx';
import type { Model, OrderView, SimOrder, SimWithdrawal } from '../model';
import { payAndNotify, tradePaid, wechatFakes } from '../wechat';
import { buyerToken, noteOrder, type Op, same } from './common';
import { available, withAvailable } from './money';
import { refundAllowed, refundable, refundLines } from './refunds';

// Money through the fake WeChat Pay (test/sim/wechat.ts): a payment whose notification is lost and is found by the
// buyer's page asking WeChat (POST /orders/{id}/pay/sync), also when the notification comes late; refunds sent to
// WeChat through 5xx answers, lost answers and a brand clicking twice, settled by notification or by query; late
// payments paid back through WeChat; withdrawals paid by transfer, some of which WeChat fails.

const REFUNDS = '/v3/refund/domestic/refunds';

type GatewayRefund = { id: string; status: string };

// Unpaid online orders whose buyer can open the payment page (a guest's order token is not kept by the model).
function payable(m: Model): SimOrder[] {
  return m.orders.filter(
    (o) =>
      o.method === 'online' &&
      o.status === 'pending_payment' &&
      o.kind !== 'pickup' &&
      buyerToken(m, o) !== undefined &&
      !tradePaid(m.wechat, o.id),
  );
}

const payLost: Op = {
  name: 'payLostNotify',
  weight: (m) => (payable(m).length > 0 ? 5 : 0),
  async run(ctx) {
    const { m, rng } = ctx;
    const order = rng.pick(payable(m));
    if (!order) return;
    const stored = await row<{ expiresAt: number | null }>(
      'SELECT expires_at AS expiresAt FROM orders WHERE id = ?',
      order.id,
    );
    const overdue = stored?.expiresAt !== null && (stored?.expiresAt ?? 0) <= Date.now();
    const started = await ctx.call<{ codeUrl?: string }>(`/api/orders/${order.id}/pay`, {
      token: buyerToken(m, order),
      body: { channel: 'native' },
    });
    const got = ctx.expect(started, overdue ? ['409 INVALID_STATE'] : [200], 'native prepay');
    ctx.note(`${ctx.name(order.id)} native → ${got}`);
    if (started.status !== 200) return;
    same(ctx, 'trade placed', m.wechat.trades.get(order.id)?.total, order.amountFen);
    // The payer scans and pays; WeChat's notification never arrives.
    same(ctx, 'lost notification', await wechatFakes().pay.pay(started.body.codeUrl ?? '', { notify: false }), 0);
    ctx.note('paid at WeChat, notification lost');
    if (rng.chance(0.3)) await recover(ctx, order);
  },
};

function unbooked(m: Model): SimOrder[] {
  return m.orders.filter((o) => tradePaid(m.wechat, o.id) && !m.wechat.paymentsAcked.has(o.id));
}

// The buyer's page asks WeChat (query by out_trade_no) and the notification arrives too, in either order or at once:
// the payment is booked once, as paid, or owed back when the order was cancelled (or refused) meanwhile.
async function recover(ctx: Ctx, order: SimOrder): Promise<void> {
  const { m, rng } = ctx;
  const before = await row<{ status: string }>('SELECT status FROM orders WHERE id = ?', order.id);
  const token = buyerToken(m, order);
  const sync = () =>
    ctx.call<{ tradeState: string; order: OrderView }>(`/api/orders/${order.id}/pay/sync`, {
      method: 'POST',
      token,
    });
  const redeliver = () => payAndNotify(m.wechat, order.id);
  const mode = token ? rng.int(4) : 3;
  const results: string[] = [];
  const synced = async () => {
    const res = await sync();
    ctx.expect(res, [200], 'pay sync');
    same(ctx, 'trade state', res.body.tradeState, 'SUCCESS');
    m.wechat.paymentsAcked.add(order.id);
    results.push(`sync ${res.body.order.status}`);
    noteOrder(m, res.body.order);
  };
  const delivered = async () => {
    const status = await redeliver();
    if (status !== 200) ctx.fail('wrong-answer:late-notify', `late notification answered ${status}`);
    results.push(`notify ${status}`);
  };
  if (mode === 0) await synced();
  else if (mode === 1) await Promise.all([synced(), delivered()]);
  else if (mode === 2) {
    await synced();
    await delivered();
  } else await delivered();
  if (rng.chance(0.3)) await delivered();
  const after = await row<{ status: string; latePaid: number }>(
    'SELECT status, late_paid_fen AS latePaid FROM orders WHERE id = ?',
    order.id,
  );
  ctx.note(`${ctx.name(order.id)} (${before?.status}) ${results.join(', ')} → ${after?.status}`);
  const wasPending = before?.status === 'pending_payment';
  same(ctx, 'booked payment', wasPending ? after?.status : after?.latePaid, wasPending ? 'paid' : order.amountFen);
  order.known = false;
}

const paySync: Op = {
  name: 'payRecover',
  weight: (m) => (unbooked(m).length > 0 ? 6 : 0),
  async run(ctx) {
    const order = ctx.rng.pick(unbooked(ctx.m));
    if (order) await recover(ctx, order);
  },
};

async function gatewayRows(orderId: string): Promise<GatewayRefund[]> {
  return rows<GatewayRefund>('SELECT id, status FROM gateway_refunds WHERE order_id = ? ORDER BY id', orderId);
}

function refundsAtWechat(m: Model, orderId: string) {
  return [...m.wechat.refunds.values()].filter((r) => r.outTradeNo === orderId);
}

// Refunds the brand owes the payer: online, paid to the brand, something left to refund.
const viaGateway = (o: SimOrder) => o.method === 'online' && o.payeeId === 'brand' && o.amountFen > 0 && refundable(o);

const gatewayRefund: Op = {
  name: 'gatewayRefund',
  weight: (m) => (m.orders.some(viaGateway) ? 4 : 0),
  async run(ctx) {
    const { m, rng } = ctx;
    const order = rng.pick(m.orders.filter(viaGateway));
    if (!order) return;
    const { pay } = wechatFakes();
    const mode = rng.pick(['plain', 'busy', 'lost', 'unreachable', 'twice'] as const) ?? 'plain';
    const lines = mode === 'twice' ? undefined : refundLines(ctx, order);
    const whole = order.lines
      .filter((l) => l.qty > l.refundedQty)
      .map((l) => ({ productId: l.productId, qty: l.qty - l.refundedQty }));
    const allowed = await refundAllowed(order, lines ?? whole);
    const rowsBefore = (await gatewayRows(order.id)).length;
    const atWechatBefore = refundsAtWechat(m, order.id).length;
    const created = pay.counts.refundsCreated;
    // Three attempts per send: a 5xx or two are retried; all three lost or failing leave the refund pending.
    pay.clearScripts();
    if (!allowed.includes(200)) {
      // Nothing reaches WeChat: no answer to lose.
    } else if (mode === 'busy') pay.failNext(REFUNDS, rng.between(1, 2), 500);
    else if (mode === 'lost') pay.loseNext(REFUNDS, rng.between(1, 3));
    else if (mode === 'unreachable') pay.failNext(REFUNDS, 3, 503);
    const send = () =>
      ctx.call<OrderView>(`/api/orders/${order.id}/refund`, {
        token: m.adminToken,
        body: { ...(lines ? { lines } : {}), reason: '顾客退货' },
      });
    const answers = mode === 'twice' ? await Promise.all([send(), send()]) : [await send()];
    const got = answers.map((a) =>
      ctx.expect(a, [...allowed, ...(mode === 'twice' ? ['409 INVALID_STATE' as const] : [])]),
    );
    const what = lines ? lines.map((l) => `${ctx.name(l.productId)}×${l.qty}`).join('+') : 'all';
    ctx.note(`${ctx.name(order.id)} (${order.kind} ${order.status}) ${what} ${mode} → ${got.join(' ‖ ')}`);
    const ok = answers.filter((a) => a.status === 200);
    if (mode === 'twice' && allowed.includes(200) && ok.length !== 1) {
      ctx.fail('race:gateway-refund', `${ok.length} of two identical whole refunds passed`);
    }
    for (const a of answers) noteOrder(m, a.body);
    pay.clearScripts();
    if (ok.length === 0) return;
    const after = await gatewayRows(order.id);
    const sent = after.slice(rowsBefore);
    same(ctx, 'refunds booked', sent.length, 1);
    const [refund] = sent;
    if (!refund) return;
    if (refund.status === 'pending') {
      // WeChat never answered: the page's sync resends the same out_refund_no.
      const synced = await ctx.call<{ items: GatewayRefund[] }>(`/api/orders/${order.id}/refunds/sync`, {
        method: 'POST',
        token: m.adminToken,
      });
      ctx.expect(synced, [200], 'refund sync');
      ctx.note(`pending → sync ${synced.body.items.find((i) => i.id === refund.id)?.status}`);
    }
    same(ctx, 'refunds at WeChat', refundsAtWechat(m, order.id).length, atWechatBefore + 1);
    same(ctx, 'refunds WeChat created', pay.counts.refundsCreated, created + 1);
    const status = (await gatewayRows(order.id)).find((r) => r.id === refund.id)?.status;
    same(ctx, 'refund accepted', status, 'processing');
  },
};

function openRefunds(m: Model) {
  return [...m.wechat.refunds.values()].filter((r) => r.status === 'PROCESSING' || r.status === 'ABNORMAL');
}

// WeChat finishes a refund (or finds the payer's account abnormal, and later pays it after all) and the Worker
// learns it from the notification, repeated at times, or from a query when the notification is lost.
const settleRefund: Op = {
  name: 'settleRefund',
  weight: (m) => (openRefunds(m).length > 0 ? 4 : 0),
  async run(ctx) {
    const { m, rng } = ctx;
    const refund = rng.pick(openRefunds(m));
    if (!refund) return;
    const { pay } = wechatFakes();
    const outcome = refund.status === 'PROCESSING' && rng.chance(0.2) ? 'ABNORMAL' : 'SUCCESS';
    const byNotification = rng.chance(0.6);
    const status = await pay.settleRefund(refund.outRefundNo, outcome, { notify: byNotification });
    if (byNotification) {
      if (status !== 200) ctx.fail('wrong-answer:refund-notify', `refund notification answered ${status}`);
      if (rng.chance(0.3))
        same(ctx, 'repeated refund notification', await pay.settleRefund(refund.outRefundNo, outcome), 200);
    } else {
      const synced = await ctx.call<{ items: GatewayRefund[] }>(`/api/orders/${refund.outTradeNo}/refunds/sync`, {
        method: 'POST',
        token: m.adminToken,
      });
      ctx.expect(synced, [200], 'refund sync');
    }
    m.wechat.refundsAcked.add(refund.outRefundNo);
    const stored = await row<{ status: string }>('SELECT status FROM gateway_refunds WHERE id = ?', refund.outRefundNo);
    ctx.note(
      `${ctx.name(refund.outTradeNo)} refund ${refund.refund} ${outcome} by ${byNotification ? 'notification' : 'query'} → ${stored?.status}`,
    );
    same(ctx, 'refund state', stored?.status, outcome === 'SUCCESS' ? 'succeeded' : 'abnormal');
  },
};

async function owedLate(m: Model): Promise<SimOrder[]> {
  const owed = await rows<{ id: string }>('SELECT id FROM orders WHERE late_paid_fen > 0 AND late_refunded_at IS NULL');
  return m.orders.filter((o) => owed.some((x) => x.id === o.id) && tradePaid(m.wechat, o.id));
}

// A payment that arrived after its order closed goes back through WeChat (no reference: the refund's out_refund_no).
const lateGatewayRefund: Op = {
  name: 'lateGatewayRefund',
  weight: (m) => (m.orders.some((o) => o.method === 'online' && ['cancelled', 'refused'].includes(o.status)) ? 1.5 : 0),
  async run(ctx) {
    const { m } = ctx;
    const order = ctx.rng.pick(await owedLate(m));
    if (!order) return;
    const before = refundsAtWechat(m, order.id).length;
    const res = await ctx.call(`/api/orders/${order.id}/late-payment-refund`, { token: m.adminToken, body: {} });
    const again = await ctx.call(`/api/orders/${order.id}/late-payment-refund`, { token: m.adminToken, body: {} });
    ctx.note(`${ctx.name(order.id)} → ${ctx.expect(res, [200])}, again → ${ctx.expect(again, ['409 INVALID_STATE'])}`);
    same(ctx, 'late refunds at WeChat', refundsAtWechat(m, order.id).length, before + 1);
  },
};

function withdrawalsIn(m: Model, status: SimWithdrawal['status']): SimWithdrawal[] {
  return m.withdrawals.filter((w) => w.status === status);
}

async function transfersOn(ctx: Ctx): Promise<void> {
  if (ctx.m.wechat.transfersOn) return;
  const res = await ctx.call('/api/brand/settings', {
    method: 'PATCH',
    token: ctx.m.adminToken,
    body: { payoutTransfer: true },
  });
  ctx.expect(res, [200], 'payoutTransfer on');
  ctx.m.wechat.transfersOn = true;
}

// After a transfer ends: paid, the funds are gone; failed, they are available again, whole.
async function checkEnd(ctx: Ctx, w: SimWithdrawal, status: string, availableBefore: number): Promise<void> {
  const agent = ctx.m.agents.find((a) => a.id === w.agentId);
  if (!agent) return;
  const now = await available(agent);
  same(ctx, `available after ${status}`, now, availableBefore + (status === 'failed' ? w.amountFen : 0));
  w.status = status as SimWithdrawal['status'];
}

// No withdrawal waits: an agent with enough available asks for one (as the withdraw op would).
async function askToWithdraw(ctx: Ctx): Promise<SimWithdrawal | undefined> {
  const { m, rng } = ctx;
  const min = m.settings.withdrawMinFen;
  const funded = (await withAvailable(m)).filter((f) => f.fen >= min);
  const pick = rng.pick(funded);
  if (!pick) return undefined;
  const amountFen = rng.between(min, pick.fen);
  const res = await ctx.call<{ id: string }>('/api/withdrawals', { token: pick.agent.token, body: { amountFen } });
  ctx.expect(res, [201], 'withdrawal');
  const w: SimWithdrawal = { id: res.body.id, agentId: pick.agent.id, amountFen, status: 'requested' };
  ctx.note(`${ctx.name(pick.agent.id)} asks ${amountFen} of ${pick.fen} = W${m.withdrawals.length}`);
  m.withdrawals.push(w);
  return w;
}

// The brand approves a withdrawal by WeChat transfer to the agent's openid; WeChat pays it, fails it or keeps it
// processing; its first answer may be lost (the retry names the same out_batch_no).
const transferPayout: Op = {
  name: 'transferPayout',
  weight: (m) =>
    withdrawalsIn(m, 'requested').length > 0 ? 6 : m.orders.some((o) => o.status === 'completed') ? 2 : 0,
  async run(ctx) {
    const { m, rng } = ctx;
    const w = rng.pick(withdrawalsIn(m, 'requested')) ?? (await askToWithdraw(ctx));
    const agent = w && m.agents.find((a) => a.id === w.agentId);
    if (!w || !agent) return;
    await transfersOn(ctx);
    // The openid comes from the agent's WeChat sign-in (OAuth); set here as that would, one per agent.
    if (rng.chance(0.9)) {
      await env.DB.prepare('UPDATE agents SET openid = ? WHERE id = ? AND openid IS NULL')
        .bind(`oSim${agent.id.replace(/\W/g, '')}`, agent.id)
        .run();
    }
    const known = await row<{ openid: string | null }>('SELECT openid FROM agents WHERE id = ?', agent.id);
    const { payouts } = wechatFakes();
    payouts.outcome = rng.pick(['SUCCESS', 'FAIL', 'FAIL', 'PROCESSING'] as const) ?? 'SUCCESS';
    const script: FakePay['createScript'] = rng.chance(0.1) ? ['lost'] : [];
    payouts.createScript = [...script];
    const before = await available(agent);
    const res = await ctx.call<{ status: string }>(`/api/withdrawals/${w.id}/approve`, {
      token: m.adminToken,
      body: { method: 'transfer' },
    });
    const allowed: Allowed[] = known?.openid ? [200] : ['409 TRANSFER_UNAVAILABLE'];
    const got = ctx.expect(res, allowed);
    const lost = payouts.createScript.length < script.length ? ', first answer lost' : '';
    ctx.note(
      `${ctx.name(w.id)} ${w.amountFen} by transfer (${payouts.outcome}${lost}) → ${got} ${res.body.status ?? ''}`,
    );
    payouts.createScript = [];
    if (res.status !== 200) return;
    const want = { SUCCESS: 'paid', FAIL: 'failed', PROCESSING: 'paying' }[payouts.outcome];
    same(ctx, 'transfer outcome', res.body.status, want);
    await checkEnd(ctx, w, res.body.status, before);
  },
};

// A transfer still processing ends at WeChat; the brand's refresh (or the cron) books it once.
const transferFollow: Op = {
  name: 'transferFollow',
  weight: (m) => (withdrawalsIn(m, 'paying').length > 0 ? 4 : 0),
  async run(ctx) {
    const { m, rng } = ctx;
    const w = rng.pick(withdrawalsIn(m, 'paying'));
    const agent = w && m.agents.find((a) => a.id === w.agentId);
    if (!w || !agent) return;
    const transfer = m.wechat.transfers.get(w.id.replace(/_/g, ''));
    if (!transfer) return ctx.fail('transfer-missing', `${ctx.name(w.id)} paying, WeChat holds no transfer`);
    const fail = rng.chance(0.5);
    Object.assign(transfer, fail ? { status: 'FAIL', failReason: 'ACCOUNT_FROZEN' } : { status: 'SUCCESS' });
    const before = await available(agent);
    const twice = rng.chance(0.3);
    const refresh = () =>
      ctx.call<{ status: string }>(`/api/withdrawals/${w.id}/refresh`, { method: 'POST', token: m.adminToken });
    const answers = twice ? await Promise.all([refresh(), refresh()]) : [await refresh()];
    for (const a of answers) ctx.expect(a, [200], 'refresh');
    ctx.note(
      `${ctx.name(w.id)} ${fail ? 'FAIL' : 'SUCCESS'} at WeChat → refresh ${answers.map(outcomeOf).join(' ‖ ')}`,
    );
    const status = fail ? 'failed' : 'paid';
    same(
      ctx,
      'transfer followed',
      answers.map((a) => a.body.status),
      answers.map(() => status),
    );
    await checkEnd(ctx, w, status, before);
  },
};

export const gatewayOps: Op[] = [
  payLost,
  paySync,
  gatewayRefund,
  settleRefund,
  lateGatewayRefund,
  transferPayout,
  transferFollow,
];
