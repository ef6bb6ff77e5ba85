import { useEffect, useState } from 'preact/hooks';
import { Alert, Segmented, TextField } from '../../components/Field';
import { api } from '../../lib/api';
import { type FormErrors, focusFirst, noErrors, placeError } from '../../lib/formErrors';
import { queryParam, useFormValues, useHydrated, useLang } from '../../lib/hooks';
import { formatFen } from '../../lib/money';
import { PHONE_MAX_TYPED, phoneDigits } from '../../lib/phone';
import { type CartLine, countOf, totalOf } from '../shop/cart';
import { loadCart, saveCart } from '../shop/cartStore';
import { cartUrl, checkoutUrl, currentShopCode, knownShop, type ShopData, shopUrl } from '../shop/types';
import { forField, newIdempotencyKey, placeOrder, rememberOrder } from './orders';
import { noRegion, type Region, RegionPicker, regionText } from './RegionPicker';
import { type SavedAddress, SavedAddresses, saveAddress } from './SavedAddresses';
import { ServingCard } from './ServingCard';
import { type Member, orderUrl, PHONE } from './types';

const fields = ['shipping.name', 'shipping.phone', 'shipping.address', 'note'] as const;
type Field = (typeof fields)[number];
type Method = 'online' | 'offline';
const prefix = 'co-';

const text = {
  zh: {
    loading: '加载中…',
    noShop: '请通过代理分享的小店链接购买。',
    empty: '购物车是空的。',
    back: '返回小店',
    editCart: '修改',
    items: '商品',
    total: '合计',
    shop: (name: string) => `${name}的小店`,
    member: (name: string) => `会员 ${name} 已登录`,
    rebind: (name: string) => `下单后，您的专属顾问将改为 ${name}`,
    guest: '游客下单，凭手机号查询订单。',
    signIn: '会员登录',
    signUp: '注册会员',
    staff: '代理和品牌方账号不能以顾客身份下单，请退出后再购买，或在代理后台进货。',
    shipping: '收货信息',
    labels: {
      'shipping.name': '收货人',
      'shipping.phone': '手机号',
      'shipping.address': '收货地址',
      note: '备注（选填）',
    } as Record<Field, string>,
    addressHint: '街道、门牌号；未在上方选择省市区时，请写完整地址',
    payment: '付款方式',
    online: '在线支付',
    offline: '线下付款',
    onlineHint: '下单后在线支付，品牌方收款后发货。',
    offlineHint: '下单后请按下方收款方式线下付款，收款方确认后发货。',
    required: '此项必填',
    phone: '请输入 11 位手机号',
    address: '请填写详细地址（未选省市区时至少 5 个字）',
    submit: (amount: string) => `提交订单 ${amount}`,
    busy: '提交中…',
  },
  en: {
    loading: 'Loading…',
    noShop: 'Please buy through the shop link an agent shared with you.',
    empty: 'Your cart is empty.',
    back: 'Back to the shop',
    editCart: 'Edit',
    items: 'Items',
    total: 'Total',
    shop: (name: string) => `${name}'s shop`,
    member: (name: string) => `Signed in as member ${name}`,
    rebind: (name: string) => `Placing this order makes ${name} your own adviser`,
    guest: 'Ordering as a guest: follow the order with your phone number.',
    signIn: 'Member sign-in',
    signUp: 'Become a member',
    staff: 'Agent and brand accounts cannot order as customers; sign out first, or restock in the agent console.',
    shipping: 'Delivery',
    labels: {
      'shipping.name': 'Recipient',
      'shipping.phone': 'Mobile phone',
      'shipping.address': 'Address',
      note: 'Note (optional)',
    } as Record<Field, string>,
    addressHint: 'Street and number; without a province, city and district chosen above, the full address',
    payment: 'Payment',
    online: 'Pay online',
    offline: 'Pay offline',
    onlineHint: 'Pay online after placing the order; the brand ships once paid.',
    offlineHint:
      'After placing the order, pay the payee below directly; the order ships once they confirm the payment.',
    required: 'Required',
    phone: 'Enter an 11-digit mobile number',
    address: 'Enter the full address (at least 5 characters)',
    submit: (amount: string) => `Place order ${amount}`,
    busy: 'Placing the order…',
  },
};

// GET /api/members/me also tells whether the bound agent can serve, and from when an order in another agent's shop
// moves the binding there (the brand's 'rebind' policy).
type Bound = NonNullable<Member['boundAgent']> & { status?: 'active' | 'suspended' | 'revoked' };
type MemberBinding = Omit<Member, 'boundAgent'> & { boundAgent: Bound | null; rebindableAt?: number | null };

type Who = { kind: 'loading' } | { kind: 'guest' } | { kind: 'member'; member: MemberBinding } | { kind: 'staff' };

/** What a member bound to another agent is told: who serves this order (worker/domain/binding.ts decides). */
function bindingNotice(member: MemberBinding, code: string): 'rebind' | null {
  const bound = member.boundAgent;
  if (!bound || bound.code === code || bound.status === 'suspended') return null;
  if (bound.status === 'revoked') return 'rebind';
  return member.rebindableAt != null && member.rebindableAt <= Date.now() ? 'rebind' : null;
}

function check(
  values: Record<Field, string>,
  t: (typeof text)['zh'],
  regionChosen: boolean,
): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  if (!values['shipping.name'].trim()) errors['shipping.name'] = t.required;
  if (!PHONE.test(phoneDigits(values['shipping.phone']))) errors['shipping.phone'] = t.phone;
  const typed = values['shipping.address'].trim();
  if (regionChosen ? typed.length < 2 : typed.length < 5) errors['shipping.address'] = t.address;
  return errors;
}

/** /checkout?s=<code>: a guest or a signed-in member orders the shop's cart. */
export function CheckoutForm() {
  const lang = useLang();
  const ready = useHydrated();
  const t = text[lang];
  const [code, setCode] = useState<string | null | undefined>(undefined);
  const [shop, setShop] = useState<ShopData | null>(null);
  const [lines, setLines] = useState<CartLine[]>([]);
  const [who, setWho] = useState<Who>({ kind: 'loading' });
  const [method, setMethod] = useState<Method>('online');
  const [values, setValues] = useFormValues<Field>(prefix, {
    'shipping.name': '',
    'shipping.phone': '',
    'shipping.address': '',
    note: '',
  });
  const [errors, setErrors] = useState<FormErrors<Field>>(noErrors);
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState('');
  const [region, setRegion] = useState<Region>(noRegion);
  const [keepAddress, setKeepAddress] = useState(false);

  useEffect(() => {
    const c = currentShopCode(queryParam('s'));
    setCode(c);
    if (!c) return;
    setShop(knownShop(c));
    setLines(loadCart(c));
    setKey(newIdempotencyKey());
    if (queryParam('method') === 'offline') setMethod('offline');
    // A guest's browser should log no 401: ask who is signed in first, and read the member only for a member.
    api<{ role: 'admin' | 'agent' | 'member' | null }>('/auth/session').then(async (session) => {
      const role = session.ok ? session.data.role : null;
      if (role !== 'member') {
        setWho(role ? { kind: 'staff' } : { kind: 'guest' });
        return;
      }
      const res = await api<MemberBinding>('/members/me');
      if (res.ok) {
        setWho({ kind: 'member', member: res.data });
        setValues((v) => ({
          ...v,
          'shipping.name': v['shipping.name'] || res.data.name,
          'shipping.phone': v['shipping.phone'] || res.data.phone,
        }));
      } else setWho(res.status === 403 ? { kind: 'staff' } : { kind: 'guest' });
    });
  }, []);

  if (code === undefined) return <p role="status">{t.loading}</p>;
  if (code === null) return <Alert message={t.noShop} />;
  if (lines.length === 0) {
    return (
      <div class="card">
        <p>{t.empty}</p>
        <a class="btn secondary" href={shopUrl(code)}>
          {t.back}
        </a>
      </div>
    );
  }

  const set = (field: Field) => (event: { currentTarget: { value: string } }) =>
    setValues((v) => ({ ...v, [field]: event.currentTarget.value }));

  // The picked region, then what was typed (unless it already starts with the region).
  function fullAddress(): string {
    const typed = values['shipping.address'].trim();
    const picked = regionText(region);
    return picked && !typed.startsWith(picked) ? `${picked} ${typed}` : typed;
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (!code) return;
    const found = check(values, t, regionText(region) !== '');
    if (Object.keys(found).length > 0) {
      setErrors({ fields: found, top: null });
      focusFirst(fields, found, prefix);
      return;
    }
    setBusy(true);
    setErrors(noErrors);
    const phone = values['shipping.phone'].trim();
    const note = values.note.trim();
    const res = await placeOrder(
      {
        kind: 'consumer',
        shopCode: code,
        lines: lines.map((l) => ({ productId: l.id, qty: l.qty })),
        paymentMethod: method,
        shipping: { name: values['shipping.name'].trim(), phone, address: fullAddress() },
        ...(note ? { note } : {}),
      },
      key,
    );
    if (res.ok) {
      saveCart(code, []);
      if (who.kind === 'member' && keepAddress) {
        await saveAddress({ name: values['shipping.name'].trim(), phone, address: fullAddress() });
      }
      rememberOrder({
        id: res.data.id,
        phone,
        shop: code,
        at: Date.now(),
        ...(res.data.orderToken ? { token: res.data.orderToken } : {}),
      });
      location.assign(`${orderUrl(res.data.id)}&placed=1`);
      return;
    }
    setBusy(false);
    // The same key is only for retrying the same request after a lost answer; a refused one starts afresh.
    if (res.status !== 0) setKey(newIdempotencyKey());
    setErrors(placeError(forField(res.error), fields, prefix));
  }

  const field = (f: Field) => ({
    id: `${prefix}${f}`,
    label: t.labels[f],
    error: errors.fields[f],
    value: values[f],
    onInput: set(f),
  });
  const next = encodeURIComponent(checkoutUrl(code));
  const notice = who.kind === 'member' ? bindingNotice(who.member, code) : null;

  return (
    <form onSubmit={submit} noValidate aria-busy={busy}>
      {shop ? (
        <p class="lead">
          <a href={shopUrl(code)}>{t.shop(shop.name)}</a>
        </p>
      ) : null}
      <section class="card" aria-labelledby="co-items">
        <div class="row">
          <h2 id="co-items">{t.items}</h2>
          <a href={cartUrl(code)}>{t.editCart}</a>
        </div>
        <ul class="lines">
          {lines.map((l) => (
            <li key={l.id}>
              {l.image ? (
                <img src={l.image} alt="" width={64} height={64} />
              ) : (
                <span class="pimg-none" aria-hidden="true" />
              )}
              <span>{l.name}</span>
              <span class="muted">
                {formatFen(l.retailFen)} × {l.qty}
              </span>
            </li>
          ))}
        </ul>
        <p class="total">
          <span>
            {t.total}（{countOf(lines)}）
          </span>
          <strong>{formatFen(totalOf(lines))}</strong>
        </p>
      </section>

      {who.kind === 'member' ? <p class="notice">{t.member(who.member.name)}</p> : null}
      {notice === 'rebind' && shop ? <p class="notice">{t.rebind(shop.name)}</p> : null}
      {who.kind === 'staff' ? <Alert message={t.staff} /> : null}
      {who.kind === 'guest' ? (
        <p class="muted">
          {t.guest} <a href={`/login?role=member&next=${next}`}>{t.signIn}</a> ·{' '}
          <a href={`/signup?ref=${code}&next=${next}`}>{t.signUp}</a>
        </p>
      ) : null}

      <Alert message={errors.top} />
      <section class="card" aria-labelledby="co-shipping">
        <h2 id="co-shipping">{t.shipping}</h2>
        {who.kind === 'member' ? (
          <SavedAddresses
            lang={lang}
            save={keepAddress}
            onSave={setKeepAddress}
            onPick={(a: SavedAddress) => {
              setRegion(noRegion);
              setValues((v) => ({
                ...v,
                'shipping.name': a.name,
                'shipping.phone': a.phone,
                'shipping.address': a.address,
              }));
            }}
          />
        ) : null}
        <TextField {...field('shipping.name')} autocomplete="name" maxLength={40} required />
        <TextField
          {...field('shipping.phone')}
          type="tel"
          inputMode="numeric"
          autocomplete="tel-national"
          maxLength={PHONE_MAX_TYPED}
          required
        />
        <RegionPicker value={region} onChange={setRegion} lang={lang} />
        <TextField
          {...field('shipping.address')}
          hint={t.addressHint}
          autocomplete="street-address"
          maxLength={200}
          required
        />
        <TextField {...field('note')} maxLength={200} />
      </section>

      <section class="card" aria-labelledby="co-payment">
        <h2 id="co-payment">{t.payment}</h2>
        <Segmented
          name="payment"
          legend={t.payment}
          value={method}
          onChange={setMethod}
          options={[
            { value: 'online', label: t.online },
            { value: 'offline', label: t.offline },
          ]}
        />
        <p class="hint">{method === 'online' ? t.onlineHint : t.offlineHint}</p>
      </section>

      {who.kind === 'member' || who.kind === 'guest' ? (
        <ServingCard
          shopCode={code}
          phone={values['shipping.phone']}
          member={who.kind === 'member'}
          method={method}
          lang={lang}
        />
      ) : null}

      <button class="btn" type="submit" disabled={!ready || busy || who.kind === 'loading' || who.kind === 'staff'}>
        {busy ? t.busy : t.submit(formatFen(totalOf(lines)))}
      </button>
    </form>
  );
}
