// The soak's world (bench/soak.mjs): a fresh local D1 database holding the 30-agent demo network, and the active
// agents, products and brand admin the load acts as.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { generateNetwork } from '../../db/seed/network.mjs';
import { hashPassword } from '../../scripts/lib/password.mjs';
import { applyMigrations, ROOT } from '../../scripts/lib/wrangler.mjs';
import { loadRows, withLocalD1 } from './d1.mjs';
import { checkDatabase } from './invariants.mjs';

export const PASSWORD = 'demo1234';
export const ADMIN_PASSWORD = 'admin1234';
const WAREHOUSE = 1_000_000;

/**
 * @typedef {(line: string) => void} Log
 * @typedef {{ id: string, code: string, phone: string, certNumber: string | null, token?: string }} Agent
 * @typedef {Awaited<ReturnType<typeof prepareWorld>>} World
 */

/** A fresh database with the demo network, the warehouse full, no freeze period and a low withdrawal minimum. */
export async function prepareWorld(
  /** @type {string} */ persistDir,
  /** @type {Log} */ log,
  /** @type {AbortSignal | undefined} */ signal,
) {
  const dir = path.join(ROOT, persistDir);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await applyMigrations({ persistTo: dir, capture: true });
  const hash = hashPassword(PASSWORD);
  const { tables } = generateNetwork({
    agentCount: 30,
    seed: 'agentry-demo',
    hashes: { admin: hashPassword(ADMIN_PASSWORD), agent: hash, member: hash, application: hash },
  });
  const injected = new Map(tables.products.map((p) => [String(p.id), WAREHOUSE]));
  const baseline = await withLocalD1(
    persistDir,
    async (db) => {
      await loadRows(db, tables, { signal });
      await db.batch([
        db.prepare('UPDATE brand SET freeze_days = 0, withdraw_min_fen = 100'),
        db.prepare("UPDATE stock SET qty = ? WHERE owner_id = 'brand'").bind(WAREHOUSE),
        db.prepare("DELETE FROM stock WHERE owner_id <> 'brand'"),
      ]);
      return checkDatabase(db, { injected, codes: [] });
    },
    signal,
  );
  for (const v of baseline) log(`seeded database already breaks ${v.name}: ${v.detail}`);
  const certs = new Map(tables.certificates.map((c) => [String(c.agent_id), String(c.number)]));
  /** @type {Agent[]} */
  const agents = tables.agents
    .filter((a) => a.status === 'active')
    .map((a) => ({
      id: String(a.id),
      code: String(a.code),
      phone: String(a.phone),
      certNumber: certs.get(String(a.id)) ?? null,
    }));
  log(`database ready: ${tables.agents.length} agents (${agents.length} active), ${tables.products.length} products`);
  return {
    agents,
    products: tables.products.map((p) => String(p.id)),
    admin: String(tables.admins[0]?.username),
    injected,
    baselineViolations: baseline.length,
  };
}
