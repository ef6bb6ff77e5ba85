import { env } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installClock, uninstallClock } from './clock';
import { execute, parseSteps, type RunOutcome, report, shrink } from './runner';
import { installWechat } from './wechat';

// Deterministic simulation: each seed builds a fresh world and drives a reproducible sequence of operations through
// the HTTP API, checking every invariant after every step (test/sim/). npm test runs the default seeds in two files
// (test/simulation.test.ts and test/simulation-2.test.ts, three seeds each) so vitest's two workers share them;
// `npm run sim -- --seed S --steps N` (scripts/sim.mjs) runs longer ones in the first file, `--replay` a printed sequence.
const steps = Number(env.SIM_STEPS || 400);
const replay = env.SIM_REPLAY ? parseSteps(env.SIM_REPLAY) : null;
const shrinkMs = Number(env.SIM_SHRINK_SECONDS || 120) * 1000;
const without = new Set(env.SIM_WITHOUT.split(',').filter(Boolean));
const timeout = 60_000 + steps * 1_000 + shrinkMs;

export function simulationSuite(defaultSeeds: number[], options: { parameters: boolean }): void {
  const seeds = options.parameters && env.SIM_SEEDS ? env.SIM_SEEDS.split(',').map(Number) : defaultSeeds;
  const ran = new Map<string, number>();
  const kinds = new Set<string>();
  const reached: string[] = [];
  const archivedMonths = new Map<number, number>();

  async function run(seed: number): Promise<RunOutcome> {
    const outcome = await execute(seed, replay ? { replay } : { generate: steps }, without);
    for (const [op, n] of outcome.ran) if (op !== 'monthsArchived') ran.set(op, (ran.get(op) ?? 0) + n);
    // D1 allows at most five terms in a compound SELECT.
    const found = await env.DB.batch<{ k: string }>([
      env.DB.prepare(
        "SELECT DISTINCT 'ledger:' || kind AS k FROM ledger_entries UNION SELECT DISTINCT 'order:' || status FROM orders UNION SELECT DISTINCT 'withdrawal:' || status FROM withdrawals UNION SELECT DISTINCT 'agent:' || status FROM agents UNION SELECT DISTINCT 'share:' || status FROM order_shares",
      ),
      env.DB.prepare(
        "SELECT DISTINCT 'reward:' || kind AS k FROM reward_grants UNION SELECT DISTINCT 'points:' || kind FROM points_entries UNION SELECT DISTINCT 'upgrade:' || json_extract(detail, '$.reason') FROM audit_log WHERE action = 'agent.auto_upgrade'",
      ),
    ]);
    for (const { k } of found.flatMap((f) => f.results)) kinds.add(k);
    const n = await env.DB.prepare(
      "SELECT (SELECT count(*) FROM reward_grants) AS grants, (SELECT count(*) FROM reward_grants WHERE reversed_fen > 0) AS reversed, (SELECT count(*) FROM audit_log WHERE action = 'agent.auto_upgrade') AS upgrades, (SELECT count(*) FROM points_entries) AS points, (SELECT count(*) FROM agent_progress p JOIN agents a ON a.id = p.agent_id WHERE p.first_restock_order_id IS NOT NULL AND a.referrer_id IS NOT NULL) AS recruitsQualified, (SELECT count(*) FROM agents WHERE referrer_id IS NOT NULL) AS recruits, (SELECT count(*) FROM orders WHERE kind = 'restock' AND paid_at IS NOT NULL) AS paidRestocks, (SELECT count(DISTINCT agent_id) FROM orders WHERE kind = 'restock' AND paid_at IS NOT NULL) AS restockers, (SELECT count(*) FROM orders WHERE kind = 'restock') AS restocks",
    ).first();
    reached.push(`seed ${seed}: ${JSON.stringify(n)}`);
    archivedMonths.set(seed, outcome.ran.get('monthsArchived') ?? 0);
    const months = await env.DB.prepare('SELECT month, phase FROM archive_months ORDER BY month').all<{
      month: string;
      phase: string;
    }>();
    reached.push(`seed ${seed} archive: ${months.results.map((r) => `${r.month} ${r.phase}`).join(', ') || 'none'}`);
    return outcome;
  }

  describe('seeded simulation through the HTTP API', () => {
    // The Worker pays, refunds and transfers through a fake WeChat Pay for the whole file (undone after it).
    let uninstall = () => {};
    beforeAll(async () => {
      uninstall = await installWechat();
      installClock();
    });
    afterAll(() => {
      uninstall();
      uninstallClock();
    });

    for (const seed of seeds) {
      it(`seed ${seed}: ${replay ? `${replay.length} replayed` : steps} steps keep every invariant`, {
        timeout,
      }, async () => {
        const outcome = await run(seed);
        if (outcome.failure) {
          const shrunk = replay ? null : await shrink(seed, outcome, shrinkMs);
          const text = report(seed, outcome.steps.length, outcome, shrunk);
          console.error(text);
          expect.fail(text);
        }
        expect(outcome.steps.length).toBe(replay ? replay.length : steps);
        // Every full run reaches the archive: months pass, one is closed, archived and checked (ops/archive.ts).
        if (!replay && without.size === 0 && steps >= 400)
          expect(
            archivedMonths.get(seed),
            `months archived in this run:\n${outcome.log.filter((l) => /monthPasses|archiveRun|closeBooks|restoreMonth/.test(l)).join('\n')}`,
          ).toBeGreaterThan(0);
      });
    }

    // The runs above prove nothing if they never reached the states that matter.
    it.runIf(!replay && without.size === 0 && steps * seeds.length >= 1_200)(
      'reached every kind of money movement and state',
      () => {
        for (const k of [
          'ledger:payment',
          'ledger:refund',
          // The release writes no ledger entry (issue 12): released shares are the proof it ran.
          'share:available',
          'ledger:withdrawal',
          'ledger:withdrawal_paid',
          'ledger:withdrawal_returned',
          'order:completed',
          'order:refunded',
          'order:cancelled',
          'order:refused',
          'ledger:late_payment',
          'ledger:refund_paid',
          'withdrawal:failed',
          'ledger:reward',
          'ledger:reward_reversal',
          'reward:referral',
          'reward:same_level',
          'reward:tiered',
          'points:earn',
          'points:reverse',
          'points:redeem',
          'agent:suspended',
          'agent:revoked',
        ]) {
          expect(kinds, k).toContain(k);
        }
        // Automatic upgrades are rarer: at least one kind of them (single, cumulative or 推三升一) each run.
        expect([...kinds].filter((k) => k.startsWith('upgrade:')).length, 'upgrade').toBeGreaterThan(0);
        for (const name of [
          'rushOrders',
          'orderIdemRace',
          'dupNotify',
          'confirmRace',
          'withdrawRace',
          'refundRace',
          'orderRace',
          'releaseRefundRace',
          'approveRace',
          'levelRace',
          'bindCodes',
          'verifyRace',
          'payLostNotify',
          'payRecover',
          'gatewayRefund',
          'settleRefund',
          'lateGatewayRefund',
          'transferPayout',
          'transferFollow',
          'redeemRace',
          'monthPasses',
          'archiveRun',
          'closeBooks',
          'restoreMonth',
        ]) {
          expect(ran.get(name) ?? 0, name).toBeGreaterThan(0);
        }
      },
    );
  });

  afterAll(() => {
    console.log(`operations run: ${JSON.stringify(Object.fromEntries([...ran].sort()))}`);
    console.log(
      `incentives reached: ${reached.join('; ')}; upgrades by ${[...kinds].filter((k) => k.startsWith('upgrade:'))}`,
    );
  });
}
