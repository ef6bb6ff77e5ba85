import { useState } from 'preact/hooks';
import { useConfirm } from '../../components/ConfirmDialog';
import { Alert, TextField } from '../../components/Field';
import { PayQrEditor } from '../../components/PayQrEditor';
import type { FormErrors } from '../../lib/formErrors';
import { focusFirst, noErrors } from '../../lib/formErrors';
import { BrandFaceForm } from './BrandFaceForm';
import type { AdminContext } from './context';
import { RadioGroup } from './fields';
import { call, fieldText } from './http';
import { LevelsForm } from './LevelsForm';
import { bindingPolicy, stockModel } from './labels';
import { Toast, useNotice } from './notice';
import { PayoutKindsForm } from './PayoutKindsForm';
import type { BindingPolicy, Settings, StockModel } from './types';
import { parseWhole, parseYuanToFen, yuanInput } from './yuan';

const fields = [
  'name',
  'sealText',
  'stockModel',
  'freezeDays',
  'bindingPolicy',
  'rebindDays',
  'withdrawMin',
  'certValidDays',
  'unpaidHoldMinutes',
  'maxConsumerUnits',
  'autoCompleteDays',
  'payNote',
] as const;
type Field = (typeof fields)[number];
const prefix = 'ad-set-';

const text = {
  zh: {
    title: '设置',
    brand: '品牌设置',
    name: '品牌名称',
    sealText: '印章文字',
    sealHint: '电子授权书上品牌印章的文字',
    stockModel: '库存模式',
    stockHints: {
      direct: '代理不囤货：每笔订单付款给品牌，品牌发货，差价计入各级代理账户。',
      cloud: '代理在品牌仓库持有虚拟库存，逐级拿货，仓库代发。',
    } as Record<StockModel, string>,
    freezeDays: '收益冻结天数',
    freezeHint: '订单完成后，收益冻结多少天才可提现（0–90）',
    bindingPolicy: '锁粉规则',
    bindingHints: {
      permanent: '会员永久归属首次绑定的代理。',
      rebind: '会员连续一段时间未下单后，可改绑到新的代理。',
    } as Record<BindingPolicy, string>,
    rebindDays: '改绑天数',
    rebindHint: '会员连续多少天未下单后可改绑（1–3650）',
    withdrawMin: '最低提现金额（元）',
    withdrawHint: '例如 100 或 100.50',
    certValidDays: '授权书有效天数',
    certHint: '新授权书从审核通过起的有效期（1–3650）',
    unpaidHoldMinutes: '未付款订单保留（分钟）',
    autoCompleteDays: '发货后自动确认收货（天）',
    payNote: '品牌收款方式（线下付款时展示给买家）',
    holdHint: '超时未付款的订单自动取消，库存退回（5–1440）',
    maxConsumerUnits: '每单最多件数',
    maxUnitsHint: '顾客一笔订单最多可买的件数（1–9999）',
    save: '保存设置',
    busy: '保存中…',
    saved: '品牌设置已保存。',
    confirmModel: (from: string, to: string) =>
      `确认把库存模式从「${from}」切换为「${to}」？之后的订单按新模式付款、扣库存和发货，已下的订单不变。`,
    switchModel: (to: string) => `切换为${to}`,
    unchanged: '没有需要保存的更改。',
    required: '此项必填',
    whole: '请输入整数',
    range: (min: number, max: number) => `请输入 ${min}–${max} 之间的整数`,
    amount: '请输入金额，如 100 或 100.50',
  },
  en: {
    title: 'Settings',
    brand: 'Brand settings',
    name: 'Brand name',
    sealText: 'Seal text',
    sealHint: 'The text in the brand seal on certificates',
    stockModel: 'Stock model',
    stockHints: {
      direct: 'Agents hold no stock: every order is paid to the brand, the brand ships, margins go to the agents.',
      cloud: 'Agents own virtual stock in the brand’s warehouse and restock level by level; the warehouse ships.',
    } as Record<StockModel, string>,
    freezeDays: 'Freeze days',
    freezeHint: 'Days earnings stay frozen after an order completes (0–90)',
    bindingPolicy: 'Customer binding',
    bindingHints: {
      permanent: 'A member stays with the agent first bound.',
      rebind: 'A member who has not ordered for a while can be bound to another agent.',
    } as Record<BindingPolicy, string>,
    rebindDays: 'Re-bind after days',
    rebindHint: 'Days without an order before a member can re-bind (1–3650)',
    withdrawMin: 'Minimum withdrawal (yuan)',
    withdrawHint: 'For example 100 or 100.50',
    certValidDays: 'Certificate validity (days)',
    certHint: 'How long a new certificate is valid from approval (1–3650)',
    unpaidHoldMinutes: 'Unpaid order hold (minutes)',
    autoCompleteDays: 'Auto-complete after shipping (days)',
    payNote: 'How buyers pay the brand offline',
    holdHint: 'An order not paid in time is cancelled and its units go back (5–1440)',
    maxConsumerUnits: 'Most units per order',
    maxUnitsHint: 'The most units a customer may buy in one order (1–9999)',
    save: 'Save settings',
    busy: 'Saving…',
    saved: 'Brand settings saved.',
    confirmModel: (from: string, to: string) =>
      `Switch the stock model from “${from}” to “${to}”? Later orders are paid, stocked and shipped the new way; orders already placed keep theirs.`,
    switchModel: (to: string) => `Switch to ${to}`,
    unchanged: 'Nothing to save.',
    required: 'Required',
    whole: 'Enter a whole number',
    range: (min: number, max: number) => `Enter a whole number from ${min} to ${max}`,
    amount: 'Enter an amount such as 100 or 100.50',
  },
};

type Values = Record<Exclude<Field, 'stockModel' | 'bindingPolicy'>, string> & {
  stockModel: StockModel;
  bindingPolicy: BindingPolicy;
};

function valuesOf(s: Settings): Values {
  return {
    name: s.name,
    sealText: s.sealText,
    stockModel: s.stockModel,
    freezeDays: String(s.freezeDays),
    bindingPolicy: s.bindingPolicy,
    rebindDays: String(s.rebindDays),
    withdrawMin: yuanInput(s.withdrawMinFen),
    certValidDays: String(s.certValidDays),
    unpaidHoldMinutes: String(s.unpaidHoldMinutes),
    maxConsumerUnits: String(s.maxConsumerUnits),
    autoCompleteDays: String(s.autoCompleteDays),
    payNote: s.payNote,
  };
}

// The API names the fen amount; the form shows it in yuan.
const apiField: Record<string, Field> = { withdrawMinFen: 'withdrawMin' };

/** 设置: the brand's settings (only what changed is sent) and its level table. */
export function SettingsSection({ ctx }: { ctx: AdminContext }) {
  const t = text[ctx.lang];
  const [values, setValues] = useState<Values>(() => valuesOf(ctx.settings));
  const [errors, setErrors] = useState<FormErrors<Field>>(noErrors);
  const [busy, setBusy] = useState(false);
  const { ask, dialog } = useConfirm(ctx.lang);
  const [notice, setNotice] = useNotice();

  const set = (field: Field) => (event: { currentTarget: { value: string } }) =>
    setValues((v) => ({ ...v, [field]: event.currentTarget.value }));

  function days(raw: string, min: number, max: number, found: Partial<Record<Field, string>>, field: Field) {
    const n = parseWhole(raw);
    if (n === null) found[field] = raw.trim() ? t.whole : t.required;
    else if (n < min || n > max) found[field] = t.range(min, max);
    return n ?? 0;
  }

  async function submit(event: Event) {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!values.name.trim()) found.name = t.required;
    if (!values.sealText.trim()) found.sealText = t.required;
    const freezeDays = days(values.freezeDays, 0, 90, found, 'freezeDays');
    // Hidden while binding is permanent: the stored value stays as it is.
    const rebindDays =
      values.bindingPolicy === 'rebind'
        ? days(values.rebindDays, 1, 3650, found, 'rebindDays')
        : ctx.settings.rebindDays;
    const certValidDays = days(values.certValidDays, 1, 3650, found, 'certValidDays');
    const unpaidHoldMinutes = days(values.unpaidHoldMinutes, 5, 1440, found, 'unpaidHoldMinutes');
    const maxConsumerUnits = days(values.maxConsumerUnits, 1, 9999, found, 'maxConsumerUnits');
    const autoCompleteDays = days(values.autoCompleteDays, 1, 60, found, 'autoCompleteDays');
    const withdrawMinFen = parseYuanToFen(values.withdrawMin);
    if (withdrawMinFen === null) found.withdrawMin = values.withdrawMin.trim() ? t.amount : t.required;
    if (Object.keys(found).length > 0) {
      setErrors({ fields: found, top: null });
      focusFirst(fields, found, prefix);
      return;
    }
    const next = {
      name: values.name.trim(),
      sealText: values.sealText.trim(),
      stockModel: values.stockModel,
      freezeDays,
      bindingPolicy: values.bindingPolicy,
      rebindDays,
      withdrawMinFen: withdrawMinFen ?? 0,
      certValidDays,
      unpaidHoldMinutes,
      maxConsumerUnits,
      autoCompleteDays,
      payNote: values.payNote.trim(),
    };
    const s = ctx.settings;
    const patch = Object.fromEntries(Object.entries(next).filter(([k, v]) => s[k as keyof typeof next] !== v));
    setErrors(noErrors);
    if (Object.keys(patch).length === 0) {
      setNotice(t.unchanged);
      return;
    }
    // Switching the stock model changes how every later order is paid, stocked and shipped: confirmed first.
    if ('stockModel' in patch) {
      const to = stockModel[ctx.lang][values.stockModel];
      if (!(await ask(t.confirmModel(stockModel[ctx.lang][s.stockModel], to), t.switchModel(to), true))) return;
    }
    setBusy(true);
    const res = await call<Settings>('/brand/settings', { method: 'PATCH', body: patch });
    setBusy(false);
    if (res.ok) {
      ctx.setSettings(res.data);
      setValues(valuesOf(res.data));
      setNotice(t.saved);
      return;
    }
    const field = fields.find((f) => f === (apiField[res.error.field ?? ''] ?? res.error.field));
    if (field) {
      setErrors({ fields: { [field]: fieldText(res.error) }, top: null });
      document.getElementById(`${prefix}${field}`)?.focus();
    } else setErrors({ fields: {}, top: res.error.message });
  }

  return (
    <section aria-labelledby="ad-settings">
      <h2 id="ad-settings" class="ad-title">
        {t.title}
      </h2>
      <Toast message={notice} />
      <div class="ad-grid ad-grid-wide">
        <form class="card" onSubmit={submit} noValidate aria-labelledby="ad-brand-settings" aria-busy={busy}>
          <h3 id="ad-brand-settings">{t.brand}</h3>
          <Alert message={errors.top} />
          <div class="ad-cols">
            <TextField
              id={`${prefix}name`}
              label={t.name}
              error={errors.fields.name}
              value={values.name}
              onInput={set('name')}
              maxLength={40}
              required
            />
            <TextField
              id={`${prefix}sealText`}
              label={t.sealText}
              hint={t.sealHint}
              error={errors.fields.sealText}
              value={values.sealText}
              onInput={set('sealText')}
              maxLength={24}
              required
            />
          </div>
          <RadioGroup
            name={`${prefix}stockModel`}
            legend={t.stockModel}
            value={values.stockModel}
            onChange={(v) => setValues((x) => ({ ...x, stockModel: v }))}
            error={errors.fields.stockModel}
            options={(['direct', 'cloud'] as const).map((m) => ({
              value: m,
              label: stockModel[ctx.lang][m],
              hint: t.stockHints[m],
            }))}
          />
          <RadioGroup
            name={`${prefix}bindingPolicy`}
            legend={t.bindingPolicy}
            value={values.bindingPolicy}
            onChange={(v) => setValues((x) => ({ ...x, bindingPolicy: v }))}
            error={errors.fields.bindingPolicy}
            options={(['permanent', 'rebind'] as const).map((m) => ({
              value: m,
              label: bindingPolicy[ctx.lang][m],
              hint: t.bindingHints[m],
            }))}
          />
          <div class="ad-cols">
            {values.bindingPolicy === 'rebind' ? (
              <TextField
                id={`${prefix}rebindDays`}
                label={t.rebindDays}
                hint={t.rebindHint}
                error={errors.fields.rebindDays}
                value={values.rebindDays}
                onInput={set('rebindDays')}
                inputMode="numeric"
                maxLength={4}
              />
            ) : null}
            <TextField
              id={`${prefix}freezeDays`}
              label={t.freezeDays}
              hint={t.freezeHint}
              error={errors.fields.freezeDays}
              value={values.freezeDays}
              onInput={set('freezeDays')}
              inputMode="numeric"
              maxLength={3}
            />
            <TextField
              id={`${prefix}withdrawMin`}
              label={t.withdrawMin}
              hint={t.withdrawHint}
              error={errors.fields.withdrawMin}
              value={values.withdrawMin}
              onInput={set('withdrawMin')}
              inputMode="decimal"
              maxLength={16}
            />
            <TextField
              id={`${prefix}certValidDays`}
              label={t.certValidDays}
              hint={t.certHint}
              error={errors.fields.certValidDays}
              value={values.certValidDays}
              onInput={set('certValidDays')}
              inputMode="numeric"
              maxLength={4}
            />
            <TextField
              id={`${prefix}unpaidHoldMinutes`}
              label={t.unpaidHoldMinutes}
              hint={t.holdHint}
              error={errors.fields.unpaidHoldMinutes}
              value={values.unpaidHoldMinutes}
              onInput={set('unpaidHoldMinutes')}
              inputMode="numeric"
              maxLength={4}
            />
            <TextField
              id={`${prefix}maxConsumerUnits`}
              label={t.maxConsumerUnits}
              hint={t.maxUnitsHint}
              error={errors.fields.maxConsumerUnits}
              value={values.maxConsumerUnits}
              onInput={set('maxConsumerUnits')}
              inputMode="numeric"
              maxLength={4}
            />
            <TextField
              id={`${prefix}autoCompleteDays`}
              label={t.autoCompleteDays}
              error={errors.fields.autoCompleteDays}
              value={values.autoCompleteDays}
              onInput={set('autoCompleteDays')}
              inputMode="numeric"
              maxLength={2}
            />
            <TextField
              id={`${prefix}payNote`}
              label={t.payNote}
              error={errors.fields.payNote}
              value={values.payNote}
              onInput={set('payNote')}
              maxLength={300}
            />
          </div>
          <button class="btn ad-btn" type="submit" disabled={busy}>
            {busy ? t.busy : t.save}
          </button>
          {dialog}
        </form>
        <PayQrEditor call={call} base="/brand" lang={ctx.lang} idPrefix="ad-" />
        <BrandFaceForm ctx={ctx} onSaved={setNotice} />
        <PayoutKindsForm ctx={ctx} onSaved={setNotice} />
        <LevelsForm ctx={ctx} onSaved={setNotice} />
      </div>
    </section>
  );
}
