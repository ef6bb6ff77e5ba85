import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../../components/Field';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/dates';
import { formatFen } from '../../lib/money';
import type { ConsoleContext } from './context';
import { Toast, useNotice } from './notice';
import './progress.css';

interface Step {
  kind: 'cumulative' | 'single' | 'refer';
  targetLevel: number;
  targetLevelName: string;
  needed: number;
  current: number;
}
interface Progress {
  levelName: string;
  restockFen: number;
  points: number;
  pointsPerYuan: number;
  pointsTowardUpgrade: boolean;
  steps: Step[];
  upgrades: { at: number; from: number; to: number; reason: string }[];
}
interface Rules {
  rewards: {
    id: string;
    kind: 'referral' | 'same_level' | 'tiered';
    depth: number;
    amountFen: number;
    bps: number;
    minRecruits: number;
  }[];
}
interface Gift {
  id: string;
  name: string;
  pointsCost: number;
  stock: number;
}
interface Grant {
  id: string;
  kind: string;
  depth: number;
  amountFen: number;
  reversedFen: number;
  at: number;
}

const text = {
  zh: {
    title: '升级进度',
    level: (name: string) => `当前等级：${name}`,
    none: '品牌暂未设置自动升级规则。',
    step: (s: Step) =>
      s.kind === 'refer'
        ? `推荐 ${s.needed} 位同级代理完成首次进货，升为「${s.targetLevelName}」`
        : s.kind === 'single'
          ? `单次进货满 ${formatFen(s.needed)}，升为「${s.targetLevelName}」`
          : `累计进货满 ${formatFen(s.needed)}，升为「${s.targetLevelName}」`,
    have: (s: Step) => (s.kind === 'refer' ? `已达标 ${s.current} / ${s.needed} 人` : `已完成 ${formatFen(s.current)}`),
    upgraded: (u: Progress['upgrades'][number]) => `${formatDateTime(u.at)} 自动升级：${u.from} 级 → ${u.to} 级`,
    points: '我的积分',
    rate: (n: number) => `个人销售每 1 元积 ${n} 分`,
    toward: '积分可计入累计进货升级（1 分 = ¥1）',
    debt: '积分为负：退款冲回了已使用的积分，新积分会先抵扣。',
    gifts: '积分兑换礼品',
    noGifts: '暂无可兑换的礼品。',
    redeem: (g: Gift) => `兑换「${g.name}」`,
    cost: (g: Gift) => `${g.pointsCost} 积分 · 剩余 ${g.stock}`,
    redeemed: (g: Gift) => `已兑换「${g.name}」`,
    rules: '推荐奖励规则',
    rulesHint: '奖励只在被推荐人首次进货付款后发放，最多三级；订单退款时相应奖励会被冲回。',
    noRules: '品牌暂未设置推荐奖励。',
    rule: (r: Rules['rewards'][number]) => {
      const money = [r.amountFen ? formatFen(r.amountFen) : '', r.bps ? `进货额的 ${r.bps / 100}%` : '']
        .filter(Boolean)
        .join(' + ');
      if (r.kind === 'same_level') return `平级推荐奖：推荐同级代理首次进货，奖励 ${money}`;
      if (r.kind === 'tiered') return `阶梯奖励：当月第 ${r.minRecruits} 位推荐代理完成首次进货，奖励 ${money}`;
      return `推荐奖（第 ${r.depth} 级）：奖励 ${money}`;
    },
    grants: '奖励记录',
    noGrants: '还没有奖励记录。',
    grant: (g: Grant) => `${formatDateTime(g.at)} · 第 ${g.depth} 级`,
    reversed: (fen: number) => `已冲回 ${formatFen(fen)}`,
  },
};

/** 成长: progress toward the next level, points and gifts, the reward rules and the rewards received. */
// UI text is zh-CN (the console's language); the tab takes the shell's context like every other tab.
export function ProgressTab(_props: { ctx: ConsoleContext }) {
  const t = text.zh;
  const [progress, setProgress] = useState<Progress | null>(null);
  const [rules, setRules] = useState<Rules | null>(null);
  const [gifts, setGifts] = useState<Gift[]>([]);
  const [grants, setGrants] = useState<Grant[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useNotice();

  function load() {
    Promise.all([
      api<Progress>('/incentives/progress'),
      api<Rules>('/incentives/rules'),
      api<{ items: Gift[] }>('/gifts'),
      api<{ items: Grant[] }>('/rewards', { query: { limit: 20 } }),
    ]).then(([p, r, g, w]) => {
      if (!p.ok) return setError(p.error.message);
      setProgress(p.data);
      if (r.ok) setRules(r.data);
      if (g.ok) setGifts(g.data.items);
      if (w.ok) setGrants(w.data.items);
    });
  }
  useEffect(load, []);

  async function redeem(gift: Gift) {
    setError(null);
    const res = await api(`/gifts/${gift.id}/redeem`, { method: 'POST' });
    if (!res.ok) return setError(res.error.message);
    setNotice(t.redeemed(gift));
    load();
  }

  if (!progress) return error ? <Alert message={error} /> : <p role="status">加载中…</p>;
  return (
    <>
      <Alert message={error} />
      <section class="card" aria-labelledby="cx-progress">
        <h2 id="cx-progress">{t.title}</h2>
        <p class="muted">{t.level(progress.levelName)}</p>
        {progress.steps.length === 0 ? <p class="muted">{t.none}</p> : null}
        <ul class="cx-list">
          {progress.steps.map((s, i) => {
            const id = `cx-step-${i}`;
            return (
              <li class="cx-step" key={id} data-testid="upgrade-step">
                <span id={id}>{t.step(s)}</span>
                {s.kind === 'single' ? null : (
                  <progress aria-labelledby={id} max={s.needed} value={Math.min(s.current, s.needed)} />
                )}
                <span class="muted">{t.have(s)}</span>
              </li>
            );
          })}
        </ul>
        {progress.upgrades.map((u) => (
          <p class="hint" key={u.at}>
            {t.upgraded(u)}
          </p>
        ))}
      </section>
      <section class="card" aria-labelledby="cx-points">
        <h2 id="cx-points">{t.points}</h2>
        <p class="cx-big">
          <strong data-testid="points">{progress.points}</strong>
        </p>
        {progress.points < 0 ? (
          <p class="alert" role="alert">
            {t.debt}
          </p>
        ) : null}
        <p class="hint">
          {t.rate(progress.pointsPerYuan)}
          {progress.pointsTowardUpgrade ? `；${t.toward}` : ''}
        </p>
        <h3>{t.gifts}</h3>
        {gifts.length === 0 ? <p class="muted">{t.noGifts}</p> : null}
        <ul class="cx-list">
          {gifts.map((g) => (
            <li class="cx-line" key={g.id}>
              <span>
                {g.name}
                <br />
                <span class="muted">{t.cost(g)}</span>
              </span>
              <button
                class="btn secondary"
                type="button"
                aria-label={t.redeem(g)}
                disabled={g.stock <= 0 || progress.points < g.pointsCost}
                onClick={() => redeem(g)}
              >
                兑换
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section class="card" aria-labelledby="cx-rules">
        <h2 id="cx-rules">{t.rules}</h2>
        <p class="hint">{t.rulesHint}</p>
        {rules && rules.rewards.length === 0 ? <p class="muted">{t.noRules}</p> : null}
        <ul class="cx-list">
          {rules?.rewards.map((r) => (
            <li class="cx-line" key={r.id}>
              {t.rule(r)}
            </li>
          ))}
        </ul>
      </section>
      <section class="card" aria-labelledby="cx-grants">
        <h2 id="cx-grants">{t.grants}</h2>
        {grants.length === 0 ? <p class="muted">{t.noGrants}</p> : null}
        <ul class="cx-list">
          {grants.map((g) => (
            <li class="cx-line" key={g.id}>
              <span>
                {t.grant(g)}
                {g.reversedFen ? <span class="muted"> · {t.reversed(g.reversedFen)}</span> : null}
              </span>
              <strong>{formatFen(g.amountFen)}</strong>
            </li>
          ))}
        </ul>
      </section>
      <Toast message={notice} />
    </>
  );
}
