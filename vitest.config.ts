import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// A WeChat Pay platform key pair made for this run: the Worker verifies with the public key, tests sign
// notifications with the private one (as WeChat would).
const platform = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

// The simulation files are the longest by far: they start first, one on each worker, and the other files fill in
// beside them; then the run ends when the slower half ends, not a simulation started last.
class SimulationFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isSim = (f: TestSpecification) => /simulation[^/]*\.test\.ts$/.test(f.moduleId);
    return [...sorted.filter(isSim), ...sorted.filter((f) => !isSim(f))];
  }
}

export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      main: './worker/index.ts',
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        // miniflare's own R2 buckets, in memory for the run: uploaded pictures (FILES) and the archive's real objects
        // (ARCHIVE).
        r2Buckets: ['FILES', 'ARCHIVE'],
        // DB as wrangler.toml has it; LEGACY_DB is a second database the storage test builds with the migrations
        // before 0024 only, to convert it as a deployed database would be.
        d1Databases: { DB: '00000000-0000-0000-0000-000000000000', LEGACY_DB: 'legacy-db' },
        bindings: {
          DB_METRICS: '1',
          // Request logs would pile up in vitest's buffer for every passing test.
          LOG_REQUESTS: '0',
          // Texts go to the local simulator (GET /api/dev/sms), never to a provider.
          SMS_SIMULATOR: '1',
          // Passwords hashed with 1,000 PBKDF2 rounds instead of 100,000: the same code, a fraction of the CPU for the
          // suite's sign-ups and sign-ins (test/auth.test.ts checks that without it new hashes get the full count).
          TEST_PASSWORD_ITERATIONS: '1000',
          TEST_MIGRATIONS: await readD1Migrations('./db/migrations'),
          WECHAT_MCH_ID: '1900000109',
          WECHAT_APP_ID: 'wx8888888888888888',
          WECHAT_APIV3_KEY: randomBytes(16).toString('hex'),
          WECHAT_PLATFORM_PUBLIC_KEY: platform.publicKey,
          WECHAT_PLATFORM_SERIAL: 'PUB_KEY_ID_TEST',
          TEST_WECHAT_PLATFORM_PRIVATE_KEY: platform.privateKey,
          // The seeded simulation's parameters (scripts/sim.mjs sets them; npm test runs the defaults).
          SIM_SEEDS: process.env.SIM_SEEDS ?? '',
          SIM_STEPS: process.env.SIM_STEPS ?? '',
          SIM_REPLAY: process.env.SIM_REPLAY ?? '',
          SIM_SHRINK_SECONDS: process.env.SIM_SHRINK_SECONDS ?? '',
          SIM_WITHOUT: process.env.SIM_WITHOUT ?? '',
        },
      },
    })),
  ],
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**'],
    setupFiles: ['./test/setup.ts'],
    // Files share one Miniflare per vitest worker instead of starting one each (about 4 s a file); test/setup.ts
    // empties the database before every file, so files stay independent. AGENTRY_ISOLATE=1 gives each file its own.
    isolate: process.env.AGENTRY_ISOLATE === '1',
    silent: 'passed-only',
    // Two files run at once: one per core of the 2-core machines the suite is sized for. AGENTRY_TEST_WORKERS overrides it.
    maxWorkers: Number(process.env.AGENTRY_TEST_WORKERS || 2),
    sequence: { sequencer: SimulationFirst },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
