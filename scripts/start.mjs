#!/usr/bin/env node
// npm start [-- --persist-to DIR] [--port 8787] [--skip-build]
// One command from a fresh clone (after npm install) to a running demo: builds the site, applies the D1 migrations
// to the local database, seeds the demo brand when the database has none, then runs `wrangler dev` in the foreground
// (Ctrl-C stops it) and prints the URLs and demo logins once the server answers.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { applyMigrations, d1Execute, ROOT, spawnWranglerDev, waitForHttp } from './lib/wrangler.mjs';
import { formatLogins, readLogins, seedDemo } from './seed.mjs';

const { values } = parseArgs({
  options: {
    'persist-to': { type: 'string' },
    port: { type: 'string', default: '8787' },
    'skip-build': { type: 'boolean', default: false },
  },
});
const persistTo = values['persist-to'];
const port = Number(values.port);
const base = `http://127.0.0.1:${port}`;

/** @param {string} title */
function step(title) {
  console.log(`\n▶ ${title}`);
}

/** Runs an npm script with the npm that runs us. @param {string} script */
function npmRun(script) {
  const npmCli = process.env.npm_execpath;
  const [command, args] =
    npmCli && /\.[cm]?js$/.test(npmCli)
      ? [process.execPath, [npmCli, 'run', script]]
      : [process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', script]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(undefined) : reject(new Error(`npm run ${script} failed`))));
  });
}

/**
 * Logins to show when the database was seeded before and its demo-logins.json is gone: the earliest active agent
 * of each level and the first admin, read from the database (their passwords are whatever was set).
 * @returns {Promise<import('./seed.mjs').DemoLogins | null>}
 */
async function loginsFromDb() {
  try {
    const [agents = [], admins = [], members = []] = await d1Execute({
      persistTo,
      command: `SELECT a.level, l.name AS levelName, a.name, a.phone, a.code, a.status FROM agents a
        JOIN levels l ON l.rank = a.level
        WHERE a.id IN (SELECT min(id) FROM agents WHERE status = 'active' GROUP BY level) ORDER BY a.level;
        SELECT username FROM admins ORDER BY created_at LIMIT 1;
        SELECT m.name, m.phone, coalesce(a.name, '') AS boundTo FROM members m
        LEFT JOIN agents a ON a.id = m.bound_agent_id ORDER BY m.created_at LIMIT 2`,
    });
    return {
      admin: { username: String(admins[0]?.username ?? 'admin'), password: '(as set)' },
      password: '(as set; demo1234 for seeded accounts)',
      agents: /** @type {import('./seed.mjs').DemoAgent[]} */ (/** @type {unknown} */ (agents)),
      suspended: [],
      members: /** @type {{ name: string, phone: string, boundTo: string }[]} */ (/** @type {unknown} */ (members)),
      applicants: [],
    };
  } catch {
    return null;
  }
}

async function main() {
  const started = Date.now();
  if (!values['skip-build']) {
    step('Building the site (npm run build:site)');
    await npmRun('build:site');
  }

  step('Applying D1 migrations to the local database');
  await applyMigrations({ persistTo });

  step('Seeding the demo brand (skipped when the database already has one)');
  const { logins: seeded } = await seedDemo({ persistTo, migrate: false, log: (line) => console.log(`  ${line}`) });
  const logins = seeded ?? readLogins(persistTo) ?? (await loginsFromDb());

  step(`Starting wrangler dev on ${base} (Ctrl-C stops it)`);
  const server = spawnWranglerDev([
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--var',
    'DB_METRICS:1',
    // Local demo only: lets the checkout pay "online" without WeChat Pay (never set in wrangler.toml).
    '--var',
    'PAYMENT_SIMULATOR:1',
    // Local demo only: SMS codes are printed here and readable at /api/dev/sms?phone= (never set in wrangler.toml).
    '--var',
    'SMS_SIMULATOR:1',
    ...(persistTo ? ['--persist-to', persistTo] : []),
  ]);

  let stopping = false;
  for (const signal of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      // Ctrl-C in a terminal reaches wrangler as well, so SIGINT is passed on only if wrangler is still up a moment
      // later (the signal was sent to this process alone); other signals are passed on at once.
      const forward = () => server.exitCode === null && server.signalCode === null && server.kill(signal);
      if (signal === 'SIGINT') setTimeout(forward, 1_500).unref();
      else forward();
    });
  }
  const exited = new Promise((resolve) => server.on('exit', (code, signal) => resolve(code ?? (signal ? 0 : 1))));

  const ready = await Promise.race([
    waitForHttp(`${base}/api/health`, { timeoutMs: 120_000, child: server }).then(
      () => true,
      (err) => {
        if (!stopping) console.error(`\n⚠ ${err.message}`);
        return false;
      },
    ),
    exited.then(() => false),
  ]);
  if (ready) {
    const lines = [
      '',
      `✔ Agentry is running (ready in ${((Date.now() - started) / 1000).toFixed(0)} s)`,
      `  site        ${base}/`,
      `  API docs    ${base}/api/docs`,
      `  health      ${base}/api/health`,
      `  OpenAPI     ${base}/api/openapi.json`,
      '',
      'Demo logins:',
      ...(logins ? formatLogins(logins, base) : ['  (none found: run npm run seed on an empty database)']),
      '',
      `Local data: ${path.relative(ROOT, path.resolve(ROOT, persistTo ?? '.wrangler/state'))}/ (delete it to start over)`,
      'Press Ctrl-C to stop.',
      '',
    ];
    console.log(lines.join('\n'));
  }
  process.exitCode = Number(await exited);
}

main().catch((err) => {
  console.error(`\nnpm start failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
