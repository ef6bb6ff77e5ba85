#!/usr/bin/env node
// Creates a brand admin (品牌管理员) account, or resets one's password.
//
//   npm run admin:create -- --username NAME [--password PW] [--name 显示名] [--remote] [--persist-to DIR] [--reset]
//
// Local (default): the database of `npm start` / `wrangler dev` (.wrangler/state, or --persist-to DIR); the
// migrations are applied first.
// Production (--remote): the D1 database named in wrangler.toml on your Cloudflare account. Sign in first
// (`npx wrangler login`, or CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID in the environment) and apply the
// migrations (`npx wrangler d1 migrations apply DB --remote`). For example:
//
//   ADMIN_PASSWORD='a long passphrase' npm run admin:create -- --username ops --name 运营 --remote
//
// The password is taken from --password, else from the ADMIN_PASSWORD environment variable, else asked for (hidden)
// when run in a terminal; prefer the last two in production so it stays out of shell history.
// Only its PBKDF2 hash (the format of worker/lib/password.ts) leaves this machine.
// --reset sets a new password (and --name, if given) for an existing admin and signs out its sessions.
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ALPHABET, timePart } from '../db/seed/network.mjs';
import { sqlValue } from '../db/seed/sql.mjs';
import { hashPassword } from './lib/password.mjs';
import { applyMigrations, D1Error, d1Execute } from './lib/wrangler.mjs';

const USAGE =
  'usage: npm run admin:create -- --username NAME [--password PW] [--name 显示名] [--remote] [--persist-to DIR] [--reset]';
const HELP = `${USAGE}

Creates a brand admin (or with --reset, sets a new password for one and signs out its sessions).
  --username   3–32 letters, digits, _ . or -
  --password   8–64 characters; else $ADMIN_PASSWORD; else asked for (hidden) in a terminal
  --name       display name (default: the username)
  --remote     the production D1 database of wrangler.toml (run \`npx wrangler login\` and
               \`npx wrangler d1 migrations apply DB --remote\` first); default: the local one
  --persist-to the local state directory (default .wrangler/state)`;

/** An id in the format of newId('adm') in db/ids.ts. @param {'adm' | 'aud'} prefix @param {number} now */
function newId(prefix, now) {
  let random = '';
  for (let i = 0; i < 16; i++) random += ALPHABET[randomInt(32)];
  return `${prefix}_${timePart(now)}${random}`.toLowerCase();
}

/** Reads a line from the terminal without echoing it. @param {string} prompt @returns {Promise<string>} */
function askHidden(prompt) {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stdout.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let text = '';
    /** @param {string} chunk */
    const onData = (chunk) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          done();
          resolve(text);
          return;
        }
        if (ch === '\u0003') {
          done();
          reject(new Error('cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stdout.write('\n');
    };
    stdin.on('data', onData);
  });
}

/** @returns {Promise<string>} */
async function readPassword(/** @type {string | undefined} */ given) {
  if (given !== undefined) return given;
  if (process.env.ADMIN_PASSWORD) return process.env.ADMIN_PASSWORD;
  if (!process.stdin.isTTY) throw new Error(`no password: pass --password or set ADMIN_PASSWORD\n${USAGE}`);
  const first = await askHidden('Password (8–64 characters): ');
  const again = await askHidden('Repeat the password: ');
  if (first !== again) throw new Error('the passwords differ');
  return first;
}

async function main() {
  const { values } = parseArgs({
    options: {
      username: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
      remote: { type: 'boolean', default: false },
      'persist-to': { type: 'string' },
      reset: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const username = values.username?.trim() ?? '';
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]{2,31}$/.test(username)) {
    throw new Error(`--username must be 3–32 letters, digits, _ . or -, starting with a letter or digit\n${USAGE}`);
  }
  const name = (values.name ?? username).trim();
  if (name.length < 1 || [...name].length > 40) throw new Error('--name must be 1–40 characters');
  const password = await readPassword(values.password);
  if (password.length < 8 || password.length > 64) throw new Error('the password must have 8 to 64 characters');

  const remote = values.remote;
  const persistTo = values['persist-to'];
  const where = remote ? 'the remote D1 database' : 'the local D1 database';
  if (!remote) await applyMigrations({ persistTo, capture: true });

  const [existing = []] = await d1Execute({
    remote,
    persistTo,
    command: `SELECT id FROM admins WHERE username = ${sqlValue(username)}`,
  });
  const existingId = existing[0]?.id;
  const now = Date.now();
  const passwordHash = hashPassword(password);
  const audit = (/** @type {string} */ action, /** @type {string} */ id) =>
    `INSERT INTO audit_log (id, actor_role, actor_id, action, target_type, target_id, detail, at) VALUES (${[
      newId('aud', now),
      'system',
      null,
      action,
      'admin',
      id,
      JSON.stringify({ username, via: 'cli' }),
      now,
    ]
      .map(sqlValue)
      .join(', ')})`;

  if (existingId !== undefined) {
    if (!values.reset) throw new Error(`an admin named '${username}' already exists in ${where} (use --reset)`);
    const id = String(existingId);
    await d1Execute({
      remote,
      persistTo,
      command: [
        `UPDATE admins SET password_hash = ${sqlValue(passwordHash)}${
          values.name ? `, name = ${sqlValue(name)}` : ''
        } WHERE id = ${sqlValue(id)}`,
        `DELETE FROM sessions WHERE role = 'admin' AND subject_id = ${sqlValue(id)}`,
        audit('admin.password_reset', id),
      ].join(';\n'),
    });
    console.log(`Reset the password of admin '${username}' (${id}) in ${where}; its sessions are signed out.`);
    return;
  }
  if (values.reset) throw new Error(`no admin named '${username}' in ${where}`);

  const id = newId('adm', now);
  await d1Execute({
    remote,
    persistTo,
    command: [
      `INSERT INTO admins (id, username, name, password_hash, created_at) VALUES (${[
        id,
        username,
        name,
        passwordHash,
        now,
      ]
        .map(sqlValue)
        .join(', ')})`,
      audit('admin.created', id),
    ].join(';\n'),
  });
  console.log(`Created admin '${username}' (${name}, ${id}) in ${where}. It signs in with role admin.`);
}

main().catch((err) => {
  const message = err instanceof Error ? err.message : String(err);
  const hint =
    err instanceof D1Error && /no such table/.test(message)
      ? '\nApply the migrations first: npx wrangler d1 migrations apply DB --remote'
      : '';
  console.error(`admin:create failed: ${message}${hint}`);
  process.exit(1);
});
