import { Fragment } from 'preact';
import '../../../styles/pictures.css';
import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../../../components/Field';
import { formatDateTime } from '../../../lib/dates';
import { formatFen } from '../../../lib/money';
import { type AdminContext, listHref, routeHref } from '../context';
import { call, seg } from '../http';
import { Toast, useNotice } from '../notice';
import { ActionForm, SupplyForm } from './CaseForms';
import type { Case } from './types';
import { finding, labels, statusTone, text } from './wording';

/** One case: what was seen, the decision (while open), and the agent with its supply. */
export function CasePage({ ctx, id }: { ctx: AdminContext; id: string }) {
  const t = text[ctx.lang];
  const l = labels[ctx.lang];
  const [item, setItem] = useState<Case | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useNotice();

  useEffect(() => {
    call<Case>(`/brand/inspections/${seg(id)}`).then((res) =>
      res.ok ? setItem(res.data) : setError(res.error.message),
    );
  }, [id]);

  const back = (
    <p class="ad-back">
      <a href={listHref('inspections')}>← {t.back}</a>
    </p>
  );
  if (error || !item)
    return (
      <section>
        {back}
        {error ? <Alert message={error} /> : <p role="status">{t.loading}</p>}
      </section>
    );

  const facts: [string, string | null][] =
    item.kind === 'cross_region'
      ? [
          [t.code, item.code],
          [t.regionSeen, item.regionSeen],
          [t.authorizedRegion, item.authorizedRegion],
          [t.hitCount, String(item.hits)],
        ]
      : [
          [t.priceSeen, item.priceSeenFen === null ? null : finding(item, ctx.lang)],
          [t.retail, item.retailFen === null ? null : formatFen(item.retailFen)],
          [t.note, item.note],
          [t.contact, item.reporterContact],
        ];
  const decided: [string, string | null][] = [
    [t.decided, item.decidedAt ? formatDateTime(item.decidedAt) : null],
    [t.resolution, item.resolution],
    [t.fine, item.fineFen === null ? null : formatFen(item.fineFen)],
  ];
  const agent = item.agent;

  return (
    <section aria-labelledby="ad-ins-title">
      {back}
      <Toast message={notice} />
      <div class="ad-head">
        <h2 id="ad-ins-title" class="ad-title">
          {t.caseTitle(l.kind[item.kind])}
        </h2>
        <span class={`badge ${statusTone(item.status)}`}>{l.status[item.status]}</span>
      </div>
      <div class="ad-grid ad-grid-wide">
        <div>
          <section class="card" aria-labelledby="ad-ins-facts">
            <h3 id="ad-ins-facts">{t.facts}</h3>
            <dl class="facts ad-facts">
              <dt>{t.product}</dt>
              <dd>{item.productName ?? '—'}</dd>
              {[...facts, [t.created, formatDateTime(item.createdAt)] as [string, string], ...decided].map(
                ([label, value]) =>
                  value === null ? null : (
                    <Fragment key={label}>
                      <dt>{label}</dt>
                      <dd>{value}</dd>
                    </Fragment>
                  ),
              )}
            </dl>
            {item.evidence.length > 0 ? (
              <>
                <h4>{t.evidence}</h4>
                <ul class="picture-list" data-testid="case-evidence">
                  {item.evidence.map((url, i) => (
                    <li key={url}>
                      <a href={url} target="_blank" rel="noopener">
                        <img src={url} alt={t.evidenceAlt(i + 1)} width={96} height={96} loading="lazy" />
                      </a>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </section>
          {item.status === 'open' && item.allowedActions.length > 0 ? (
            <ActionForm
              key={item.status}
              ctx={ctx}
              item={item}
              onDone={(next) => {
                setItem(next);
                setNotice(t.done(l.status[next.status]));
                ctx.refreshCounts();
              }}
            />
          ) : (
            <p class="muted">{t.closed}</p>
          )}
        </div>
        <section class="card" aria-labelledby="ad-ins-agent">
          <h3 id="ad-ins-agent">{t.agentTitle}</h3>
          <dl class="facts ad-facts">
            <dt>{t.agent}</dt>
            <dd>
              <a href={routeHref('agents', agent.id)}>{agent.name}</a>
            </dd>
            <dt>{t.level}</dt>
            <dd>{agent.levelName}</dd>
            <dt>{t.region}</dt>
            <dd>{agent.region}</dd>
            <dt>{t.supply}</dt>
            <dd>
              {agent.status === 'revoked' ? (
                <span class="badge revoked">{t.agentRevoked}</span>
              ) : agent.supplyStoppedAt !== null ? (
                <span class="badge revoked">{t.stoppedSince(formatDateTime(agent.supplyStoppedAt))}</span>
              ) : (
                <span class="badge valid">{t.supplied}</span>
              )}
            </dd>
          </dl>
          <p>
            <a href={routeHref('inspections', null, { status: 'all', agentId: agent.id })}>{t.onlyAgent(agent.name)}</a>
          </p>
          {agent.status === 'revoked' ? null : (
            <SupplyForm
              key={String(agent.supplyStopped)}
              ctx={ctx}
              agent={agent}
              onDone={(next) => {
                setItem({ ...item, agent: next });
                setNotice(next.supplyStopped ? t.stopped : t.resumed);
              }}
            />
          )}
        </section>
      </div>
    </section>
  );
}
