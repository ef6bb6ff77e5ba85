import type { Ctx } from '../ctx';
import type { Model, SimCode } from '../model';
import { agentOf, live, type Op, same } from './common';

interface Batch {
  id: string;
  status: 'generating' | 'ready';
  serialStart: number;
  serialEnd: number;
}

// The brand makes a small batch, finishes it and reads its codes from the printer's CSV, as a brand would.
const batch: Op = {
  name: 'codeBatch',
  weight: (m) => (m.codes.length < 300 ? 1.5 : 0.2),
  async run(ctx) {
    const { m, rng } = ctx;
    const product = rng.pick(m.products);
    if (!product) return;
    const size = rng.between(3, 40);
    const created = await ctx.call<Batch>('/api/brand/code-batches', {
      token: m.adminToken,
      body: { productId: product.id, size },
    });
    ctx.expect(created, [201], 'create batch');
    let current = created.body;
    for (let i = 0; current.status !== 'ready' && i < 5; i++) {
      const next = await ctx.call<Batch>(`/api/brand/code-batches/${current.id}/generate`, {
        method: 'POST',
        token: m.adminToken,
      });
      ctx.expect(next, [200], 'generate');
      current = next.body;
    }
    same(ctx, 'batch status', current.status, 'ready');
    const csv = await ctx.call<string>(`/api/brand/code-batches/${current.id}/codes.csv`, { token: m.adminToken });
    ctx.expect(csv, [200], 'csv');
    const rows = String(csv.body)
      .split('\r\n')
      .slice(1)
      .filter(Boolean)
      .map((line) => line.split(','));
    same(ctx, 'codes in the CSV', rows.length, size);
    for (const [label, printed] of rows) {
      m.codes.push({
        code: (printed ?? '').replaceAll('-', ''),
        serial: Number(label),
        productId: product.id,
        agentId: null,
        verifications: 0,
      });
    }
    ctx.note(`${ctx.name(product.id)} ×${size}: serials ${current.serialStart}–${current.serialEnd}`);
  },
};

// A run of consecutive serials from one batch (serials of a batch are consecutive, and batches do not overlap).
function serialRun(ctx: Ctx, m: Model): SimCode[] {
  const start = ctx.rng.int(m.codes.length);
  const length = ctx.rng.between(1, 8);
  const run: SimCode[] = [];
  for (let i = start; i < m.codes.length && run.length < length; i++) {
    const c = m.codes[i] as SimCode;
    const before = run[run.length - 1];
    if (before && c.serial !== before.serial + 1) break;
    run.push(c);
  }
  return run;
}

const bind: Op = {
  name: 'bindCodes',
  weight: (m) => (m.codes.some((c) => c.agentId === null) && live(m).length > 0 ? 3 : 0),
  async run(ctx) {
    const { m, rng } = ctx;
    const agent = rng.pick(m.agents);
    const run = serialRun(ctx, m);
    const first = run[0];
    const last = run[run.length - 1];
    if (!agent || !first || !last) return;
    // Half the time the range starts at an unbound code; some of those runs reach into bound ones.
    const res = await ctx.call(`/api/brand/code-bindings`, {
      token: m.adminToken,
      body: { agentId: agent.id, ranges: [{ from: first.serial, to: last.serial }] },
    });
    const taken = run.filter((c) => c.agentId !== null).length;
    const allowed =
      agent.status === 'revoked'
        ? ['409 INVALID_STATE' as const]
        : taken > 0
          ? ['409 CODE_ALREADY_BOUND' as const]
          : [201];
    const got = ctx.expect(res, allowed);
    ctx.note(`serials ${first.serial}–${last.serial} (${taken} already bound) to ${ctx.name(agent.id)} → ${got}`);
    if (res.status === 201) for (const c of run) c.agentId = agent.id;
  },
};

interface Verification {
  verifyCount: number;
  warning: boolean;
  serialLabel: string;
  agent: { shopCode: string; status: string } | null;
}

// What someone types off a label: grouped, lower case or bare.
function typed(ctx: Ctx, code: string): string {
  const grouped = code.match(/.{4}/g)?.join(ctx.rng.chance(0.5) ? '-' : ' ') ?? code;
  return ctx.rng.chance(0.3) ? grouped.toLowerCase() : grouped;
}

function checkVerification(ctx: Ctx, c: SimCode, body: Verification, count: number) {
  same(ctx, 'verify count', body.verifyCount, count);
  same(ctx, 'repeat warning', body.warning, count > 1);
  same(ctx, 'serial label', Number(body.serialLabel), c.serial);
  same(ctx, 'verified agent', body.agent?.shopCode ?? null, agentOf(ctx.m, c.agentId)?.code ?? null);
}

const verify: Op = {
  name: 'verifyCode',
  weight: (m) => (m.codes.length > 0 ? 3 : 0),
  async run(ctx) {
    const { m, rng } = ctx;
    if (rng.chance(0.1)) {
      // A code no one printed: not found, and nothing counted.
      const res = await ctx.call('/api/codes/verify', { body: { code: 'ZZZZ-ZZZZ-ZZZZ-ZZZ0' } });
      ctx.note(`unknown code → ${ctx.expect(res, ['404 CODE_NOT_FOUND', 200])}`);
      return;
    }
    const c = rng.pick(m.codes);
    if (!c) return;
    const res = await ctx.call<Verification>('/api/codes/verify', { body: { code: typed(ctx, c.code) } });
    ctx.note(`serial ${c.serial} (bound to ${ctx.name(c.agentId)}) → ${ctx.expect(res, [200])}`);
    c.verifications++;
    checkVerification(ctx, c, res.body, c.verifications);
  },
};

// The same label checked by several phones at once: each answer counts itself, none is lost.
const verifyRace: Op = {
  name: 'verifyRace',
  weight: (m) => (m.codes.length > 0 ? 1 : 0),
  async run(ctx) {
    const c = ctx.rng.pick(ctx.m.codes);
    if (!c) return;
    const results = await Promise.all(
      [1, 2, 3].map(() => ctx.call<Verification>('/api/codes/verify', { body: { code: c.code } })),
    );
    const counts = results.map((r) => r.body.verifyCount).sort((a, b) => a - b);
    ctx.note(`serial ${c.serial} 3× at once → counts ${counts.join(', ')}`);
    for (const r of results) ctx.expect(r, [200]);
    same(ctx, 'concurrent verify counts', counts, [c.verifications + 1, c.verifications + 2, c.verifications + 3]);
    c.verifications += 3;
  },
};

export const codeOps: Op[] = [batch, bind, verify, verifyRace];
