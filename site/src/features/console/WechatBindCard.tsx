import { useEffect, useState } from 'preact/hooks';
import type { ConsoleContext } from './context';
import { call } from './http';

const text = {
  zh: {
    title: '微信收款绑定',
    bound: '已绑定微信，品牌方可通过微信转账把提现打到您的微信零钱。',
    unbound: '尚未绑定微信。绑定后品牌方可通过微信转账直接打款到您的微信零钱。',
    bind: '绑定微信',
    outside: '请在微信中打开控制台完成绑定（复制本页链接，在微信中打开）。',
  },
  en: {
    title: 'WeChat for payouts',
    bound: 'WeChat bound: the brand can pay your withdrawals to your WeChat balance.',
    unbound: 'WeChat not bound. Once bound, the brand can pay withdrawals straight to your WeChat balance.',
    bind: 'Bind WeChat',
    outside: 'Open the console in WeChat to bind it (copy this page’s link and open it in WeChat).',
  },
};

// The openid comes only from WeChat's own OAuth (snsapi_base) round, which binds it to the signed-in agent on return.
const isWechat = () => typeof navigator !== 'undefined' && /MicroMessenger/i.test(navigator.userAgent);

/** Whether this agent can be paid by WeChat transfer, and the way to bind WeChat (only inside WeChat). */
export function WechatBindCard({ ctx }: { ctx: ConsoleContext }) {
  const t = text[ctx.lang];
  const [bound, setBound] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    call<{ bound: boolean }>('/agents/me/wechat').then((res) => {
      if (res.ok) setBound(res.data.bound);
    });
  }, []);
  if (bound === undefined) return null;
  const back = `/api/wechat/oauth/start?next=${encodeURIComponent(location.pathname + location.search)}`;
  return (
    <section class="cx-card" aria-labelledby="wechat-bind-title" data-testid="wechat-bind">
      <h2 id="wechat-bind-title">{t.title}</h2>
      <p data-testid="wechat-bind-state">{bound ? t.bound : t.unbound}</p>
      {bound ? null : isWechat() ? (
        <a class="btn cx-btn" href={back} data-testid="wechat-bind-start">
          {t.bind}
        </a>
      ) : (
        <p role="note" data-testid="wechat-bind-outside">
          {t.outside}
        </p>
      )}
    </section>
  );
}
