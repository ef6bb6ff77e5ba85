import { useState } from 'preact/hooks';
import { Alert, TextField } from '../../components/Field';
import type { Lang } from '../../lib/i18n';
import { RadioGroup } from './fields';
import { call, fieldText } from './http';
import { bindingPolicy, stockModel } from './labels';
import type { BindingPolicy, Settings, StockModel } from './types';
import { parseWhole } from './yuan';

const prefix = 'ad-setup-';
const MAX_LEVELS = 9;

const text = {
  zh: {
    title: '欢迎使用，先完成品牌初始设置',
    intro: '设置品牌名称、代理等级和经营规则后即可进入品牌后台。这些设置以后都可以在「设置」中修改。',
    name: '品牌名称',
    sealText: '印章文字（选填）',
    sealHint: '电子授权书上的印章文字，留空则为「品牌名称授权专用章」',
    levels: '代理等级（从高到低）',
    levelsHint: '第 1 级最高，例如 联创、总代、省代、市代',
    level: (n: number) => `第 ${n} 级名称`,
    add: '添加等级',
    remove: (n: number) => `删除第 ${n} 级`,
    stockModel: '库存模式',
    freezeDays: '收益冻结天数',
    freezeHint: '订单完成后，收益冻结多少天才可提现（0–90）',
    bindingPolicy: '锁粉规则',
    rebindDays: '改绑天数',
    rebindHint: '会员连续多少天未下单后可改绑（1–3650）',
    submit: '完成设置，进入后台',
    busy: '正在保存…',
    required: '此项必填',
    range: (min: number, max: number) => `请输入 ${min}–${max} 之间的整数`,
    duplicate: '等级名称不能重复',
  },
  en: {
    title: 'Welcome: set up the brand first',
    intro:
      'Name the brand, its agent levels and its rules to open the console. All of it can change later in Settings.',
    name: 'Brand name',
    sealText: 'Seal text (optional)',
    sealHint: 'The text of the seal on certificates; empty: the brand name with 授权专用章',
    levels: 'Agent levels (highest first)',
    levelsHint: 'Level 1 is the highest',
    level: (n: number) => `Level ${n} name`,
    add: 'Add a level',
    remove: (n: number) => `Remove level ${n}`,
    stockModel: 'Stock model',
    freezeDays: 'Freeze days',
    freezeHint: 'Days earnings stay frozen after an order completes (0–90)',
    bindingPolicy: 'Customer binding',
    rebindDays: 'Re-bind after days',
    rebindHint: 'Days without an order before a member can re-bind (1–3650)',
    submit: 'Finish the setup and open the console',
    busy: 'Saving…',
    required: 'Required',
    range: (min: number, max: number) => `Enter a whole number from ${min} to ${max}`,
    duplicate: 'Level names must differ',
  },
};

type Errors = Partial<Record<string, string>>;

/** The first admin sign-in on an empty database: POST /api/brand/setup, then the console. */
export function SetupStep({ lang, onDone }: { lang: Lang; onDone: (settings: Settings) => void }) {
  const t = text[lang];
  const [name, setName] = useState('');
  const [sealText, setSealText] = useState('');
  const [levels, setLevels] = useState<string[]>(['', '', '']);
  const [model, setModel] = useState<StockModel>('direct');
  const [freezeDays, setFreezeDays] = useState('7');
  const [policy, setPolicy] = useState<BindingPolicy>('permanent');
  const [rebindDays, setRebindDays] = useState('90');
  const [errors, setErrors] = useState<Errors>({});
  const [top, setTop] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function whole(raw: string, min: number, max: number, key: string, found: Errors): number {
    const n = parseWhole(raw);
    if (n === null || n < min || n > max) found[key] = raw.trim() ? t.range(min, max) : t.required;
    return n ?? 0;
  }

  async function submit(event: Event) {
    event.preventDefault();
    const found: Errors = {};
    if (!name.trim()) found.name = t.required;
    const names = levels.map((l) => l.trim());
    names.forEach((l, i) => {
      if (!l) found[`level${i}`] = t.required;
      else if (names.indexOf(l) !== i) found[`level${i}`] = t.duplicate;
    });
    const freeze = whole(freezeDays, 0, 90, 'freezeDays', found);
    const rebind = policy === 'rebind' ? whole(rebindDays, 1, 3650, 'rebindDays', found) : undefined;
    setErrors(found);
    setTop(null);
    const first = Object.keys(found)[0];
    if (first) {
      document.getElementById(`${prefix}${first}`)?.focus();
      return;
    }
    setBusy(true);
    const res = await call<Settings>('/brand/setup', {
      method: 'POST',
      body: {
        name: name.trim(),
        ...(sealText.trim() ? { sealText: sealText.trim() } : {}),
        levels: names.map((n) => ({ name: n })),
        stockModel: model,
        freezeDays: freeze,
        bindingPolicy: policy,
        ...(rebind !== undefined ? { rebindDays: rebind } : {}),
      },
    });
    setBusy(false);
    if (res.ok) {
      onDone(res.data);
      return;
    }
    const field = res.error.field;
    if (field && ['name', 'sealText', 'freezeDays', 'rebindDays'].includes(field)) {
      setErrors({ [field]: fieldText(res.error) });
      document.getElementById(`${prefix}${field}`)?.focus();
    } else setTop(res.error.message);
  }

  return (
    <section class="ad-setup">
      <form class="card" onSubmit={submit} noValidate aria-labelledby="ad-setup-title" aria-busy={busy}>
        <h2 id="ad-setup-title">{t.title}</h2>
        <p class="muted">{t.intro}</p>
        <Alert message={top} />
        <TextField
          id={`${prefix}name`}
          label={t.name}
          error={errors.name}
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          maxLength={40}
          required
        />
        <TextField
          id={`${prefix}sealText`}
          label={t.sealText}
          hint={t.sealHint}
          error={errors.sealText}
          value={sealText}
          onInput={(e) => setSealText(e.currentTarget.value)}
          maxLength={24}
        />
        <fieldset class="field ad-setup-levels">
          <legend>{t.levels}</legend>
          <p class="hint">{t.levelsHint}</p>
          {levels.map((value, i) => (
            <div class="ad-setup-level" key={i}>
              <TextField
                id={`${prefix}level${i}`}
                label={t.level(i + 1)}
                error={errors[`level${i}`]}
                value={value}
                onInput={(e) => {
                  const next = e.currentTarget.value;
                  setLevels((all) => all.map((l, j) => (j === i ? next : l)));
                }}
                maxLength={12}
                required
              />
              {levels.length > 1 && i === levels.length - 1 ? (
                <button
                  type="button"
                  class="btn secondary ad-btn"
                  onClick={() => setLevels((all) => all.slice(0, -1))}
                  aria-label={t.remove(i + 1)}
                >
                  ×
                </button>
              ) : null}
            </div>
          ))}
          {levels.length < MAX_LEVELS ? (
            <button type="button" class="btn secondary ad-btn" onClick={() => setLevels((all) => [...all, ''])}>
              {t.add}
            </button>
          ) : null}
        </fieldset>
        <RadioGroup
          name={`${prefix}stockModel`}
          legend={t.stockModel}
          value={model}
          onChange={setModel}
          options={(['direct', 'cloud'] as const).map((m) => ({ value: m, label: stockModel[lang][m] }))}
        />
        <RadioGroup
          name={`${prefix}bindingPolicy`}
          legend={t.bindingPolicy}
          value={policy}
          onChange={setPolicy}
          options={(['permanent', 'rebind'] as const).map((m) => ({ value: m, label: bindingPolicy[lang][m] }))}
        />
        {policy === 'rebind' ? (
          <TextField
            id={`${prefix}rebindDays`}
            label={t.rebindDays}
            hint={t.rebindHint}
            error={errors.rebindDays}
            value={rebindDays}
            onInput={(e) => setRebindDays(e.currentTarget.value)}
            inputMode="numeric"
            maxLength={4}
          />
        ) : null}
        <TextField
          id={`${prefix}freezeDays`}
          label={t.freezeDays}
          hint={t.freezeHint}
          error={errors.freezeDays}
          value={freezeDays}
          onInput={(e) => setFreezeDays(e.currentTarget.value)}
          inputMode="numeric"
          maxLength={2}
        />
        <button class="btn ad-btn" type="submit" disabled={busy}>
          {busy ? t.busy : t.submit}
        </button>
      </form>
    </section>
  );
}
