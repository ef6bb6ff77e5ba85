#!/usr/bin/env node
// npm run sim -- [--seed S[,S2…]] [--steps N] [--replay 'op:seed,op:seed,…'] [--shrink-seconds T] [--without op,op]
// Runs the seeded simulation (test/simulation.test.ts) through vitest with these parameters; vitest.config.ts passes
// them into the Worker's test environment. Without arguments it runs what npm test runs. --without leaves operations
// out of generated runs (to look past a known failure).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const usage =
  "usage: npm run sim -- [--seed S[,S…]] [--steps N] [--replay 'op:seed,…'] [--shrink-seconds T] [--without op,…]";

/** @param {string[]} argv */
function parse(argv) {
  /** @type {Record<string, string>} */
  const env = {};
  const names = {
    '--seed': 'SIM_SEEDS',
    '--seeds': 'SIM_SEEDS',
    '--steps': 'SIM_STEPS',
    '--replay': 'SIM_REPLAY',
    '--shrink-seconds': 'SIM_SHRINK_SECONDS',
    '--without': 'SIM_WITHOUT',
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = /** @type {[string, string | undefined]} */ (argv[i]?.split(/=(.*)/s, 2) ?? ['', undefined]);
    const name = names[/** @type {keyof typeof names} */ (flag)];
    const value = inline ?? argv[++i];
    if (!name || value === undefined) throw new Error(usage);
    env[name] = value;
  }
  if (env.SIM_SEEDS && !/^\d+(,\d+)*$/.test(env.SIM_SEEDS))
    throw new Error(`--seed: whole numbers, got ${env.SIM_SEEDS}`);
  if (env.SIM_STEPS && !/^\d+$/.test(env.SIM_STEPS)) throw new Error(`--steps: a whole number, got ${env.SIM_STEPS}`);
  if (env.SIM_REPLAY && !env.SIM_SEEDS) throw new Error('--replay needs the --seed it was printed with');
  return env;
}

let simEnv;
try {
  simEnv = parse(process.argv.slice(2));
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(2);
}
const child = spawn('npx', ['vitest', 'run', 'test/simulation.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false', ...simEnv },
});
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
