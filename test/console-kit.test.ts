import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/client';
import { newId } from '../db/ids';
import { postTransaction } from '../db/ledger';
import { newMeter } from '../db/metered';
import { account } from '../worker/domain/ledger';
import { sharingRewardPhrase } from '../worker/domain/shareCopy';
import { admin, api, apply, createAgent, expectError, sessionToken, setPayoutAccount, snapshot } from './helpers';
import { decide, loadFixtures, priceReport } from './inspection-helpers';

interface Material {
  id: string;
  title: string;
  body: string;
  images: string[];
  pinned: boolean;
  updatedAt: number | null;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface Counts {
  applications: number;
  toShip: number;
  toConfirm: number;
  withdrawing: number;
  notices: number;
  cap: number;
}

let brand: string;
beforeAll(async () => {
  await loadFixtures();
  brand = await admin();
});

describe('sharingRewardPhrase (诱导分享)', () => {
  it('finds a promise of a reward for sharing, liking or forwarding, in either order', () => {
    expect(sharingRewardPhrase('转发朋友圈即送小样一份')).toBe('转发朋友圈即送');
    expect(sharingRewardPhrase('分享有礼，先到先得')).toBe('分享有礼');
    expect(sharingRewardPhrase('集满38个赞来领')).toBe('集满38个赞');
    expect(sharingRewardPhrase('送红包，转发就行')).toBe('送红包，转发');
    expect(sharingRewardPhrase('点赞抽奖')).toBe('点赞抽奖');
  });

  it('lets ordinary copy through, sharing and gifts in different sentences included', () => {
    expect(sharingRewardPhrase('今天到货，欢迎咨询。正品授权，可查证。')).toBeNull();
    expect(sharingRewardPhrase('欢迎分享给需要的朋友。')).toBeNull();
    expect(sharingRewardPhrase('欢迎转发。下单满 299 送化妆包')).toBeNull();
  });
});

describe('素材库 editing /api/materials', () => {
  it('the brand edits a 素材 and pins it: pinned first (last pinned on top), then newest, paged by cursor', async () => {
    const post = async (title: string, pinned?: boolean) => {
      const res = await api<Material>('/api/materials', {
        body: { title, body: `${title}的文案`, ...(pinned === undefined ? {} : { pinned }) },
        token: brand,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    };
    const a = await post('素材甲');
    const b = await post('素材乙');
    const c = await post('素材丙', true);
    const d = await post('素材丁');
    expect(c.pinned).toBe(true);
    const agent = await createAgent(5);
    const titles = async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const page: { body: Page<Material> } = await api<Page<Material>>(`/api/materials?limit=2${q}`, {
          token: agent.token,
        });
        seen.push(...page.body.items.map((m) => m.title));
        cursor = page.body.nextCursor;
      } while (cursor);
      return seen;
    };
    expect(await titles()).toEqual(['素材丙', '素材丁', '素材乙', '素材甲']);

    const pinA = await api<Material>(`/api/materials/${a.id}`, {
      method: 'PATCH',
      body: { pinned: true },
      token: brand,
    });
    expect(pinA.status, JSON.stringify(pinA.body)).toBe(200);
    expect(await titles()).toEqual(['素材甲', '素材丙', '素材丁', '素材乙']);

    const edited = await api<Material>(`/api/materials/${c.id}`, {
      method: 'PATCH',
      body: { pinned: false, title: '新品到货', body: '今天到货。', images: ['/api/files/up_x.jpg'] },
      token: brand,
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ title: '新品到货', body: '今天到货。', images: ['/api/files/up_x.jpg'] });
    expect(edited.body.pinned).toBe(false);
    expect(edited.body.updatedAt).toEqual(expect.any(Number));
    // Unpinned, it goes back to its place by date.
    expect(await titles()).toEqual(['素材甲', '素材丁', '新品到货', '素材乙']);

    const log = await api<Page<{ action: string }>>(`/api/audit?targetId=${c.id}`, { token: brand });
    expect(log.body.items.map((e) => e.action)).toEqual(['material.update', 'material.create']);
    for (const m of [a, b, c, d]) await api(`/api/materials/${m.id}`, { method: 'DELETE', token: brand });
  });

  it('refuses copy that promises a reward for sharing, agents editing, unknown ids and empty edits, writing nothing', async () => {
    const agent = await createAgent(6);
    const kept = await api<Material>('/api/materials', { body: { title: '日常', body: '欢迎咨询' }, token: brand });
    const before = await snapshot();
    const induced = await api<{ error: { message: string } }>('/api/materials', {
      body: { title: '新品', body: '转发朋友圈集满20个赞，送正装一瓶！' },
      token: brand,
    });
    expectError(induced, 422, 'SHARE_REWARD_PROMISED', 'body');
    expect(induced.body.error.message).toBe(
      '文案不能以奖励诱导分享（微信禁止“转发有礼”“集赞送”等），请修改：“转发朋友圈集满20个赞，送”',
    );
    const edit = (body: unknown, token = brand, id = kept.body.id) =>
      api(`/api/materials/${id}`, { method: 'PATCH', body, token });
    expectError(await edit({ title: '分享有礼' }), 422, 'SHARE_REWARD_PROMISED', 'title');
    const en = await api<{ error: { message: string } }>(`/api/materials/${kept.body.id}`, {
      method: 'PATCH',
      body: { body: '点赞抽奖' },
      token: brand,
      headers: { 'accept-language': 'en' },
    });
    expect(en.body.error.message).toBe(
      'Copy may not promise a reward for sharing (WeChat forbids it); change: “点赞抽奖”',
    );
    expectError(await edit({ title: '我的' }, agent.token), 403, 'FORBIDDEN');
    expectError(await edit({ title: '无' }, brand, 'mat_nosuchmaterial'), 404, 'NOT_FOUND');
    expectError(await edit({}), 400, 'VALIDATION_FAILED');
    expectError(await edit({ images: ['javascript:alert(1)'] }), 400, 'VALIDATION_FAILED');
    expect(await snapshot()).toBe(before);
    await api(`/api/materials/${kept.body.id}`, { method: 'DELETE', token: brand });
  });
});

// Earnings booked as orders book them: the buyer pays the brand, which credits the agent.
async function earn(agentId: string, fen: number) {
  const db = createDb(env.DB, newMeter());
  const now = Date.now();
  const [head, ...tail] = postTransaction(db, { id: newId('txn', now), kind: 'test_payment', at: now }, [
    { from: account.gateway, to: account.clearing, amountFen: fen },
    { from: account.clearing, to: account.available(agentId), amountFen: fen },
  ]);
  if (head) await db.batch([head, ...tail]);
}

describe('GET /api/agent/counts', () => {
  it('counts what waits for the agent, follows a decision made in another session, and reads a bounded number of rows', async () => {
    const agent = await createAgent(2);
    const counts = async (query = '') => {
      const res = await api<Counts>(`/api/agent/counts${query}`, { token: agent.token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return { body: res.body, rows: Number(res.headers.get('x-d1-rows-read')) };
    };
    expect((await counts()).body).toEqual({
      applications: 0,
      toShip: 0,
      toConfirm: 0,
      withdrawing: 0,
      notices: 0,
      cap: 21,
    });

    const first = await apply({ level: 5, inviteCode: agent.code });
    await apply({ level: 6, inviteCode: agent.code });
    expect(first.approverId).toBe(agent.id);
    expect((await counts()).body.applications).toBe(2);
    // Approved from another device: the next read says one.
    const other = await api('/api/auth/login', { body: { role: 'agent', account: agent.phone, password: 'demo1234' } });
    expect(other.status).toBe(200);
    const approved = await api(`/api/applications/${first.id}/approve`, {
      method: 'POST',
      token: sessionToken(other),
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect((await counts()).body.applications).toBe(1);

    // 22 withdrawals waiting: the count stops at the cap, and so do the rows read.
    await setPayoutAccount(agent);
    await earn(agent.id, 22 * 10_000);
    for (let i = 0; i < 22; i++) {
      const res = await api('/api/withdrawals', { body: { amountFen: 10_000 }, token: agent.token });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const full = await counts();
    expect(full.body.withdrawing).toBe(21);
    expect(full.rows).toBeGreaterThan(0);
    expect(full.rows).toBeLessThanOrEqual(5 * 21 + 10);

    // A warning from the brand is unread until the agent has seen a notice as new as it.
    const warned = await decide(await priceReport(agent), { action: 'warn', reason: '低于零售价销售，首次警告' });
    expect(warned.status, JSON.stringify(warned.body)).toBe(200);
    expect((await counts()).body.notices).toBe(1);
    expect((await counts(`?noticesSince=${Date.now()}`)).body.notices).toBe(0);

    expectError(await api('/api/agent/counts', { token: brand }), 403, 'FORBIDDEN');
    expectError(await api('/api/agent/counts'), 401, 'UNAUTHENTICATED');
    expectError(await api('/api/agent/counts?noticesSince=-1', { token: agent.token }), 400, 'VALIDATION_FAILED');
  });
});
