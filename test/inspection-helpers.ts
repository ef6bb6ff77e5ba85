import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import { createDb } from '../db/client';
import { newId } from '../db/ids';
import { postTransaction } from '../db/ledger';
import { newMeter } from '../db/metered';
import { account } from '../worker/domain/ledger';
import { admin, api, BASE, freshIp, type TestAgent, workerFetch } from './helpers';
import { product } from './order-helpers';

// The cases, notices and requests the inspection tests raise and read.

export interface Case {
  id: string;
  kind: string;
  status: string;
  agent: {
    id: string;
    name: string;
    code: string;
    level: number;
    levelName: string;
    region: string;
    status: string;
    supplyStopped: boolean;
  };
  code: string | null;
  regionSeen: string | null;
  authorizedRegion: string | null;
  hits: number;
  resolution: string | null;
  fineFen: number | null;
  decidedAt: number | null;
  allowedActions: string[];
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface Notice {
  id: string;
  kind: string;
  message: string;
  amountFen: number | null;
  inspectionId: string | null;
}
type Notices = Page<Notice> & { supplyStopped: boolean; supplyStoppedAt: number | null };

const db = createDb(env.DB, newMeter());
// The brand's session and the product every case is about, set by loadFixtures in the test file's beforeAll (an
// imported `let` reads the value it holds now).
export let adminToken: string;
let prd: string;

export async function loadFixtures() {
  adminToken = await admin();
  prd = await product();
}

// A cross-selling flag as code verification raises it.
export async function flag(agentId: string, at = Date.now()): Promise<string> {
  const id = newId('ins', at);
  await env.DB.prepare(
    `INSERT INTO inspections (id, kind, status, agent_id, code, product_id, region_seen, authorized_region, hits, created_at, updated_at)
     VALUES (?, 'cross_region', 'open', ?, ?, ?, '广东省深圳市', '浙江省杭州市', 3, ?, ?)`,
  )
    .bind(id, agentId, `C${id.slice(-15).toUpperCase()}`, prd, at, at)
    .run();
  return id;
}

export async function priceReport(agent: TestAgent): Promise<string> {
  const res = await api<{ id: string }>('/api/reports', {
    body: { agent: agent.code, productId: prd, priceSeenFen: 9_900, note: '低于零售价销售' },
    headers: { 'cf-connecting-ip': freshIp() },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

export function decide(id: string, body: Record<string, unknown>, token = adminToken) {
  return api<Case>(`/api/brand/inspections/${id}/actions`, { body, token });
}

export function notices(agent: TestAgent, query = '') {
  return api<Notices>(`/api/agent/notices${query}`, { token: agent.token });
}

export function restock(agent: TestAgent) {
  return api('/api/orders', {
    token: agent.token,
    body: { kind: 'restock', lines: [{ productId: prd, qty: 1 }], paymentMethod: 'online' },
  });
}

export async function credit(agentId: string, fen: number) {
  const now = Date.now();
  const [head, ...tail] = postTransaction(db, { id: newId('txn', now), kind: 'test_payment', at: now }, [
    { from: account.gateway, to: account.clearing, amountFen: fen },
    { from: account.clearing, to: account.available(agentId), amountFen: fen },
  ]);
  if (head) await db.batch([head, ...tail]);
}

export async function auditActions(targetId: string): Promise<string[]> {
  const log = await api<Page<{ action: string; actorRole: string }>>(`/api/audit?targetId=${targetId}`, {
    token: adminToken,
  });
  return log.body.items.map((e) => e.action);
}

// A code of `prd` shipped to the agent, as the brand binds it.
export async function boundCode(agent: TestAgent): Promise<string> {
  const batch = await api<{ id: string; serialStart: number }>('/api/brand/code-batches', {
    token: adminToken,
    body: { productId: prd, size: 1 },
  });
  expect(batch.status, JSON.stringify(batch.body)).toBe(201);
  const bound = await api('/api/brand/code-bindings', {
    token: adminToken,
    body: { agentId: agent.id, ranges: [{ from: batch.body.serialStart, to: batch.body.serialStart }] },
  });
  expect(bound.status, JSON.stringify(bound.body)).toBe(201);
  const row = await env.DB.prepare('SELECT code FROM codes WHERE batch_id = ?')
    .bind(batch.body.id)
    .first<{ code: string }>();
  return row?.code ?? '';
}

// A consumer in Guangdong checks the label; the edge tells the Worker where the request came from.
export async function verifyInGuangdong(code: string) {
  const res = await workerFetch(`${BASE}/api/codes/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': freshIp() },
    body: JSON.stringify({ code }),
    cf: { country: 'CN', region: 'Guangdong', regionCode: 'GD', city: 'Shenzhen' },
  } as RequestInit);
  expect(res.status).toBe(200);
  await res.arrayBuffer();
}

// The flag is written after the verification's answer (waitUntil).
export async function openFlags(agent: TestAgent): Promise<Case[]> {
  for (let i = 0; i < 100; i++) {
    const page = await api<Page<Case>>(`/api/brand/inspections?agentId=${agent.id}&kind=cross_region&status=open`, {
      token: adminToken,
    });
    if (page.body.items.length > 0) return page.body.items;
    await new Promise((r) => setTimeout(r, 20));
  }
  return [];
}
