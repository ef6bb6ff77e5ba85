import { PagedList } from '../../components/PagedList';
import { formatDateTime } from '../../lib/dates';
import type { Lang } from '../../lib/i18n';
import { formatFen } from '../../lib/money';
import { usePaged } from '../../lib/paged';
import { useAgentNames } from './agentNames';
import type { AdminContext } from './context';
import { call } from './http';
import { auditAction, levelLabel } from './labels';
import type { AuditEntry, Level, Page } from './types';

const text = {
  zh: {
    title: '操作记录',
    empty: '暂无操作记录。',
    by: { admin: '品牌方', agent: '代理', member: '会员', system: '系统' } as Record<string, string>,
    reason: '原因',
    level: '等级',
    supplier: '供货上级',
    brand: '品牌方',
    downline: '直属下级转给',
    amount: '金额',
  },
  en: {
    title: 'Audit log',
    empty: 'Nothing recorded yet.',
    by: { admin: 'Brand', agent: 'Agent', member: 'Member', system: 'System' } as Record<string, string>,
    reason: 'Reason',
    level: 'Level',
    supplier: 'Supplier',
    brand: 'Brand',
    downline: 'Direct downline moved to',
    amount: 'Amount',
  },
};

const str = (v: unknown) => (typeof v === 'string' ? v : null);
const num = (v: unknown) => (typeof v === 'number' ? v : null);

/** The parts of an entry's detail worth reading, as label/value pairs. */
function describe(
  entry: AuditEntry,
  levels: Level[],
  lang: Lang,
  names: ReadonlyMap<string, string>,
): [string, string][] {
  const t = text[lang];
  const d = entry.detail ?? {};
  const out: [string, string][] = [];
  const from = num(d.from);
  const to = num(d.to) ?? num(d.level);
  if (from !== null && to !== null)
    out.push([t.level, `${levelLabel(levels, from, lang)} → ${levelLabel(levels, to, lang)}`]);
  else if (to !== null) out.push([t.level, levelLabel(levels, to, lang)]);
  // Agents by name, never by internal id (an id whose name has not arrived yet shows as …).
  const who = (v: unknown) => {
    const id = str(v);
    return id === null || id === 'brand' ? t.brand : (names.get(id) ?? '…');
  };
  if ('supplierTo' in d && d.supplierTo !== d.supplierFrom) out.push([t.supplier, who(d.supplierTo)]);
  if ('downlineMovedTo' in d) out.push([t.downline, who(d.downlineMovedTo)]);
  const amount = num(d.amountFen);
  if (amount !== null) out.push([t.amount, formatFen(amount)]);
  const reason = str(d.reason);
  if (reason) out.push([t.reason, reason]);
  return out;
}

/** What was done to an agent, by whom and when (GET /api/audit?targetId=…), newest first. */
export function AgentAudit({ ctx, agentId }: { ctx: AdminContext; agentId: string }) {
  const t = text[ctx.lang];
  const paged = usePaged(
    (cursor) => call<Page<AuditEntry>>('/audit', { query: { targetId: agentId, cursor, limit: 20 } }),
    agentId,
  );
  const names = useAgentNames(
    paged.items.flatMap((e) => [e.detail?.supplierTo, e.detail?.downlineMovedTo]).filter((v) => typeof v === 'string'),
  );
  return (
    <section class="card" aria-labelledby="ad-agent-audit">
      <h3 id="ad-agent-audit">{t.title}</h3>
      <PagedList paged={paged} lang={ctx.lang} empty={t.empty} tally>
        {(items) => (
          <ol class="ad-list ad-audit" aria-labelledby="ad-agent-audit">
            {items.map((e) => (
              <li key={e.id} class="ad-item">
                <div class="row">
                  <strong>{auditAction(e.action, ctx.lang)}</strong>
                  <span class="muted nowrap">{formatDateTime(e.at)}</span>
                </div>
                <p class="muted ad-meta">{t.by[e.actorRole] ?? e.actorRole}</p>
                {describe(e, ctx.settings.levels, ctx.lang, names).map(([label, value]) => (
                  <p class="ad-meta" key={label}>
                    {label}
                    {ctx.lang === 'zh' ? '：' : ': '}
                    {value}
                  </p>
                ))}
              </li>
            ))}
          </ol>
        )}
      </PagedList>
    </section>
  );
}
