import { describe, expect, it } from 'vitest';
import { SIGN_IN, signInVerdict } from '../worker/domain/signInThrottle';
import {
  admin,
  api,
  apply,
  createAgent,
  expectError,
  freshIp,
  PASSWORD,
  type Res,
  sessionToken,
  uniquePhone,
  withSmsCode,
} from './helpers';

// Sign-in throttling: per account and address, a slower per account limit that cannot lock the owner out, wrong
// current passwords throttled, and no shared bucket for requests without an address.

const login = (account: string, password: string, ip?: string) =>
  api('/api/auth/login', {
    body: { role: 'agent', account, password },
    ...(ip ? { headers: { 'cf-connecting-ip': ip } } : {}),
  });

// An approved agent no one has signed in as yet.
async function freshAccount(): Promise<string> {
  const brand = await admin();
  const app = await apply({ level: 5 });
  expect((await api(`/api/applications/${app.id}/approve`, { method: 'POST', token: brand })).status).toBe(200);
  return app.phone;
}

// Runs a scenario inside one 15-minute window, once more on a new account if it straddled an edge.
async function inOneWindow(scenario: (phone: string) => Promise<void>) {
  const window = () => Math.floor(Date.now() / (SIGN_IN.windowSeconds * 1000));
  for (let attempt = 0; attempt < 2; attempt++) {
    const start = window();
    const phone = await freshAccount();
    await scenario(phone);
    if (window() === start) return;
  }
  throw new Error('two runs straddled a window edge');
}

function retryAfter(res: Res<unknown>): number {
  return Number(res.headers.get('retry-after'));
}

describe('POST /api/auth/login throttling', () => {
  it('gives one address five tries on an account, then it waits out the window, the right password included', async () => {
    await inOneWindow(async (phone) => {
      const ip = freshIp();
      for (let i = 0; i < 5; i++) expectError(await login(phone, 'wrong-pass', ip), 401, 'INVALID_CREDENTIALS');
      const right = await login(phone, PASSWORD, ip);
      expectError(right, 429, 'RATE_LIMITED');
      expect(retryAfter(right)).toBeGreaterThan(0);
      expect(retryAfter(right)).toBeLessThanOrEqual(SIGN_IN.windowSeconds);
    });
  });

  it('ten failures from elsewhere do not lock the owner out: an address that never failed signs in', async () => {
    await inOneWindow(async (phone) => {
      const attackers = Array.from({ length: 10 }, () => freshIp());
      for (const ip of attackers) expectError(await login(phone, 'wrong-pass', ip), 401, 'INVALID_CREDENTIALS');
      // The addresses that failed wait; the owner's does not.
      expectError(await login(phone, 'wrong-pass', attackers[0]), 429, 'RATE_LIMITED');
      const owner = await login(phone, PASSWORD, freshIp());
      expect(owner.status, JSON.stringify(owner.body)).toBe(200);
      expect(sessionToken(owner)).toMatch(/.{20,}/);
      // Meanwhile new addresses share one try a minute: of five more guesses at most one (two across a minute's
      // edge) is even looked at.
      const guesses: number[] = [];
      for (let i = 0; i < 5; i++) guesses.push((await login(phone, 'wrong-pass', freshIp())).status);
      expect(guesses.filter((s) => s === 401).length).toBeLessThanOrEqual(1);
      expect(guesses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(4);
    });
  });

  it('requests without CF-Connecting-IP do not share one bucket: each account named is throttled on its own', async () => {
    const agent = await createAgent(6);
    // More than the 30 tries one address gets across accounts.
    for (let i = 0; i < 31; i++) expectError(await login(uniquePhone(), 'wrong-pass'), 401, 'INVALID_CREDENTIALS');
    expect((await login(agent.phone, PASSWORD)).status).toBe(200);
    await inOneWindow(async (phone) => {
      for (let i = 0; i < 5; i++) expectError(await login(phone, 'wrong-pass'), 401, 'INVALID_CREDENTIALS');
      expectError(await login(phone, PASSWORD), 429, 'RATE_LIMITED');
    });
  });
});

describe('the sign-in rule', () => {
  it('slows a guessed account to shared tries only for addresses that have not failed on it', () => {
    const base = { addressTries: 1, accountFailures: 0, addressFailures: 0 };
    expect(signInVerdict(base).kind).toBe('try');
    expect(signInVerdict({ ...base, addressTries: 6 }).kind).toBe('wait');
    expect(signInVerdict({ ...base, accountFailures: 9, addressFailures: 4 }).kind).toBe('try');
    expect(signInVerdict({ ...base, accountFailures: 10 }).kind).toBe('slowdown');
    expect(signInVerdict({ ...base, accountFailures: 10, addressFailures: 1 }).kind).toBe('wait');
  });
});

describe('POST /api/auth/password throttling', () => {
  it('five wrong current passwords, then even the right one waits', async () => {
    const agent = await createAgent(6);
    const change = (currentPassword: string) =>
      api('/api/auth/password', { body: { currentPassword, newPassword: 'new-secret-9' }, token: agent.token });
    for (let i = 0; i < 5; i++)
      expectError(await change('bad-password'), 401, 'INVALID_CREDENTIALS', 'currentPassword');
    const right = await change(PASSWORD);
    expectError(right, 429, 'RATE_LIMITED');
    expect(retryAfter(right)).toBeGreaterThan(0);
  });
});

describe('session token', () => {
  it('sign-in and signup answers carry no token: the session is only in the HttpOnly cookie, usable as Bearer', async () => {
    const agent = await createAgent(6);
    const signedIn = await login(agent.phone, PASSWORD, freshIp());
    expect(signedIn.status).toBe(200);
    expect(Object.keys(signedIn.body).sort()).toEqual(['expiresAt', 'id', 'name', 'role']);
    const signup = await api('/api/members', {
      body: await withSmsCode({ phone: uniquePhone(), name: '会员丙', password: PASSWORD, ref: agent.code }),
      headers: { 'cf-connecting-ip': freshIp() },
    });
    expect(signup.status, JSON.stringify(signup.body)).toBe(201);
    expect(signup.body).not.toHaveProperty('token');
    for (const res of [signedIn, signup]) {
      expect(res.headers.get('set-cookie')).toMatch(/agentry_sid=[^;]+;.*HttpOnly/i);
      const me = await api<{ id: string }>('/api/auth/me', { token: sessionToken(res) });
      expect(me.status).toBe(200);
    }
  });
});
