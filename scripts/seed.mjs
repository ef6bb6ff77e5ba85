#!/usr/bin/env node
// npm run seed [-- --persist-to DIR]
// Seeds the local D1 database with the demo brand 悦颜美妆: six levels, about 30 agents in a realistic tree,
// a brand admin (admin / admin1234), a few members and pending applications (password demo1234).
// It applies migrations first and does nothing when the database already has a brand: run it as often as you like.
// The demo logins are written to <persist dir>/demo-logins.json (default .wrangler/state/), which `npm start` prints.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateNetwork } from '../db/seed/network.mjs';
import { toSql } from '../db/seed/sql.mjs';
import { hashPassword } from './lib/password.mjs';
import { applyMigrations, D1Error, DEFAULT_PERSIST_DIR, d1Execute, ROOT } from './lib/wrangler.mjs';

export const DEMO_SEED = 'agentry-demo';
export const DEMO_AGENT_COUNT = 30;
export const DEMO_PASSWORD = 'demo1234';
export const ADMIN_USERNAME = 'admin';
export const ADMIN_PASSWORD = 'admin1234';

/**
 * @typedef {{ level: number, levelName: string, name: string, phone: string, code: string, status: string }} DemoAgent
 * @typedef {{ admin: { username: string, password: string }, password: string, agents: DemoAgent[],
 *   suspended: DemoAgent[], members: { name: string, phone: string, boundTo: string }[],
 *   applicants: { name: string, phone: string, levelName: string }[] }} DemoLogins
 */

/** @param {string | undefined} persistTo */
export function loginsFile(persistTo) {
  return path.join(path.resolve(ROOT, persistTo ?? DEFAULT_PERSIST_DIR), 'demo-logins.json');
}

/** @param {string | undefined} persistTo @returns {DemoLogins | null} */
export function readLogins(persistTo) {
  try {
    return JSON.parse(readFileSync(loginsFile(persistTo), 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Does the database hold a brand? (The migrations must have been applied.)
 * @param {{ persistTo?: string }} options
 */
export async function hasBrand(options) {
  const [rows] = await d1Execute({ command: 'SELECT count(*) AS n FROM brand', persistTo: options.persistTo });
  return Number(rows?.[0]?.n ?? 0) > 0;
}

/**
 * Seeds the demo brand unless the database already has one.
 * @param {{ persistTo?: string, migrate?: boolean, log?: (line: string) => void }} [options]
 * @returns {Promise<{ seeded: boolean, logins: DemoLogins | null }>}
 */
export async function seedDemo(options = {}) {
  const { persistTo, migrate = true, log = console.log } = options;
  if (migrate) await applyMigrations({ persistTo, capture: true });
  if (await hasBrand({ persistTo })) {
    log('The database already has a brand: nothing seeded.');
    return { seeded: false, logins: readLogins(persistTo) };
  }

  const started = Date.now();
  const { sql, logins, counts } = demoSeed();
  const dir = mkdtempSync(path.join(tmpdir(), 'agentry-seed-'));
  const file = path.join(dir, 'seed.sql');
  try {
    writeFileSync(file, sql);
    await d1Execute({ file, persistTo });
  } catch (err) {
    // Another seed that got there first makes the brand insert fail, and the whole file is rolled back.
    if (err instanceof D1Error && (await hasBrand({ persistTo }).catch(() => false))) {
      log('The database got a brand meanwhile: nothing seeded.');
      return { seeded: false, logins: readLogins(persistTo) };
    }
    throw err;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  await writeLogins(persistTo, logins);
  log(`Seeded the demo brand in ${((Date.now() - started) / 1000).toFixed(1)} s: ${counts}.`);
  return { seeded: true, logins };
}

/**
 * The demo brand as SQL (after the migrations), with its logins and a summary of what it holds.
 * @returns {{ sql: string, logins: DemoLogins, counts: string }}
 */
export function demoSeed() {
  const { tables, founders } = generateNetwork({
    agentCount: DEMO_AGENT_COUNT,
    seed: DEMO_SEED,
    hash: (role) => hashPassword(role === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD),
    adminUsername: ADMIN_USERNAME,
  });
  // Demo agents have made-up WeChat openids, so withdrawals can be paid by transfer against a (fake) merchant.
  const openids = "UPDATE agents SET openid = 'oDemo' || upper(code) || 'x0WeChatPay' WHERE openid IS NULL;";
  return {
    sql: `${toSql(tables, { header: 'Agentry demo seed (db/seed/network.mjs)' })}\n${openids}\n`,
    logins: demoLogins(tables, founders),
    counts: Object.entries(tables)
      .map(([t, rows]) => `${t} ${rows.length}`)
      .join(', '),
  };
}

/** Saves the demo logins where `npm start` and the browser tests read them. @param {string | undefined} persistTo @param {DemoLogins} logins */
export async function writeLogins(persistTo, logins) {
  await mkdir(path.dirname(loginsFile(persistTo)), { recursive: true });
  writeFileSync(loginsFile(persistTo), `${JSON.stringify(logins, null, 2)}\n`);
}

/**
 * @param {import('../db/seed/network.mjs').Tables} tables
 * @param {string[]} founders
 * @returns {DemoLogins}
 */
function demoLogins(tables, founders) {
  const levelName = (/** @type {number} */ rank) => tables.levels.find((l) => l.rank === rank)?.name ?? String(rank);
  const byId = new Map(tables.agents.map((a) => [a.id, a]));
  const view = (/** @type {import('../db/seed/network.mjs').AgentRow} */ a) => ({
    level: a.level,
    levelName: levelName(a.level),
    name: a.name,
    phone: a.phone,
    code: a.code,
    status: a.status,
  });
  return {
    admin: { username: ADMIN_USERNAME, password: ADMIN_PASSWORD },
    password: DEMO_PASSWORD,
    agents: founders.map((id) => byId.get(id)).flatMap((a) => (a ? [view(a)] : [])),
    suspended: tables.agents.filter((a) => a.status === 'suspended').map(view),
    members: tables.members.map((m) => ({
      name: m.name,
      phone: m.phone,
      boundTo: byId.get(m.bound_agent_id ?? '')?.name ?? '',
    })),
    applicants: tables.applications.map((a) => ({ name: a.name, phone: a.phone, levelName: levelName(a.level) })),
  };
}

/**
 * The demo logins as lines to print, with each agent's shop and invite links.
 * @param {DemoLogins} logins
 * @param {string} baseUrl e.g. http://127.0.0.1:8787
 */
export function formatLogins(logins, baseUrl) {
  const lines = [];
  lines.push(`  品牌管理员 admin: username ${logins.admin.username}  password ${logins.admin.password}`);
  lines.push(`  代理 agents (password ${logins.password}; role agent, account = phone):`);
  for (const a of logins.agents) {
    lines.push(`    ${a.levelName} ${a.name}  ${a.phone}`);
    lines.push(`      shop   ${baseUrl}/s/${a.code}`);
    lines.push(`      invite ${baseUrl}/join?code=${a.code}`);
  }
  for (const a of logins.suspended.slice(0, 1)) {
    lines.push(`    ${a.levelName} ${a.name} ${a.phone}  (停货 suspended)`);
  }
  if (logins.members.length > 0) {
    lines.push(`  会员 members (password ${logins.password}; role member, account = phone):`);
    for (const m of logins.members.slice(0, 2)) lines.push(`    ${m.name} ${m.phone}  bound to ${m.boundTo}`);
  }
  if (logins.applicants.length > 0) {
    lines.push(`  待审核申请 pending applicants (password ${logins.password}):`);
    for (const a of logins.applicants) lines.push(`    ${a.name} ${a.phone}  applied for ${a.levelName}`);
  }
  return lines;
}

async function main() {
  const { values } = parseArgs({ options: { 'persist-to': { type: 'string' } } });
  const persistTo = values['persist-to'];
  const { seeded, logins } = await seedDemo({ persistTo });
  if (seeded && logins) {
    console.log(`Demo logins (saved in ${path.relative(ROOT, loginsFile(persistTo))}):`);
    for (const line of formatLogins(logins, 'http://127.0.0.1:8787')) console.log(line);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`seed failed: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
}
