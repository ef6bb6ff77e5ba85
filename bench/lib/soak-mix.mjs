// The soak's mix (bench/soak.mjs): weighted actions over the orders, withdrawals and codes the load has made, each
// chosen by a generator seeded with a fixed number, so a run's choices can be made again.

const SHIPPING = { name: '王小明', address: '浙江省杭州市西湖区文三路 100 号' };

/**
 * @typedef {import('./http.mjs').Measured} Measured
 * @typedef {{ id: string, amountFen: number, method: string, payeeId: string, status: string, lines: { productId: string, qty: number, refundedQty: number }[] }} Order
 * @typedef {{ code: string, serial: number, agentId: string | null, verifications: number }} Code
 * @typedef {ReturnType<typeof import('./soak-calls.mjs').createCalls>} Calls
 */

/** mulberry32: the load's choices are reproducible from its seed. @param {number} seed */
function rng(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return {
    next,
    /** @template T @param {T[]} items @returns {T | undefined} */
    pick: (items) => items[Math.floor(next() * items.length)],
    /** @param {number} lo @param {number} hi */
    between: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
  };
}

/**
 * The actions and `pickAction`, which draws the next one by weight; `stats` counts the orders placed and the
 * payments answered 200.
 * @param {{ world: import('./soak-world.mjs').World, codes: Code[], adminToken: string | null,
 *   kit: ReturnType<typeof import('./wechatpay.mjs').createWechatPayKit>, call: Calls['call'], post: Calls['post'] }} deps
 */
export function createMix({ world, codes, adminToken, kit, call, post }) {
  const stats = { placed: 0, booked: 0 };
  /** @type {Order[]} */
  const orders = [];
  /** @type {{ id: string }[]} */
  const withdrawals = [];
  const r = rng(20_260_101);
  const inState = (/** @type {string[]} */ ...statuses) => orders.filter((o) => statuses.includes(o.status));
  const take = (/** @type {Order[]} */ list) => r.pick(list);
  const track = (/** @type {Order} */ order, /** @type {Measured & { body: any }} */ res) => {
    if (res.status === 200 && res.body?.status) {
      order.status = res.body.status;
      order.lines = res.body.lines;
    }
  };
  let guest = 0;

  /** @type {[number, () => Promise<void>][]} */
  const actions = [
    [
      25,
      async () => {
        const shop = r.pick(world.agents);
        const method = r.next() < 0.8 ? 'online' : 'offline';
        const phone = `135${String(++guest).padStart(8, '0')}`;
        const body = {
          kind: 'consumer',
          shopCode: shop?.code,
          lines: [{ productId: r.pick(world.products), qty: r.between(1, 2) }],
          paymentMethod: method,
          shipping: { ...SHIPPING, phone },
        };
        const res = await call('order', '/api/orders', post(body), [201, '409 STOCK_INSUFFICIENT', '409 SHOP_CLOSED']);
        if (res.status !== 201) return;
        stats.placed++;
        orders.push({ ...res.body, method: res.body.paymentMethod });
      },
    ],
    [
      20,
      async () => {
        const order = take(inState('pending_payment'));
        if (!order) return;
        if (order.method === 'online') {
          const note = kit.notification({ orderId: order.id, totalFen: order.amountFen });
          const send = () => call('notify', '/api/payments/wechat/notify', { method: 'POST', ...note });
          // WeChat delivers a fifth of the notifications twice, at once.
          const results = await Promise.all(r.next() < 0.2 ? [send(), send()] : [send()]);
          if (results.some((x) => x.status === 200)) {
            order.status = 'paid';
            stats.booked++;
          }
          return;
        }
        const token = order.payeeId === 'brand' ? adminToken : world.agents.find((a) => a.id === order.payeeId)?.token;
        const res = await call('confirm', `/api/orders/${order.id}/confirm-payment`, post(undefined, token), [
          200,
          '409 INVALID_STATE',
        ]);
        if (res.status === 200) stats.booked++;
        track(order, res);
      },
    ],
    [
      12,
      async () => {
        const order = take(inState('paid'));
        if (!order) return;
        const tracking = { carrier: '顺丰速运', trackingNo: `SF${r.between(1e9, 9e9)}` };
        track(
          order,
          await call('ship', `/api/orders/${order.id}/ship`, post(tracking, adminToken), [200, '409 INVALID_STATE']),
        );
      },
    ],
    [
      10,
      async () => {
        const order = take(inState('shipped'));
        if (!order) return;
        track(
          order,
          await call('complete', `/api/orders/${order.id}/complete`, post({}, adminToken), [200, '409 INVALID_STATE']),
        );
      },
    ],
    [
      5,
      async () => {
        const order = take(inState('paid', 'shipped', 'completed'));
        const line = order?.lines.find((l) => l.qty > l.refundedQty);
        if (!order || !line) return;
        const body =
          r.next() < 0.5
            ? { reason: '顾客退货' }
            : { reason: '部分退货', lines: [{ productId: line.productId, qty: 1 }] };
        track(
          order,
          await call('refund', `/api/orders/${order.id}/refund`, post(body, adminToken), [
            200,
            '409 INVALID_STATE',
            '400 VALIDATION_FAILED',
          ]),
        );
      },
    ],
    [
      3,
      async () => {
        const order = take(inState('pending_payment'));
        if (order)
          track(
            order,
            await call('cancel', `/api/orders/${order.id}/cancel`, post({}, adminToken), [200, '409 INVALID_STATE']),
          );
      },
    ],
    [3, async () => void (await call('release', '/api/brand/jobs/release', post({}, adminToken)))],
    [
      5,
      async () => {
        const agent = r.pick(world.agents);
        const body = {
          kind: 'restock',
          lines: [{ productId: r.pick(world.products), qty: r.between(1, 5) }],
          paymentMethod: 'online',
        };
        const res = await call('restock', '/api/orders', post(body, agent?.token), [
          201,
          '409 STOCK_INSUFFICIENT',
          '409 SUPPLY_STOPPED',
        ]);
        if (res.status === 201) orders.push({ ...res.body, method: res.body.paymentMethod });
      },
    ],
    [
      6,
      async () => {
        const agent = r.pick(world.agents);
        const wallet = (await call('wallet', '/api/agents/me/wallet', { token: agent?.token })).body;
        if (!wallet || wallet.availableFen < 100) return;
        const amount = r.between(100, wallet.availableFen);
        const res = await call('withdraw', '/api/withdrawals', post({ amountFen: amount }, agent?.token), [
          201,
          '409 INSUFFICIENT_BALANCE',
          '409 DEBT_OUTSTANDING',
        ]);
        if (res.status === 201) withdrawals.push(res.body);
      },
    ],
    [
      3,
      async () => {
        const w = withdrawals.shift();
        if (!w) return;
        const pay = r.next() < 0.7;
        const body = pay ? { reference: `BANK-${r.between(1e6, 9e6)}` } : { reason: '账户信息有误' };
        await call('decide', `/api/withdrawals/${w.id}/${pay ? 'approve' : 'reject'}`, post(body, adminToken), [
          200,
          '409 INVALID_STATE',
        ]);
      },
    ],
    [
      8,
      async () => {
        const roll = r.next();
        const agent = r.pick(world.agents);
        if (roll < 0.3 && agent?.certNumber)
          await call('lookup', `/api/certificates/lookup?number=${agent.certNumber}`);
        else if (roll < 0.5) await call('shop page', `/s/${agent?.code}`);
        else if (roll < 0.6) await call('products', '/api/products');
        else {
          const c = r.pick(codes);
          if (!c) return;
          const res = await call('verify', '/api/codes/verify', post({ code: c.code }));
          if (res.status === 200) c.verifications++;
        }
      },
    ],
  ];
  const total = actions.reduce((s, [w]) => s + w, 0);
  const pickAction = () => {
    let x = r.next() * total;
    for (const [w, act] of actions) {
      x -= w;
      if (x < 0) return act;
    }
    return actions[0]?.[1] ?? (async () => {});
  };
  return { pickAction, stats };
}
