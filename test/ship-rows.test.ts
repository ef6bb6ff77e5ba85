import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../db/ids';
import { checkShipRow } from '../worker/domain/shipRows';
import { admin, api, createAgent, type TestAgent } from './helpers';

let brand: string;
let seller: TestAgent;

async function paidOrder(): Promise<string> {
  const id = newId('ord');
  await env.DB.prepare(
    `INSERT INTO orders (id, kind, stock_model, agent_id, payee_id, stock_owner_id, payment_method, status, amount_fen,
     refunded_fen, ship_name, ship_phone, ship_address, created_at, paid_at) VALUES (?, 'consumer', 'direct', ?, 'brand',
     'brand', 'online', 'paid', 29900, 0, '李收货', '13700002222', '某地', ?, ?)`,
  )
    .bind(id, seller.id, Date.now(), Date.now())
    .run();
  return id;
}

interface Result {
  row: number;
  orderId: string;
  ok: boolean;
  status?: string;
  code?: string;
  field?: string;
  message?: string;
}

beforeAll(async () => {
  brand = await admin();
  seller = await createAgent(6);
});

describe('POST /api/orders/ship-rows', () => {
  it('ships each good row and reports each bad one with its reason in Chinese', async () => {
    const [a, b, done] = [await paidOrder(), await paidOrder(), await paidOrder()];
    await api(`/api/orders/${done}/ship`, { body: { carrier: '顺丰速运', trackingNo: 'SF0001' }, token: brand });
    const res = await api<{ results: Result[] }>('/api/orders/ship-rows', {
      token: brand,
      body: {
        rows: [
          { row: 2, order: a.toUpperCase(), carrier: '中通快递', trackingNo: '7312 3456 7890' },
          { row: 3, order: b, carrier: '圆通速递', trackingNo: '快递单号' },
          { row: 4, order: newId('ord'), carrier: '圆通速递', trackingNo: 'YT0002' },
          { row: 5, order: done, carrier: '圆通速递', trackingNo: 'YT0003' },
          { row: 6, order: '12345', carrier: '圆通速递', trackingNo: 'YT0004' },
        ],
      },
    });
    expect(res.status).toBe(200);
    const byRow = new Map(res.body.results.map((r) => [r.row, r]));
    expect(byRow.get(2)).toMatchObject({ ok: true, status: 'shipped', orderId: a });
    expect(byRow.get(3)).toMatchObject({
      ok: false,
      field: 'trackingNo',
      message: '快递单号应为 4–40 位字母、数字或减号',
    });
    expect(byRow.get(4)).toMatchObject({ ok: false, code: 'NOT_FOUND', message: '订单不存在' });
    expect(byRow.get(5)).toMatchObject({ ok: false, code: 'INVALID_STATE', message: '当前状态不允许此操作：已发货' });
    expect(byRow.get(6)).toMatchObject({ ok: false, field: 'order', message: '订单号无效' });
    const rows = await env.DB.prepare('SELECT id, status, carrier, tracking_no FROM orders WHERE id IN (?, ?)')
      .bind(a, b)
      .all<{ id: string; status: string; carrier: string | null; tracking_no: string | null }>();
    const of = (id: string) => rows.results.find((r) => r.id === id);
    expect(of(a)).toMatchObject({ status: 'shipped', carrier: '中通快递', tracking_no: '731234567890' });
    expect(of(b)).toMatchObject({ status: 'paid', tracking_no: null });
  });

  it('ships only what the caller may ship and refuses more than 50 rows a request', async () => {
    const other = await createAgent(6);
    const id = await paidOrder();
    const res = await api<{ results: Result[] }>('/api/orders/ship-rows', {
      token: other.token,
      body: { rows: [{ row: 2, order: id, carrier: '中通快递', trackingNo: 'ZT0001' }] },
    });
    expect(res.body.results[0]).toMatchObject({ ok: false });
    const row = { row: 2, order: id, carrier: '中通快递', trackingNo: 'ZT0001' };
    const tooMany = await api('/api/orders/ship-rows', { token: brand, body: { rows: Array(51).fill(row) } });
    expect(tooMany.status).toBe(400);
    expect((await api('/api/orders/ship-rows', { body: { rows: [row] } })).status).toBe(401);
    const status = await env.DB.prepare('SELECT status FROM orders WHERE id = ?').bind(id).first<{ status: string }>();
    expect(status?.status).toBe('paid');
  });

  it('checks a row on its own', () => {
    expect(
      checkShipRow({ order: ' ORD_01JX0000000000000000000000 ', carrier: ' 顺丰 ', trackingNo: 'SF 1234' }),
    ).toEqual({
      ok: true,
      orderId: 'ord_01jx0000000000000000000000',
      carrier: '顺丰',
      trackingNo: 'SF1234',
    });
    expect(checkShipRow({ order: 'ord_01jx0000000000000000000000', carrier: ' ', trackingNo: 'SF1234' })).toEqual({
      ok: false,
      field: 'carrier',
    });
  });
});
