import { env } from 'cloudflare:test';
import { retire } from './archive-view';
import { Ctx, SimFailure } from './ctx';
import { checkInvariants } from './invariants';
import type { Model } from './model';
import { ops, opsByName } from './ops';
import { Rng } from './rng';
import { buildWorld } from './world';

// One step: which operation, and the seed of the generator it draws its targets and inputs from. A step picks its
// targets in whatever state it finds, so any subsequence of steps is itself a valid sequence (the shrinker relies on it).
export interface Step {
  op: string;
  seed: number;
}

export interface Failure {
  at: number;
  signature: string;
  message: string;
}

export interface RunOutcome {
  steps: Step[];
  log: string[];
  failure: Failure | null;
  ran: Map<string, number>;
}

export type Plan = { generate: number } | { replay: readonly Step[] };

// Agents' level, status and supplier change as side effects (a revoke moves a downline), so the model takes them
// from the database; orders it compares first, so an answer that disagrees with what was stored is caught.
async function sync(m: Model): Promise<string[]> {
  type OrderRow = { id: string; status: Model['orders'][number]['status']; refundedFen: number };
  type LineRow = { orderId: string; productId: string; refundedQty: number };
  const [agents, orders, lines] = await env.DB.batch<Record<string, unknown>>([
    env.DB.prepare('SELECT id, level, status, supplier_id AS supplierId FROM agents'),
    env.DB.prepare('SELECT id, status, refunded_fen AS refundedFen FROM orders'),
    env.DB.prepare('SELECT order_id AS orderId, product_id AS productId, refunded_qty AS refundedQty FROM order_lines'),
  ]);
  const agentRows = new Map(((agents?.results ?? []) as unknown as Model['agents']).map((a) => [a.id, a]));
  for (const a of m.agents) {
    const stored = agentRows.get(a.id);
    if (stored) Object.assign(a, { level: stored.level, status: stored.status, supplierId: stored.supplierId });
  }
  const orderRows = new Map(((orders?.results ?? []) as unknown as OrderRow[]).map((o) => [o.id, o]));
  const lineRows = new Map(
    ((lines?.results ?? []) as unknown as LineRow[]).map((l) => [`${l.orderId} ${l.productId}`, l]),
  );
  const drift: string[] = [];
  for (const o of m.orders) {
    const stored = orderRows.get(o.id);
    if (!stored) {
      drift.push(`${o.id}: answered as placed, not stored`);
      continue;
    }
    if (o.known && (stored.status !== o.status || stored.refundedFen !== o.refundedFen)) {
      drift.push(`${o.id}: answered ${o.status}/${o.refundedFen}, stored ${stored.status}/${stored.refundedFen}`);
    }
    o.status = stored.status;
    o.refundedFen = stored.refundedFen;
    o.known = true;
    for (const l of o.lines) {
      const line = lineRows.get(`${o.id} ${l.productId}`);
      if (line) l.refundedQty = line.refundedQty;
    }
  }
  return drift;
}

function failureOf(err: unknown, op: string): SimFailure {
  if (err instanceof SimFailure) return err;
  const e = err instanceof Error ? err : new Error(String(err));
  return new SimFailure(`error:${op}:${e.name}`, `${op}: ${e.stack ?? e.message}`);
}

export async function execute(seed: number, plan: Plan, without: ReadonlySet<string> = new Set()): Promise<RunOutcome> {
  const log: string[] = [];
  const steps: Step[] = [];
  const ran = new Map<string, number>();
  let m: Model;
  try {
    m = await buildWorld(new Rng(seed));
  } catch (err) {
    const f = failureOf(err, 'setup');
    return { steps, log, ran, failure: { at: -1, signature: f.signature, message: f.message } };
  }
  log.push(
    `world: ${m.settings.stockModel}, ${m.products.length} products, withdrawal minimum ${m.settings.withdrawMinFen} fen`,
  );
  const main = new Rng(seed ^ 0x5bd1e995);
  const count = 'generate' in plan ? plan.generate : plan.replay.length;
  for (let i = 0; i < count; i++) {
    // A replay's steps are given: the archive's operations may come at any step of a shrunk sequence.
    m.step = 'generate' in plan ? i : Number.MAX_SAFE_INTEGER;
    let step: Step;
    if ('generate' in plan) {
      const op = main.weighted(ops.map((o) => [o, without.has(o.name) ? 0 : o.weight(m)] as const));
      if (!op) break;
      step = { op: op.name, seed: main.u32() };
    } else {
      step = plan.replay[i] as Step;
    }
    steps.push(step);
    const op = opsByName.get(step.op);
    if (!op || op.weight(m) <= 0) {
      log.push(`${i + 1}. ${step.op}:${step.seed} skipped (nothing to act on)`);
      continue;
    }
    const ctx = new Ctx(m, new Rng(step.seed), op.name);
    try {
      await op.run(ctx);
      await retire(m);
      const drift = await sync(m);
      if (drift.length > 0)
        throw new SimFailure('drift:order', `answers disagree with the database: ${drift.join('; ')}`);
      const violations = await checkInvariants(m);
      if (violations.length > 0) {
        throw new SimFailure(
          `invariant:${violations[0]?.name}`,
          violations.map((v) => `${v.name}: ${v.detail}`).join('\n'),
        );
      }
      // A step that found no target (say, no funded wallet for a withdrawal race) did nothing worth counting.
      if (ctx.notes.length > 0) ran.set(op.name, (ran.get(op.name) ?? 0) + 1);
      log.push(`${i + 1}. ${step.op}:${step.seed} ${ctx.notes.join('; ') || 'did nothing'}`);
    } catch (err) {
      const f = failureOf(err, op.name);
      log.push(`${i + 1}. ${step.op}:${step.seed} ${ctx.notes.join('; ')} ✗`);
      return { steps, log, ran, failure: { at: i, signature: f.signature, message: f.message } };
    }
  }
  // Not an operation: how many months this run saw archived (the suite requires one).
  ran.set('monthsArchived', m.monthsArchived.size);
  return { steps, log, ran, failure: null };
}

export interface Shrunk {
  outcome: RunOutcome;
  attempts: number;
}

// Delta debugging (ddmin): drop chunks of steps while the replay still fails the same way, keeping each time only the
// prefix up to the failing step, until no single step can go or the time budget is spent.
export async function shrink(seed: number, failed: RunOutcome, budgetMs: number): Promise<Shrunk> {
  const signature = failed.failure?.signature;
  let best = failed;
  let current = failed.steps.slice(0, (failed.failure?.at ?? 0) + 1);
  let attempts = 0;
  const deadline = Date.now() + budgetMs;
  const tryOut = async (candidate: Step[]) => {
    attempts++;
    const outcome = await execute(seed, { replay: candidate });
    if (!outcome.failure || outcome.failure.signature !== signature) return false;
    best = outcome;
    current = candidate.slice(0, outcome.failure.at + 1);
    return true;
  };
  // Steps that found nothing to act on, and reads, rarely matter: one replay without them first.
  const quiet = new Set(['certLookup', 'orderPeek']);
  const skipped = new Set(best.log.flatMap((line, i) => (line.includes(' skipped ') ? [i - 1] : [])));
  await tryOut(current.filter((s, i) => !skipped.has(i) && !quiet.has(s.op)));
  let n = 2;
  while (current.length >= 2 && Date.now() < deadline) {
    const size = Math.ceil(current.length / n);
    let reduced = false;
    for (let start = 0; start < current.length && Date.now() < deadline; start += size) {
      if (await tryOut([...current.slice(0, start), ...current.slice(start + size)])) {
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (size === 1) break;
      n = Math.min(current.length, n * 2);
    }
  }
  return { outcome: best, attempts };
}

export function formatSteps(steps: readonly Step[]): string {
  return steps.map((s) => `${s.op}:${s.seed}`).join(',');
}

export function parseSteps(text: string): Step[] {
  return text
    .split(',')
    .filter(Boolean)
    .map((part) => {
      const [op, seed] = part.split(':');
      if (!op || !opsByName.has(op) || !seed || !/^\d+$/.test(seed)) throw new Error(`bad step "${part}"`);
      return { op, seed: Number(seed) };
    });
}

export function report(seed: number, total: number, failed: RunOutcome, shrunk: Shrunk | null): string {
  const f = failed.failure;
  if (!f) return `seed ${seed}: no failure`;
  const lines = [
    `Simulation failed: seed ${seed}, step ${f.at + 1} of ${total}: ${f.signature}`,
    f.message,
    `Rerun: npm run sim -- --seed ${seed} --steps ${total}`,
  ];
  if (shrunk?.outcome.failure) {
    const s = shrunk.outcome;
    lines.push(
      `Shortest failing sequence found (${(s.failure?.at ?? 0) + 1} steps, from ${f.at + 1}, in ${shrunk.attempts} replays):`,
      `  npm run sim -- --seed ${seed} --replay '${formatSteps(s.steps.slice(0, (s.failure?.at ?? 0) + 1))}'`,
      ...s.log.map((l) => `  ${l}`),
      s.failure?.message ?? '',
    );
  } else {
    lines.push('Last steps:', ...failed.log.slice(-15).map((l) => `  ${l}`));
  }
  return lines.join('\n');
}
