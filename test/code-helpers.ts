import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import { admin, api, type ErrorBody } from './helpers';
import { product } from './order-helpers';

// The code batches and bindings the anti-counterfeit code tests create and check, as the brand's console does.

export interface Batch {
  id: string;
  productId: string;
  productName: string;
  size: number;
  generated: number;
  serialStart: number;
  serialEnd: number;
  status: 'generating' | 'ready';
  note: string | null;
  createdAt: number;
  completedAt: number | null;
}

export interface Binding {
  id: string;
  agentId: string;
  agentName: string;
  orderId: string | null;
  serialFrom: number | null;
  serialTo: number | null;
  count: number;
  createdAt: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export async function createBatch(size: number, productId?: string) {
  const res = await api<Batch>('/api/brand/code-batches', {
    token: await admin(),
    body: { productId: productId ?? (await product()), size, note: '测试批次' },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

export async function generate(id: string) {
  const res = await api<Batch>(`/api/brand/code-batches/${id}/generate`, { method: 'POST', token: await admin() });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

export async function readyBatch(size: number, productId?: string) {
  let batch = await createBatch(size, productId);
  while (batch.status !== 'ready') batch = await generate(batch.id);
  return batch;
}

// The codes of a batch are exactly its serial range, each serial once, no code twice.
export async function expectWhole(batch: Batch) {
  const row = await env.DB.prepare(
    'SELECT count(*) AS n, count(DISTINCT code) AS codes, min(serial) AS lo, max(serial) AS hi FROM codes WHERE batch_id = ?',
  )
    .bind(batch.id)
    .first<{ n: number; codes: number; lo: number; hi: number }>();
  expect(row).toEqual({ n: batch.size, codes: batch.size, lo: batch.serialStart, hi: batch.serialEnd });
}

export function messageOf(res: { body: unknown }): string {
  return (res.body as ErrorBody).error.message;
}

export async function bind(body: Record<string, unknown>) {
  return api<Binding>('/api/brand/code-bindings', { token: await admin(), body });
}
