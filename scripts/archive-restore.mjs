#!/usr/bin/env node
// Puts an archived month back into D1 through the Worker's admin API (POST /api/archive/months/{month}/restore),
// calling it until the restore is done; each call restores a bounded number of chunks and a stopped restore goes on
// where it stood. Months come back newest first (the API says which month to restore first).
//
//   npm run archive:restore -- --month 2026-01 [--url http://127.0.0.1:8787] [--username admin]
//
// Locally: against `npm start` (wrangler dev: local D1 and local R2 in .wrangler/state). In production: --url with
// the deployed address. The password is taken from ADMIN_PASSWORD, else --password.
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    month: { type: 'string' },
    url: { type: 'string', default: 'http://127.0.0.1:8787' },
    username: { type: 'string', default: 'admin' },
    password: { type: 'string' },
  },
});
const month = values.month ?? '';
if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
  console.error('usage: npm run archive:restore -- --month YYYY-MM [--url URL] [--username NAME]');
  process.exit(2);
}
const password = process.env.ADMIN_PASSWORD ?? values.password;
if (!password) {
  console.error('Set ADMIN_PASSWORD (or pass --password).');
  process.exit(2);
}

async function call(path, init = {}) {
  const res = await fetch(new URL(path, values.url), {
    ...init,
    headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN', ...init.headers },
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    console.error(`${res.status} ${body.error?.code ?? ''} ${body.error?.message ?? ''}`);
    process.exit(1);
  }
  return { res, body };
}

const login = await call('/api/auth/login', {
  method: 'POST',
  body: JSON.stringify({ role: 'admin', account: values.username, password }),
});
const cookie = login.res.headers.get('set-cookie') ?? '';
const token = /agentry_sid=([^;]+)/.exec(cookie)?.[1];
if (!token) {
  console.error('Signed in, but no session came back.');
  process.exit(1);
}
for (let calls = 1; ; calls++) {
  const { body } = await call(`/api/archive/months/${month}/restore`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  console.log(`${month}: ${body.phase} (call ${calls})`);
  if (body.done) break;
}
console.log(`${month} is back in D1; the cron leaves it there for 30 days, then archives it again.`);
