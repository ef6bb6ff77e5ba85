import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  chinaDay,
  chinaMonth,
  daysBetween,
  decodeRankCursor,
  encodeRankCursor,
  fillDays,
  progressBp,
  repeatRatePermille,
} from '../worker/domain/board';
import { signup } from './binding-helpers';
import { admin, api, createAgent, expectError, login, snapshot, type TestAgent, uniquePhone } from './helpers';
import { guestOrder, notify, type OrderBody, product, RETAIL, setModel, transaction } from './order-helpers';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface AgentRow {
  rank: number;
  agentId: string;
  value: number;
  teamId: string;
}
interface TeamRow {
  rank: number;
  teamId: string;
  value: number;
  targetFen: number | null;
  progressBp: number | null;
}

let prd: string;

beforeAll(async () => {
  await setModel('direct');
  prd = await product(100_000);
});

async function paidOrder(shop: TestAgent, qty: number, phone?: string) {
  const placed = await guestOrder(shop.code, prd, qty, 'online', {}, phone);
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  expect((await notify(transaction(placed.body.id, placed.body.amountFen))).status).toBe(200);
  return placed.body;
}

async function refund(orderId: string, body: Record<string, unknown>) {
  const res = await api<OrderBody>(`/api/orders/${orderId}/refund`, { token: await admin(), body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

// Two teams: A (head A1, with A3 under it) and B (head B1).
async function twoTeams() {
  const a1 = await createAgent(1, undefined, '甲队长');
  const a3 = await createAgent(3, a1, '甲三');
  const b1 = await createAgent(1, undefined, '乙队长');
  return { a1, a3, b1 };
}

const ranking = async (query: string, token?: string) =>
  api<Page<AgentRow>>(`/api/board/agents?${query}`, { token: token ?? (await admin()) });

describe('GET /api/board/agents and /api/board/teams', () => {
  it('rank agents and teams by net sales after a sequence of orders and refunds', async () => {
    const { a1, a3, b1 } = await twoTeams();
    await paidOrder(a3, 1);
    await paidOrder(a3, 1);
    const big = await paidOrder(b1, 3);
    await paidOrder(a1, 1);

    const before = await ranking(`teamId=${b1.id}`);
    expect(before.body.items.map((r) => [r.agentId, r.value])).toEqual([[b1.id, 3 * RETAIL]]);
    const teamsBefore = await api<Page<TeamRow>>('/api/board/teams?limit=100', { token: await admin() });
    const order = (ids: string[]) => teamsBefore.body.items.map((t) => t.teamId).filter((id) => ids.includes(id));
    expect(order([a1.id, b1.id])).toEqual([b1.id, a1.id]);

    // Two of B1's three units come back: B drops below A, and B1 below A3.
    await refund(big.id, { lines: [{ productId: prd, qty: 2 }], reason: '少发两件' });
    const teams = await api<Page<TeamRow>>('/api/board/teams?limit=100', { token: await admin() });
    const mine = teams.body.items.filter((t) => [a1.id, b1.id].includes(t.teamId));
    expect(mine.map((t) => [t.teamId, t.value])).toEqual([
      [a1.id, 3 * RETAIL],
      [b1.id, RETAIL],
    ]);
    expect(mine[0]?.rank).toBeLessThan(mine[1]?.rank ?? 0);

    const all = await ranking('limit=100');
    const ours = all.body.items.filter((r) => [a1.id, a3.id, b1.id].includes(r.agentId));
    expect(ours.map((r) => [r.agentId, r.value])).toEqual([
      [a3.id, 2 * RETAIL],
      ...[
        [a1.id, RETAIL],
        [b1.id, RETAIL],
      ].sort((x, y) => String(y[0]).localeCompare(String(x[0]))),
    ]);

    // The rest of the order is refunded: B1 sells nothing net this month and ends last of the three.
    await refund(big.id, { reason: '整单退款' });
    const after = await ranking(`teamId=${b1.id}`);
    expect(after.body.items).toMatchObject([{ agentId: b1.id, value: 0, rank: 1 }]);
  });

  it('pages a ranking by cursor without repeating or skipping a row', async () => {
    const { a1, a3 } = await twoTeams();
    const a4 = await createAgent(4, a3, '甲四');
    await paidOrder(a4, 2);
    await paidOrder(a3, 1);
    const first = await ranking(`teamId=${a1.id}&limit=1`);
    expect(first.body.items).toMatchObject([{ rank: 1, agentId: a4.id, value: 2 * RETAIL }]);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await ranking(`teamId=${a1.id}&limit=1&cursor=${encodeURIComponent(first.body.nextCursor ?? '')}`);
    expect(second.body.items).toMatchObject([{ rank: 2, agentId: a3.id, value: RETAIL }]);
    expect(second.body.nextCursor).toBeNull();
    expectError(await ranking('cursor=nonsense'), 400, 'VALIDATION_FAILED', 'cursor');
    expectError(await ranking('month=2026-13'), 400, 'VALIDATION_FAILED', 'month');
    expectError(await ranking('metric=profit'), 400, 'VALIDATION_FAILED', 'metric');
  });

  it('counts the agents each agent recruited and the members who signed up through its link', async () => {
    const { a1, a3 } = await twoTeams();
    await createAgent(5, a3);
    await createAgent(5, a3);
    expect((await signup(uniquePhone(), a3.code)).status).toBe(201);
    const recruits = await ranking(`teamId=${a1.id}&metric=agents`);
    expect(recruits.body.items.map((r) => [r.agentId, r.value])).toEqual([
      [a3.id, 2],
      [a1.id, 1],
    ]);
    const members = await ranking(`teamId=${a1.id}&metric=members`);
    expect(members.body.items.map((r) => [r.agentId, r.value])).toEqual([[a3.id, 1]]);
    const team = await api<{ newAgents: number; newMembers: number }>(`/api/board/teams/${a1.id}`, {
      token: await admin(),
    });
    expect(team.body).toMatchObject({ newAgents: 4, newMembers: 1 });
  });
});

describe('team visibility and targets', () => {
  it('shows an agent its own team only', async () => {
    const { a1, a3, b1 } = await twoTeams();
    await paidOrder(a3, 1);
    await paidOrder(b1, 1);
    const own = await ranking('limit=100', a3.token);
    expect(own.status).toBe(200);
    expect(new Set(own.body.items.map((r) => r.teamId))).toEqual(new Set([a1.id]));
    expect(own.body.items.map((r) => r.agentId)).not.toContain(b1.id);
    expectError(await ranking(`teamId=${b1.id}`, a3.token), 404, 'NOT_FOUND', 'teamId');
    expectError(await api('/api/board/teams', { token: a3.token }), 403, 'FORBIDDEN');
    expectError(await api(`/api/board/teams/${b1.id}`, { token: a3.token }), 404, 'NOT_FOUND');
    // Its own team by its head's (the upline's) id is not its to name; `me` is.
    expectError(await api(`/api/board/teams/${a1.id}`, { token: a3.token }), 404, 'NOT_FOUND');
    expect((await api(`/api/board/teams/${a1.id}`, { token: a1.token })).status).toBe(200);
    const me = await api<{ teamId: string; salesFen: number }>('/api/board/teams/me', { token: a3.token });
    expect(me.body).toMatchObject({ teamId: a1.id, salesFen: RETAIL });
    expectError(await api('/api/board/agents'), 401, 'UNAUTHENTICATED');
    const phone = uniquePhone();
    expect((await signup(phone, a3.code)).status).toBe(201);
    expectError(await api('/api/board/agents', { token: await login('member', phone) }), 403, 'FORBIDDEN');
  });

  it('sets a monthly target per team and reports progress; refuses a target for an agent who heads no team', async () => {
    const { a1, a3 } = await twoTeams();
    await paidOrder(a3, 1);
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const set = await api('/api/board/targets', {
      method: 'PUT',
      token: await admin(),
      body: { month, teamId: a1.id, salesFen: 4 * RETAIL },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({ targetFen: 4 * RETAIL, salesFen: RETAIL, progressBp: 2500 });
    const seen = await api('/api/board/teams/me', { token: a3.token });
    expect(seen.body).toMatchObject({ targetFen: 4 * RETAIL, progressBp: 2500 });

    const before = await snapshot();
    const put = (body: unknown, token?: string) => api('/api/board/targets', { method: 'PUT', token, body });
    expectError(await put({ month, teamId: a3.id, salesFen: 100 }, await admin()), 404, 'NOT_FOUND', 'teamId');
    expectError(await put({ month, teamId: a1.id, salesFen: 0 }, await admin()), 400, 'VALIDATION_FAILED', 'salesFen');
    expectError(await put({ month: '2026-1', teamId: a1.id, salesFen: 1 }, await admin()), 400, 'VALIDATION_FAILED');
    expectError(await put({ month, teamId: a1.id, salesFen: 100 }, a1.token), 403, 'FORBIDDEN');
    expect(await snapshot()).toBe(before);
    const en = await api<{ error: { message: string } }>('/api/board/targets', {
      method: 'PUT',
      token: await admin(),
      body: { month, teamId: a3.id, salesFen: 100 },
      headers: { 'accept-language': 'en' },
    });
    expect(en.body.error.message).toBe('Team not found');
  });
});

describe('counters equal what the orders imply', () => {
  it('keeps every rollup equal to a recount of orders, lines, agents and members', async () => {
    const { a3, b1 } = await twoTeams();
    const phone = uniquePhone();
    const one = await paidOrder(a3, 2, phone);
    await paidOrder(a3, 1, phone);
    await paidOrder(b1, 1);
    await refund(one.id, { lines: [{ productId: prd, qty: 1 }], reason: '部分退款' });
    const unpaid = await guestOrder(b1.code, prd, 1);
    expect(unpaid.status).toBe(201);

    const mismatch = async (recount: string, kept: string) => {
      const q = `SELECT * FROM (${recount}) EXCEPT SELECT * FROM (${kept})`;
      const a = await env.DB.prepare(q).all();
      const b = await env.DB.prepare(`SELECT * FROM (${kept}) EXCEPT SELECT * FROM (${recount})`).all();
      return [...a.results, ...b.results];
    };
    const paid = "FROM orders o WHERE o.paid_at IS NOT NULL AND o.kind <> 'pickup'";
    const month = "strftime('%Y-%m', o.paid_at / 1000 + 28800, 'unixepoch')";
    const day = "strftime('%Y-%m-%d', o.paid_at / 1000 + 28800, 'unixepoch')";
    expect(
      await mismatch(
        `SELECT ${month} AS m, o.agent_id, sum(o.amount_fen - o.refunded_fen) AS v ${paid} GROUP BY 1, 2`,
        "SELECT month, agent_id, value FROM board_agents WHERE metric = 'sales'",
      ),
    ).toEqual([]);
    expect(
      await mismatch(
        `SELECT ${day} AS d, count(*), sum(o.amount_fen - o.refunded_fen) ${paid} GROUP BY 1`,
        'SELECT day, orders, sales_fen FROM daily_stats WHERE orders > 0',
      ),
    ).toEqual([]);
    expect(
      await mismatch(
        `SELECT ${month} AS m, l.product_id, sum((l.qty - l.refunded_qty) * l.unit_fen), sum(l.qty - l.refunded_qty)
         FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.paid_at IS NOT NULL AND o.kind <> 'pickup' GROUP BY 1, 2`,
        "SELECT month, key, sales_fen, units FROM month_breakdown WHERE dim = 'product'",
      ),
    ).toEqual([]);
    expect(
      await mismatch(
        `SELECT ${month} AS m, a.level, sum(o.amount_fen - o.refunded_fen) FROM orders o JOIN agents a ON a.id = o.agent_id
         WHERE o.paid_at IS NOT NULL AND o.kind <> 'pickup' GROUP BY 1, 2`,
        "SELECT month, CAST(key AS INTEGER), sales_fen FROM month_breakdown WHERE dim = 'level'",
      ),
    ).toEqual([]);
    expect(
      await mismatch(
        "SELECT strftime('%Y-%m-%d', created_at / 1000 + 28800, 'unixepoch') AS d, count(*) FROM agents GROUP BY 1",
        'SELECT day, new_agents FROM daily_stats WHERE new_agents > 0',
      ),
    ).toEqual([]);
    expect(
      await mismatch(
        "SELECT strftime('%Y-%m-%d', created_at / 1000 + 28800, 'unixepoch') AS d, count(*) FROM members GROUP BY 1",
        'SELECT day, new_members FROM daily_stats WHERE new_members > 0',
      ),
    ).toEqual([]);
    const buyers = `SELECT coalesce(member_id, 'tel:' || ship_phone) AS c, count(*) AS n FROM orders
      WHERE kind = 'consumer' AND paid_at IS NOT NULL AND status NOT IN ('refunded', 'refused') GROUP BY 1`;
    const totals = await env.DB.prepare(
      `SELECT (SELECT count(*) FROM (${buyers})) AS buyers, (SELECT count(*) FROM (${buyers}) WHERE n >= 2) AS repeaters`,
    ).first();
    const kept = await api<{ buyers: number; repeaters: number }>('/api/dashboard/buyers', { token: await admin() });
    expect({ buyers: kept.body.buyers, repeaters: kept.body.repeaters }).toEqual(totals);
    expect(kept.body.repeaters).toBeGreaterThanOrEqual(1);
  });
});

describe('GET /api/dashboard/*', () => {
  it('draws days, breakdowns and buyers from the rollups, paged and refused to agents', async () => {
    const { a3, b1 } = await twoTeams();
    const phone = uniquePhone();
    await paidOrder(a3, 1, phone);
    await paidOrder(a3, 1, phone);
    await paidOrder(b1, 2);
    const token = await admin();
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const daily = await api<{ days: { day: string; orders: number; salesFen: number; newAgents: number }[] }>(
      '/api/dashboard/daily',
      { token },
    );
    expect(daily.status).toBe(200);
    expect(daily.body.days).toHaveLength(30);
    const row = daily.body.days.at(-1);
    expect(row?.day).toBe(today);
    const sold = await env.DB.prepare(
      "SELECT count(*) AS n, sum(amount_fen - refunded_fen) AS s FROM orders WHERE paid_at IS NOT NULL AND kind <> 'pickup'",
    ).first<{ n: number; s: number }>();
    expect(row).toMatchObject({ orders: sold?.n, salesFen: sold?.s });
    expect(row?.newAgents).toBeGreaterThanOrEqual(3);
    const ninety = await api<{ days: unknown[] }>(`/api/dashboard/daily?from=2026-01-01&to=2026-03-31`, { token });
    expect(ninety.body.days).toHaveLength(90);
    expectError(await api('/api/dashboard/daily?from=2026-03-01&to=2026-01-01', { token }), 400, 'VALIDATION_FAILED');
    expectError(await api('/api/dashboard/daily?from=2024-01-01&to=2026-01-01', { token }), 400, 'VALIDATION_FAILED');
    expectError(await api('/api/dashboard/daily?from=2026-02-30&to=2026-03-01', { token }), 400, 'VALIDATION_FAILED');

    const levels = await api<Page<{ key: string; label: string; salesFen: number }>>(
      '/api/dashboard/breakdown?dim=level&limit=1',
      { token },
    );
    expect(levels.body.items).toHaveLength(1);
    expect(levels.body.nextCursor).not.toBeNull();
    const rest = await api<Page<{ key: string; label: string; salesFen: number }>>(
      `/api/dashboard/breakdown?dim=level&limit=10&cursor=${encodeURIComponent(levels.body.nextCursor ?? '')}`,
      { token },
    );
    const all = [...levels.body.items, ...rest.body.items];
    expect(all.map((r) => r.label)).toEqual(expect.arrayContaining(['联创', '省代']));
    expect(all.map((r) => r.salesFen)).toEqual([...all.map((r) => r.salesFen)].sort((x, y) => y - x));
    const provinces = await api<Page<{ label: string }>>('/api/dashboard/breakdown?dim=province', { token });
    expect(provinces.body.items.map((r) => r.label)).toContain('浙江');
    const byProduct = await api<Page<{ key: string; label: string; units: number }>>(
      '/api/dashboard/breakdown?dim=product',
      { token },
    );
    expect(byProduct.body.items.find((r) => r.key === prd)?.label).toMatch(/^焕颜精华/);

    const buyers = await api<{ buyers: number; repeaters: number; repeatRatePermille: number }>(
      '/api/dashboard/buyers',
      { token },
    );
    expect(buyers.body.repeaters).toBeGreaterThanOrEqual(1);
    expect(buyers.body.repeatRatePermille).toBe(Math.round((buyers.body.repeaters * 1000) / buyers.body.buyers));
    expectError(await api('/api/dashboard/daily', { token: a3.token }), 403, 'FORBIDDEN');
    expectError(await api('/api/dashboard/breakdown?dim=level', { token: a3.token }), 403, 'FORBIDDEN');
    expectError(await api('/api/dashboard/breakdown?dim=region', { token }), 400, 'VALIDATION_FAILED', 'dim');
  });
});

describe('board rules (worker/domain/board.ts)', () => {
  it('keys days and months in China time, fills ranges and computes progress and repeat rate', () => {
    // 2026-11-30 16:00 UTC is already 1 December in China.
    expect(chinaDay(Date.UTC(2026, 10, 30, 16))).toBe('2026-12-01');
    expect(chinaMonth(Date.UTC(2026, 10, 30, 15, 59))).toBe('2026-11');
    expect(daysBetween('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(daysBetween('2026-02-29', '2026-03-02')).toBeNull();
    expect(daysBetween('2026-03-02', '2026-03-01')).toBeNull();
    expect(
      fillDays(
        ['2026-01-01', '2026-01-02'],
        [{ day: '2026-01-02', orders: 1, salesFen: 5, newAgents: 0, newMembers: 0 }],
      ),
    ).toEqual([
      { day: '2026-01-01', orders: 0, salesFen: 0, newAgents: 0, newMembers: 0 },
      { day: '2026-01-02', orders: 1, salesFen: 5, newAgents: 0, newMembers: 0 },
    ]);
    expect(progressBp(2_500, 10_000)).toBe(2_500);
    expect(progressBp(-5, 10_000)).toBe(0);
    expect(progressBp(5, null)).toBeNull();
    expect(repeatRatePermille(3, 1)).toBe(333);
    expect(repeatRatePermille(0, 0)).toBe(0);
    const cursor = { value: 29_900, rank: 20, key: '浙江' };
    expect(decodeRankCursor(encodeRankCursor(cursor))).toEqual(cursor);
    expect(decodeRankCursor('1.2')).toBeNull();
  });
});
