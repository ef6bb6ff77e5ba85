import { ReviewList } from '../applications/ReviewList';
import type { ConsoleContext } from './context';
import { call } from './http';
import { Toast, useNotice } from './notice';

const text = {
  zh: {
    title: '代理申请审核',
    lead: '以下申请人的供货上级是您，请核实身份后审核。通过后对方即成为代理并获得授权书。',
    region: '地区',
    approved: (name: string) => `已通过 ${name} 的申请，对方已成为代理。`,
  },
  en: {
    title: 'Applications to review',
    lead: 'You are the supplier of these applicants; check who they are, then decide. Once approved they are agents with a certificate.',
    region: 'Region',
    approved: (name: string) => `${name} is approved and now an agent.`,
  },
};

/** 审核: the applications addressed to me, approved or rejected (with a reason) right in the list. */
export function ReviewTab({ ctx }: { ctx: ConsoleContext }) {
  const t = text[ctx.lang];
  const [notice, setNotice] = useNotice();
  return (
    <section class="card" aria-labelledby="cx-review">
      <h2 id="cx-review">{t.title}</h2>
      <p class="muted">{t.lead}</p>
      <Toast message={notice} />
      <ReviewList
        lang={ctx.lang}
        levels={ctx.levels}
        call={call}
        wording={{ ...t, list: t.title }}
        idPrefix="cx-app"
        notify={setNotice}
        onDecided={ctx.refreshCounts}
      />
    </section>
  );
}
