import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/client';
import { newId } from '../db/ids';
import { postTransaction } from '../db/ledger';
import { newMeter } from '../db/metered';
import { account } from '../worker/domain/ledger';
import {
  admin,
  api,
  BASE,
  createAgent,
  freshIp,
  PASSWORD,
  sessionToken,
  type TestAgent,
  uniquePhone,
  withSmsCode,
  workerFetch,
} from './helpers';

const db = createDb(env.DB, newMeter());
let adminToken: string;
let seller: TestAgent;
let upline: TestAgent;
let memberToken: string;
let orderId: string;
let productId: string;

const TRICKY = '王五, "小王"';
const MULTILINE = '浙江省杭州市\n西湖区 1 号';

interface Csv {
  status: number;
  bytes: Uint8Array;
  rows: string[][];
  headers: Headers;
}

// RFC 4180: quoted fields may hold commas, doubled quotes and line breaks.
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

async function csv(path: string, token?: string): Promise<Csv> {
  const res = await workerFetch(`${BASE}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = new TextDecoder('utf-8', { ignoreBOM: true, fatal: false }).decode(bytes);
  return { status: res.status, bytes, rows: res.ok ? parseCsv(text.replace(/^\uFEFF/, '')) : [], headers: res.headers };
}

function column(table: string[][], name: string): number {
  return table[0]?.indexOf(name) ?? -1;
}

beforeAll(async () => {
  adminToken = await admin();
  upline = await createAgent(3);
  seller = await createAgent(6, upline);
  const member = await api('/api/members', {
    body: await withSmsCode({ phone: uniquePhone(), name: '会员丁', password: PASSWORD, ref: seller.code }),
    headers: { 'cf-connecting-ip': freshIp() },
  });
  memberToken = sessionToken(member);
  orderId = newId('ord');
  productId = newId('prd');
  const now = Date.now();
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO products (id, sku, name, description, images, retail_fen, on_sale, created_at, updated_at)
       VALUES (?, ?, '焕颜精华, 30ml', '', '[]', 29900, 1, ?, ?)`,
    ).bind(productId, `SKU-${productId.slice(-10)}`, now, now),
    env.DB.prepare(
      `INSERT INTO orders (id, kind, stock_model, agent_id, payee_id, stock_owner_id, payment_method, status, amount_fen,
       refunded_fen, ship_name, ship_address, note, created_at, paid_at)
       VALUES (?, 'consumer', 'direct', ?, 'brand', 'brand', 'online', 'paid', 59800, 0, ?, ?, '=1+2', ?, ?)`,
    ).bind(orderId, seller.id, TRICKY, MULTILINE, now, now),
    ...[
      [seller.id, 6, 22_900, 29_900],
      [upline.id, 3, 18_400, 22_900],
      ['brand', 0, 0, 18_400],
    ].map(([party, level, buy, sell]) =>
      env.DB.prepare(
        `INSERT INTO order_shares (order_id, product_id, party_id, level, buy_unit_fen, sell_unit_fen, qty, amount_fen,
         status, refunded_qty, release_at) VALUES (?, ?, ?, ?, ?, ?, 2, ?, 'pending', 0, NULL)`,
      ).bind(orderId, productId, party, level, buy, sell, (Number(sell) - Number(buy)) * 2),
    ),
  ]);
  const items = postTransaction(db, { id: newId('txn', now), kind: 'payment', orderId, at: now }, [
    { from: account.gateway, to: account.clearing, amountFen: 59_800 },
    { from: account.clearing, to: account.pending(seller.id), amountFen: 14_000 },
    { from: account.clearing, to: account.pending(upline.id), amountFen: 9_000 },
    { from: account.clearing, to: account.brandRevenue, amountFen: 36_800 },
  ]);
  const [head, ...tail] = items;
  if (head) await db.batch([head, ...tail]);
});

describe('GET /api/exports/orders.csv', () => {
  it('streams UTF-8 with a BOM, a header row and correctly quoted values', async () => {
    const res = await csv(`/api/exports/orders.csv?agentId=${seller.id}`, adminToken);
    expect(res.status).toBe(200);
    expect([...res.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="orders-\d{4}-\d{2}-\d{2}\.csv"$/);
    const raw = new TextDecoder().decode(res.bytes);
    expect(raw).toContain('"王五, ""小王"""');
    expect(raw).toContain(`"${MULTILINE}"`);

    const [header, row, ...rest] = res.rows;
    expect(header?.slice(0, 4)).toEqual(['订单号', '下单时间', '类型', '状态']);
    expect(rest).toEqual([]);
    const at = (name: string) => row?.[column(res.rows, name)];
    expect(at('订单号')).toBe(orderId);
    expect(at('收货人')).toBe(TRICKY);
    expect(at('收货地址')).toBe(MULTILINE);
    expect(at('金额(元)')).toBe('598.00');
    expect(at('金额(分)')).toBe('59800');
    expect(at('已退款(元)')).toBe('0.00');
    expect(at('代理')).toBe('张三丰');
    // Values in words, not the API's codes.
    expect([at('类型'), at('状态'), at('支付方式'), at('收款方')]).toEqual(['零售', '待发货', '在线支付', '品牌方']);
    expect(header).not.toContain('代理ID');
    // A formula typed into free text stays text in Excel.
    expect(at('备注')).toBe("'=1+2");
    expect(row).toHaveLength(header?.length ?? 0);
  });

  it('has one row per order line with the product, quantity and line total', async () => {
    const lineAgent = await createAgent(6, upline);
    const id = newId('ord');
    const other = newId('prd');
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO products (id, sku, name, description, images, retail_fen, on_sale, created_at, updated_at)
         VALUES (?, ?, '修护面霜', '', '[]', 19900, 1, ?, ?)`,
      ).bind(other, `SKU-${other.slice(-10)}`, now, now),
      env.DB.prepare(
        `INSERT INTO orders (id, kind, stock_model, agent_id, payee_id, stock_owner_id, payment_method, status, amount_fen,
         refunded_fen, ship_name, ship_phone, ship_address, created_at) VALUES (?, 'restock', 'direct', ?, ?, 'brand',
         'offline', 'shipped', 79700, 0, '孙收货', '13700001111', '某地', ?)`,
      ).bind(id, lineAgent.id, upline.id, now),
      env.DB.prepare(
        'INSERT INTO order_lines (order_id, product_id, qty, unit_fen, refunded_qty) VALUES (?, ?, 2, 29900, 0), (?, ?, 1, 19900, 1)',
      ).bind(id, productId, id, other),
    ]);
    const res = await csv(`/api/exports/orders.csv?agentId=${lineAgent.id}`, adminToken);
    const rows = res.rows.slice(1);
    const col = (name: string) => column(res.rows, name);
    const expected = [productId, other]
      .sort()
      .map((p) =>
        p === productId ? ['焕颜精华, 30ml', '2', '299.00', '598.00', '0'] : ['修护面霜', '1', '199.00', '199.00', '1'],
      );
    const lines = ['商品', '数量', '单价(元)', '小计(元)', '已退数量'];
    expect(rows.map((r) => lines.map((name) => r[col(name)]))).toEqual(expected);
    for (const r of rows) {
      expect([r[col('订单号')], r[col('状态')], r[col('类型')], r[col('支付方式')]]).toEqual([
        id,
        '已发货',
        '进货',
        '线下转账',
      ]);
    }
  });

  it('filters by status and time, and speaks English when asked', async () => {
    const paid = await csv(`/api/exports/orders.csv?agentId=${seller.id}&status=paid`, adminToken);
    expect(paid.rows).toHaveLength(2);
    const completed = await csv(`/api/exports/orders.csv?agentId=${seller.id}&status=completed`, adminToken);
    expect(completed.rows).toHaveLength(1);
    const future = await csv(`/api/exports/orders.csv?agentId=${seller.id}&from=${Date.now() + 60_000}`, adminToken);
    expect(future.rows).toHaveLength(1);
    const res = await workerFetch(`${BASE}/api/exports/orders.csv?agentId=${seller.id}`, {
      headers: { authorization: `Bearer ${adminToken}`, 'accept-language': 'en' },
    });
    expect((await res.text()).split('\r\n')[0]).toMatch(/^\uFEFF?Order,Created,Kind,Status,/);
  });

  it('pages through more rows than one query reads, each once and in order', async () => {
    const bulkAgent = newId('agt');
    const now = Date.now();
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1203)
       INSERT INTO orders (id, kind, stock_model, agent_id, payee_id, stock_owner_id, payment_method, status, amount_fen,
       refunded_fen, created_at)
       SELECT ? || printf('%05d', i), 'restock', 'cloud', ?, 'brand', 'brand', 'offline', 'pending_payment', i, 0, ? FROM n`,
    )
      .bind(`ord_bulk${bulkAgent.slice(-8)}`, bulkAgent, now)
      .run();
    const res = await csv(`/api/exports/orders.csv?agentId=${bulkAgent}`, adminToken);
    const amounts = res.rows.slice(1).map((r) => Number(r[column(res.rows, '金额(分)')]));
    expect(amounts).toEqual(Array.from({ length: 1203 }, (_, i) => i + 1));
  });
});

describe('GET /api/exports/ledger.csv', () => {
  it('lists entries with yuan and fen columns', async () => {
    const res = await csv('/api/exports/ledger.csv', adminToken);
    expect(res.status).toBe(200);
    expect([...res.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.headers.get('content-disposition')).toMatch(/filename="ledger-\d{4}-\d{2}-\d{2}\.csv"/);
    const mine = res.rows.filter((r) => r[column(res.rows, '订单号')] === orderId);
    const amount = column(res.rows, '金额(元)');
    const fen = column(res.rows, '金额(分)');
    expect(mine.map((r) => [r[column(res.rows, '账户')], r[amount], r[fen]])).toEqual([
      [account.gateway, '-598.00', '-59800'],
      [account.clearing, '598.00', '59800'],
      [account.clearing, '-140.00', '-14000'],
      [account.pending(seller.id), '140.00', '14000'],
      [account.clearing, '-90.00', '-9000'],
      [account.pending(upline.id), '90.00', '9000'],
      [account.clearing, '-368.00', '-36800'],
      [account.brandRevenue, '368.00', '36800'],
    ]);
  });
});

describe('GET /api/exports/purchases.csv', () => {
  it('records each tier’s purchase at its own price and resale at the next, with its margin', async () => {
    const res = await csv('/api/exports/purchases.csv', adminToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/filename="purchases-\d{4}-\d{2}-\d{2}\.csv"/);
    const get = (r: string[], name: string) => r[column(res.rows, name)];
    const mine = res.rows
      .filter((r) => get(r, '订单号') === orderId)
      .map((r) => [
        get(r, '经营方ID'),
        get(r, '等级'),
        get(r, '进货单价(元)'),
        get(r, '售出单价(元)'),
        get(r, '数量'),
        get(r, '差价(元)'),
      ]);
    expect(mine).toHaveLength(3);
    expect(mine).toContainEqual([seller.id, '6', '229.00', '299.00', '2', '140.00']);
    expect(mine).toContainEqual([upline.id, '3', '184.00', '229.00', '2', '90.00']);
    expect(mine).toContainEqual(['brand', '0', '0.00', '184.00', '2', '368.00']);
    const row = res.rows.find((r) => get(r, '经营方ID') === seller.id);
    expect(row && get(row, '商品')).toBe('焕颜精华, 30ml');
    expect(row && get(row, '经营方')).toBe('张三丰');
  });
});

describe('exports', () => {
  it('are for the brand only', async () => {
    for (const path of ['/api/exports/orders.csv', '/api/exports/ledger.csv', '/api/exports/purchases.csv']) {
      expect((await csv(path, seller.token)).status, path).toBe(403);
      expect((await csv(path, memberToken)).status, path).toBe(403);
      expect((await csv(path)).status, path).toBe(401);
    }
  });
});
