import type { Lang } from '../../lib/i18n';
import { ReviewList } from '../applications/ReviewList';
import type { ApplicationView } from '../applications/types';
import { useAgentNames } from './agentNames';
import { type AdminContext, routeHref } from './context';
import { call } from './http';
import { Toast, useNotice } from './notice';

const text = {
  zh: {
    title: '申请',
    lead: '供货上级是品牌方的代理申请（直接招募，或推荐人的等级不高于申请等级）。通过后对方即成为代理并获得电子授权书。',
    list: '代理申请',
    region: '授权地区',
    referrer: '推荐人',
    direct: '无（品牌直招）',
    agent: '代理档案',
    view: '查看',
    approved: (name: string) => `已通过 ${name} 的申请，授权书已签发。`,
  },
  en: {
    title: 'Applications',
    lead: 'Applications the brand supplies (recruited directly, or the referrer is not above the level applied for). Once approved the applicant is an agent with a certificate.',
    list: 'Applications',
    region: 'Region',
    referrer: 'Referrer',
    direct: 'None (recruited by the brand)',
    agent: 'Agent',
    view: 'View',
    approved: (name: string) => `${name} is approved; the certificate is issued.`,
  },
};

/** The brand also sees who referred the applicant and, once approved, the agent's record. */
function BrandFacts({ app, lang }: { app: ApplicationView; lang: Lang }) {
  const t = text[lang];
  const names = useAgentNames(app.referrerId ? [app.referrerId] : []);
  return (
    <>
      <dt>{t.referrer}</dt>
      <dd>
        {app.referrerId ? (
          <a href={routeHref('agents', app.referrerId)}>{names.get(app.referrerId) ?? app.referrerId}</a>
        ) : (
          t.direct
        )}
      </dd>
      {app.agentId ? (
        <>
          <dt>{t.agent}</dt>
          <dd>
            <a href={routeHref('agents', app.agentId)}>{t.view}</a>
          </dd>
        </>
      ) : null}
    </>
  );
}

/** 申请: the applications the brand approves, decided right in the list. */
export function ApplicationsSection({ ctx }: { ctx: AdminContext }) {
  const t = text[ctx.lang];
  const [notice, setNotice] = useNotice();
  return (
    <section aria-labelledby="ad-applications">
      <h2 id="ad-applications" class="ad-title">
        {t.title}
      </h2>
      <p class="muted">{t.lead}</p>
      <Toast message={notice} />
      <div class="card">
        <ReviewList
          lang={ctx.lang}
          levels={ctx.settings.levels}
          call={call}
          wording={t}
          idPrefix="ad-app"
          notify={setNotice}
          onDecided={ctx.refreshCounts}
          Extra={BrandFacts}
          tally
        />
      </div>
    </section>
  );
}
