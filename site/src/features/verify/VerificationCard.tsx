import type { Ref } from 'preact';
import { formatDateTime } from '../../lib/dates';
import type { Lang } from '../../lib/i18n';
import { formatFen } from '../../lib/money';
import type { Verification } from './types';

const text = {
  zh: {
    genuine: '正品',
    genuineLead: '此防伪码为品牌登记的真实编码。',
    code: '防伪码',
    serial: '序列号',
    retail: '官方零售价',
    count: (n: number, first: string) => `第 ${n} 次查询，首次查询于 ${first}`,
    warning: (n: number) => `此码已被查询过 ${n} 次，若非本人查询，请谨防假冒`,
    shippedTo: '发货代理',
    agent: '代理',
    level: '代理等级',
    region: '授权地区',
    status: '授权状态',
    certificate: '查看授权书',
    notValid: '该代理的授权当前无效，请谨慎购买。',
    noAgent: '该商品尚未登记发往代理。',
    statuses: { valid: '有效', suspended: '已暂停', revoked: '已撤销' },
  },
  en: {
    genuine: 'Genuine',
    genuineLead: 'This code was issued by the brand.',
    code: 'Code',
    serial: 'Serial',
    retail: 'Official retail price',
    count: (n: number, first: string) => `Verification no. ${n}; first verified ${first}`,
    warning: (n: number) =>
      `This code has been verified ${n} times. If those were not you, the product may be counterfeit`,
    shippedTo: 'Shipped to agent',
    agent: 'Agent',
    level: 'Level',
    region: 'Authorized region',
    status: 'Authorization',
    certificate: 'See the certificate',
    notValid: 'This agent’s authorization is not valid now; be careful when buying.',
    noAgent: 'This unit has not been shipped to an agent.',
    statuses: { valid: 'Valid', suspended: 'Suspended', revoked: 'Revoked' },
  },
};

/** A genuine code: product and official price, the agent it was shipped to, and how often it was verified. */
export function VerificationCard({
  result,
  lang,
  headingRef,
}: {
  result: Verification;
  lang: Lang;
  headingRef?: Ref<HTMLHeadingElement>;
}) {
  const t = text[lang];
  const { product, agent } = result;
  return (
    <section class="card verdict" aria-labelledby="verify-title">
      <h2 id="verify-title" class="genuine" tabIndex={-1} ref={headingRef}>
        {t.genuine}
      </h2>
      <p class="muted">{t.genuineLead}</p>
      {result.warning ? (
        <p class="alert" role="alert">
          <strong>{t.warning(result.verifyCount)}</strong>
        </p>
      ) : null}
      <p>{t.count(result.verifyCount, formatDateTime(result.firstVerifiedAt))}</p>
      <div class="product">
        {product.image ? (
          <img src={product.image} alt="" width={72} height={72} />
        ) : (
          <span class="pimg-none" aria-hidden="true" />
        )}
        <div>
          <p class="pname">{product.name}</p>
          <p>
            {t.retail} <strong>{formatFen(product.retailFen)}</strong>
          </p>
        </div>
      </div>
      <dl class="facts">
        <dt>{t.code}</dt>
        <dd class="nowrap">{result.code}</dd>
        <dt>{t.serial}</dt>
        <dd>{result.serialLabel}</dd>
      </dl>
      <h3>{t.shippedTo}</h3>
      {agent ? (
        <>
          <dl class="facts">
            <dt>{t.agent}</dt>
            <dd>{agent.name}</dd>
            <dt>{t.level}</dt>
            <dd>{agent.levelName}</dd>
            <dt>{t.region}</dt>
            <dd>{agent.region}</dd>
            <dt>{t.status}</dt>
            <dd>
              <span class={`badge ${agent.status}`}>{t.statuses[agent.status]}</span>
            </dd>
          </dl>
          {agent.status === 'valid' ? null : <p class="alert">{t.notValid}</p>}
          {agent.certificateNumber ? (
            <p>
              <a href={`/c/${encodeURIComponent(agent.certificateNumber)}`}>
                {t.certificate} {agent.certificateNumber}
              </a>
            </p>
          ) : null}
        </>
      ) : (
        <p class="muted">{t.noAgent}</p>
      )}
    </section>
  );
}
