import { env } from 'cloudflare:test';
import { hashPassword, iterationsFor } from '../../worker/lib/password';
import { LEVELS, PASSWORD, sessionToken } from '../helpers';
import { forgetShadow } from './archive-view';
import { resetClock } from './clock';
import { Ctx, SimFailure } from './ctx';
import { send } from './http';
import { emptyModel, type Model, type SimProduct, type StockModel } from './model';
import type { Rng } from './rng';
import { resetWechat } from './wechat';

const ADMIN = 'simadmin';
let adminHash: string | undefined;

// Every attempt (a run, or a replay while shrinking) starts from an empty database, so a sequence's outcome
// depends only on its steps.
export async function wipe(): Promise<void> {
  resetClock();
  forgetShadow();
  // The archive's objects too: a month archived by an earlier run has the same name in this one.
  for (;;) {
    const listed = await env.ARCHIVE.list({ prefix: 'archive/', limit: 1000 });
    if (listed.objects.length > 0) await env.ARCHIVE.delete(listed.objects.map((o) => o.key));
    if (!listed.truncated) break;
  }
  const tables = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'",
  ).all<{ name: string }>();
  await env.DB.batch([
    ...tables.results.map(({ name }) => env.DB.prepare(`DELETE FROM "${name}"`)),
    // Singleton rows the migrations seed, which triggers and writes only update, come back as a new database has them.
    env.DB.prepare('INSERT INTO buyer_totals (id, buyers, repeaters) VALUES (1, 0, 0)'),
    env.DB.prepare(
      'INSERT INTO incentive_settings (id, points_per_yuan, points_toward_upgrade, updated_at) VALUES (1, 0, 0, 0)',
    ),
  ]);
}

// A valid price table drawn from the seed, equal neighbours included (they make zero shares).
function priceTable(rng: Rng): { retailFen: number; prices: number[] } {
  const prices: number[] = [];
  let p = rng.between(50, 200) * 100;
  for (let level = 1; level <= LEVELS.length; level++) {
    prices.push(p);
    p += rng.chance(0.2) ? 0 : rng.between(1, 40) * 100;
  }
  return { retailFen: p + rng.between(0, 60) * 100, prices };
}

// The brand, its six levels and an admin in SQL (as a deployment's seed would); products and warehouse stock
// through the API as the brand would add them.
export async function buildWorld(rng: Rng): Promise<Model> {
  await wipe();
  const stockModel: StockModel = rng.chance(0.5) ? 'cloud' : 'direct';
  const withdrawMinFen = rng.pick([100, 1000, 5000]) ?? 1000;
  const now = Date.now();
  adminHash ??= await hashPassword(PASSWORD, iterationsFor(env));
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO brand (id, name, seal_text, stock_model, freeze_days, binding_policy, rebind_days, withdraw_min_fen, cert_valid_days, updated_at)
       VALUES (1, '测试品牌', '测试品牌授权专用章', ?, 7, 'permanent', 90, ?, 365, ?)`,
    ).bind(stockModel, withdrawMinFen, now),
    ...LEVELS.map((name, i) =>
      env.DB.prepare('INSERT INTO levels (rank, name, first_order_fen) VALUES (?, ?, 0)').bind(i + 1, name),
    ),
    env.DB.prepare('INSERT INTO admins (id, username, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)').bind(
      'adm_sim',
      ADMIN,
      '品牌管理员',
      adminHash,
      now,
    ),
  ]);
  const login = await send('/api/auth/login', {
    body: { role: 'admin', account: ADMIN, password: PASSWORD },
    headers: { 'cf-connecting-ip': '10.255.0.1' },
  });
  if (login.status !== 200) throw new SimFailure('setup:login', `admin login: ${login.status}`);
  const m = emptyModel(sessionToken(login), stockModel, withdrawMinFen, resetWechat());
  const ctx = new Ctx(m, rng, 'setup');
  // The brand keeps one month in D1, so months passing in a run (test/sim/ops/archive.ts) get archived.
  const kept = await ctx.call('/api/brand/settings', {
    method: 'PATCH',
    token: m.adminToken,
    body: { archiveAfterMonths: 1 },
  });
  ctx.expect(kept, [200], 'archive after one month');
  const productCount = rng.between(2, 3);
  for (let i = 0; i < productCount; i++) {
    const table = priceTable(rng);
    const res = await ctx.call<{ id: string }>('/api/products', {
      token: m.adminToken,
      body: {
        sku: `SIM-${i}`,
        name: `模拟商品 ${i}`,
        retailFen: table.retailFen,
        prices: Object.fromEntries(table.prices.map((p, k) => [String(k + 1), p])),
        onSale: true,
      },
    });
    ctx.expect(res, [201], 'create product');
    const product: SimProduct = { id: res.body.id, ...table };
    m.products.push(product);
    const qty = rng.between(20, 120);
    const adjust = await ctx.call('/api/stock/adjust', {
      token: m.adminToken,
      body: { productId: product.id, delta: qty, reason: '入库' },
    });
    ctx.expect(adjust, [200], 'stock in');
    m.injected.set(product.id, qty);
  }
  return m;
}
