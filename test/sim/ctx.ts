import { env } from 'cloudflare:test';
import type { ApiInit, Res } from '../helpers';
import { send } from './http';
import { errorCode, type Model, nameOf } from './model';
import type { Rng } from './rng';

// A failure carries a signature (what kind of failure, independent of ids) so the shrinker keeps a smaller
// sequence only when it fails the same way.
export class SimFailure extends Error {
  constructor(
    readonly signature: string,
    message: string,
  ) {
    super(message);
    this.name = 'SimFailure';
  }
}

// An allowed answer: a status, or a status with its error code ('409 STOCK_INSUFFICIENT').
export type Allowed = number | `${number} ${string}`;

export function outcomeOf(res: Res<unknown>): string {
  const code = errorCode(res);
  return code ? `${res.status} ${code}` : String(res.status);
}

export class Ctx {
  readonly notes: string[] = [];

  constructor(
    readonly m: Model,
    readonly rng: Rng,
    readonly op: string,
  ) {}

  // Each request comes from its own address, so per-address rate limits never decide an outcome here.
  nextIp(): string {
    const n = ++this.m.counter;
    return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  }

  uniquePhone(): string {
    return `137${String(++this.m.counter).padStart(8, '0')}`;
  }

  uniqueWechat(): string {
    return `sim_wx${++this.m.counter}`;
  }

  call<T = Record<string, unknown>>(path: string, init: ApiInit = {}): Promise<Res<T>> {
    return send<T>(path, { ...init, headers: { 'cf-connecting-ip': this.nextIp(), ...init.headers } });
  }

  note(text: string): void {
    this.notes.push(text);
  }

  name(id: string | null): string {
    return nameOf(this.m, id);
  }

  // A 5xx is never allowed; anything outside `allowed` is a failure of this step.
  expect(res: Res<unknown>, allowed: readonly Allowed[], what = ''): string {
    const got = outcomeOf(res);
    const ok = res.status < 500 && allowed.some((a) => (typeof a === 'number' ? a === res.status : a === got));
    if (!ok) {
      throw new SimFailure(
        `unexpected:${this.op}:${got}`,
        `${this.op}${what ? ` (${what})` : ''}: expected ${allowed.join(' | ')}, got ${got} ${JSON.stringify(res.body).slice(0, 400)}`,
      );
    }
    return got;
  }

  fail(signature: string, message: string): never {
    throw new SimFailure(`${signature}:${this.op}`, `${this.op}: ${message}`);
  }
}

// Whole-database reads for choosing targets and expectations; the Worker never sees these.
export async function rows<T>(query: string, ...params: unknown[]): Promise<T[]> {
  return (
    await env.DB.prepare(query)
      .bind(...params)
      .all<T>()
  ).results;
}

export async function row<T>(query: string, ...params: unknown[]): Promise<T | null> {
  return env.DB.prepare(query)
    .bind(...params)
    .first<T>();
}

export async function stockQty(owner: string, productId: string): Promise<number> {
  const r = await row<{ qty: number }>('SELECT qty FROM stock WHERE owner_id = ? AND product_id = ?', owner, productId);
  return r?.qty ?? 0;
}

export async function balanceOf(account: string): Promise<number> {
  const r = await row<{ b: number }>('SELECT balance_fen AS b FROM balances WHERE account = ?', account);
  return r?.b ?? 0;
}
