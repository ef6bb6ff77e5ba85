import { Fragment } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { Alert } from '../../components/Field';
import { formatDate } from '../../lib/dates';
import { formatFen } from '../../lib/money';
import { AgentActions } from './AgentActions';
import { AgentAudit } from './AgentAudit';
import { useAgentNames } from './agentNames';
import { type AdminContext, listHref, routeHref } from './context';
import { call, seg } from './http';
import { agentStatus, levelLabel, tone } from './labels';
import { Toast, useNotice } from './notice';
import type { AgentDetail, Page, StockItem, SupplyChain, TeamSummary, Wallet } from './types';

const text = {
  zh: {
    back: '返回代理列表',
    loading: '加载中…',
    profile: '代理档案',
    id: '代理 ID',
    phone: '手机号',
    wechat: '微信号',
    region: '授权地区',
    level: '等级',
    supplier: '供货上级',
    referrer: '推荐人',
    brand: '品牌方',
    none: '无',
    joined: '加入时间',
    certificate: '授权书',
    noCertificate: '未签发',
    shop: '店铺链接',
    reason: '状态原因',
    orders: '查看该代理的订单',
    chain: '供货链',
    chainLead: '从品牌方往下到该代理；差价按此链逐级结算。',
    team: '团队',
    teamTotal: (n: number) => `团队共 ${n} 人（不含已撤销）`,
    perLevel: '团队各等级人数',
    wallet: '钱包',
    pending: '待结算',
    available: '可提现',
    withdrawing: '提现中',
    offline: '线下收款',
    debt: '欠款',
    stock: '云仓库存',
    noStock: '云仓暂无库存。',
    units: (n: number) => `${n} 件`,
  },
  en: {
    back: 'Back to agents',
    loading: 'Loading…',
    profile: 'Profile',
    id: 'Agent ID',
    phone: 'Phone',
    wechat: 'WeChat ID',
    region: 'Region',
    level: 'Level',
    supplier: 'Supplier',
    referrer: 'Referrer',
    brand: 'Brand',
    none: 'None',
    joined: 'Joined',
    certificate: 'Certificate',
    noCertificate: 'Not issued',
    shop: 'Shop link',
    reason: 'Status reason',
    orders: 'See this agent’s orders',
    chain: 'Supply chain',
    chainLead: 'From the brand down to this agent; margins settle along it.',
    team: 'Team',
    teamTotal: (n: number) => `${n} in the team (revoked not counted)`,
    perLevel: 'Team per level',
    wallet: 'Wallet',
    pending: 'Pending',
    available: 'Available',
    withdrawing: 'Withdrawing',
    offline: 'Received offline',
    debt: 'Debt',
    stock: 'Cloud stock',
    noStock: 'No cloud stock.',
    units: (n: number) => `${n}`,
  },
};

interface Extras {
  chain: SupplyChain | null;
  summary: TeamSummary | null;
  wallet: Wallet | null;
  stock: StockItem[] | null;
}

/** One agent: profile, supply chain, team, wallet, the brand's actions on it and its audit log. */
export function AgentPage({ ctx, id }: { ctx: AdminContext; id: string }) {
  const t = text[ctx.lang];
  const levels = ctx.settings.levels;
  const [agent, setAgent] = useState<AgentDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [extras, setExtras] = useState<Extras>({ chain: null, summary: null, wallet: null, stock: null });
  const [auditKey, setAuditKey] = useState(0);
  const [notice, setNotice] = useNotice();
  const names = useAgentNames(agent ? [agent.supplierId ?? 'brand', agent.referrerId ?? 'brand'] : []);

  const loadExtras = useCallback(() => {
    const cloud = ctx.settings.stockModel === 'cloud';
    Promise.all([
      call<SupplyChain>(`/agents/${seg(id)}/chain`),
      call<TeamSummary>(`/agents/${seg(id)}/team/summary`),
      call<Wallet>(`/agents/${seg(id)}/wallet`),
      cloud ? call<Page<StockItem>>('/stock', { query: { owner: id, limit: 100 } }) : Promise.resolve(null),
    ]).then(([chain, summary, wallet, stock]) =>
      setExtras({
        chain: chain.ok ? chain.data : null,
        summary: summary.ok ? summary.data : null,
        wallet: wallet.ok ? wallet.data : null,
        stock: stock?.ok ? stock.data.items : null,
      }),
    );
  }, [id, ctx.settings.stockModel]);

  useEffect(() => {
    call<AgentDetail>(`/agents/${seg(id)}`).then((res) => (res.ok ? setAgent(res.data) : setError(res.error.message)));
    loadExtras();
  }, [id, loadExtras]);

  function changed(next: AgentDetail, message: string) {
    setAgent(next);
    setNotice(message);
    setAuditKey((k) => k + 1);
    loadExtras();
  }

  const back = (
    <p class="ad-back">
      <a href={listHref('agents')}>← {t.back}</a>
    </p>
  );
  if (error)
    return (
      <section>
        {back}
        <Alert message={error} />
      </section>
    );
  if (!agent)
    return (
      <section>
        {back}
        <p role="status">{t.loading}</p>
      </section>
    );

  const { chain, summary, wallet, stock } = extras;
  const byLevel = new Map(summary?.byLevel.map((l) => [l.level, l.count]) ?? []);

  return (
    <section aria-labelledby="ad-agent-name">
      {back}
      <Toast message={notice} />
      <div class="ad-head">
        <h2 id="ad-agent-name" class="ad-title">
          {agent.name}
        </h2>
        <span class={`badge ${tone(agent.status)}`}>{agentStatus[ctx.lang][agent.status]}</span>
        <span class="muted">{agent.levelName}</span>
      </div>
      <div class="ad-grid ad-grid-wide">
        <div>
          <section class="card" aria-labelledby="ad-agent-profile">
            <h3 id="ad-agent-profile">{t.profile}</h3>
            <dl class="facts ad-facts">
              <dt>{t.id}</dt>
              <dd class="ad-id">{agent.id}</dd>
              <dt>{t.level}</dt>
              <dd>
                {agent.level} · {agent.levelName}
              </dd>
              <dt>{t.phone}</dt>
              <dd>{agent.phone}</dd>
              <dt>{t.wechat}</dt>
              <dd>{agent.wechat}</dd>
              <dt>{t.region}</dt>
              <dd>{agent.region}</dd>
              <dt>{t.supplier}</dt>
              <dd>
                {agent.supplierId ? (
                  <a href={routeHref('agents', agent.supplierId)}>{names.get(agent.supplierId) ?? agent.supplierId}</a>
                ) : (
                  t.brand
                )}
              </dd>
              <dt>{t.referrer}</dt>
              <dd>
                {agent.referrerId ? (
                  <a href={routeHref('agents', agent.referrerId)}>{names.get(agent.referrerId) ?? agent.referrerId}</a>
                ) : (
                  t.none
                )}
              </dd>
              <dt>{t.joined}</dt>
              <dd>{formatDate(agent.createdAt)}</dd>
              <dt>{t.certificate}</dt>
              <dd>
                {agent.certificateNumber ? (
                  <a href={`/c/${encodeURIComponent(agent.certificateNumber)}`} target="_blank" rel="noopener">
                    {agent.certificateNumber}
                  </a>
                ) : (
                  t.noCertificate
                )}
              </dd>
              <dt>{t.shop}</dt>
              <dd>
                <a href={agent.shopUrl} target="_blank" rel="noopener">
                  {agent.shopUrl}
                </a>
              </dd>
              {agent.statusReason ? (
                <>
                  <dt>{t.reason}</dt>
                  <dd>{agent.statusReason}</dd>
                </>
              ) : null}
            </dl>
            <p>
              <a href={routeHref('orders', null, { agentId: agent.id })}>{t.orders}</a>
            </p>
          </section>
          <section class="card" aria-labelledby="ad-agent-chain">
            <h3 id="ad-agent-chain">{t.chain}</h3>
            <p class="muted">{t.chainLead}</p>
            {chain ? (
              <ol class="ad-chain">
                <li>{t.brand}</li>
                {chain.links.map((l) => (
                  <li key={l.id} aria-current={l.id === agent.id ? 'true' : undefined}>
                    {l.id === agent.id ? <strong>{l.name}</strong> : <a href={routeHref('agents', l.id)}>{l.name}</a>}{' '}
                    <span class="muted">{levelLabel(levels, l.level, ctx.lang)}</span>
                    {l.status !== 'active' ? (
                      <span class={`badge ${tone(l.status)}`}>{agentStatus[ctx.lang][l.status]}</span>
                    ) : null}
                  </li>
                ))}
              </ol>
            ) : (
              <p class="muted">{t.loading}</p>
            )}
          </section>
          <section class="card" aria-labelledby="ad-agent-team">
            <h3 id="ad-agent-team">{t.team}</h3>
            {summary ? (
              <>
                <p>{t.teamTotal(summary.total)}</p>
                {summary.total > 0 ? (
                  <ul class="ad-stats" aria-label={t.perLevel}>
                    {levels
                      .filter((l) => byLevel.has(l.rank))
                      .map((l) => (
                        <li key={l.rank}>
                          <span class="muted">{l.name}</span>
                          <strong>{byLevel.get(l.rank)}</strong>
                        </li>
                      ))}
                  </ul>
                ) : null}
              </>
            ) : (
              <p class="muted">{t.loading}</p>
            )}
          </section>
        </div>
        <div>
          <AgentActions ctx={ctx} agent={agent} onChanged={changed} />
          {wallet ? (
            <section class="card" aria-labelledby="ad-agent-wallet">
              <h3 id="ad-agent-wallet">{t.wallet}</h3>
              <dl class="facts ad-facts">
                <dt>{t.pending}</dt>
                <dd>{formatFen(wallet.pendingFen)}</dd>
                <dt>{t.available}</dt>
                <dd class={wallet.availableFen < 0 ? 'ad-neg' : undefined}>{formatFen(wallet.availableFen)}</dd>
                <dt>{t.withdrawing}</dt>
                <dd>{formatFen(wallet.withdrawingFen)}</dd>
                <dt>{t.offline}</dt>
                <dd>{formatFen(wallet.offlineFen)}</dd>
                {wallet.debtFen > 0 ? (
                  <>
                    <dt>{t.debt}</dt>
                    <dd class="ad-neg">{formatFen(wallet.debtFen)}</dd>
                  </>
                ) : null}
              </dl>
            </section>
          ) : null}
          {stock ? (
            <section class="card" aria-labelledby="ad-agent-stock">
              <h3 id="ad-agent-stock">{t.stock}</h3>
              {stock.length > 0 ? (
                <dl class="facts ad-facts">
                  {stock.map((s) => (
                    <Fragment key={s.productId}>
                      <dt>{s.name}</dt>
                      <dd>{t.units(s.qty)}</dd>
                    </Fragment>
                  ))}
                </dl>
              ) : (
                <p class="muted">{t.noStock}</p>
              )}
            </section>
          ) : null}
          <AgentAudit key={auditKey} ctx={ctx} agentId={agent.id} />
        </div>
      </div>
    </section>
  );
}
