// One process for a group of browser test files (scripts/test-browser.mjs starts one per server):
//   node --test-reporter=spec test/browser/group.mjs FILE...
// Each file is a suite of its own (its before/after hooks stay its own, its tests run one after another unless it
// says otherwise), AGENTRY_GROUP_CONCURRENCY files at a time (default 1), and all of them share one Chromium started
// in this process. A `node --test` process per file would load playwright-core and connect to a browser once per file
// (about 1 s of CPU each) and send every call through a protocol server in another process.
import path from 'node:path';
import { after, before, describe } from 'node:test';
import { holdBrowser, releaseBrowser } from './launch.mjs';

const files = process.argv.slice(2);
if (files.length === 0) throw new Error('usage: node test/browser/group.mjs FILE...');
const concurrency = Number(process.env.AGENTRY_GROUP_CONCURRENCY || 1);

describe('browser tests', { concurrency }, () => {
  before(async () => {
    await holdBrowser();
  });
  after(async () => {
    await releaseBrowser();
  });
  for (const file of files) {
    describe(path.basename(file), { concurrency: 1 }, async () => {
      await import(path.resolve(file));
    });
  }
});
