import type { AdminContext } from './context';
import { CaseList } from './inspections/CaseList';
import { CasePage } from './inspections/CasePage';
import { text } from './inspections/wording';

/** 稽查: the queue of cross-selling flags and price-breaking reports, or one case (#inspections/<id>) to decide. */
export function InspectionsSection({ ctx }: { ctx: AdminContext }) {
  const t = text[ctx.lang];
  if (ctx.route.id) return <CasePage key={ctx.route.id} ctx={ctx} id={ctx.route.id} />;
  return (
    <section aria-labelledby="ad-inspections">
      <h2 id="ad-inspections" class="ad-title">
        {t.title}
      </h2>
      <p class="muted">{t.lead}</p>
      <CaseList key={ctx.route.params.toString()} ctx={ctx} />
    </section>
  );
}
