import { useState } from 'preact/hooks';
import { Alert, SelectField, TextField } from '../../components/Field';
import type { AdminContext } from './context';
import { call, fieldText } from './http';
import { type BrandTheme, brandThemes, type Settings } from './types';

const prefix = 'ad-face-';
const text = {
  zh: {
    title: '店铺外观',
    lead: '顾客看到的小店、下单和查询页面显示品牌名称、标志和主题色。',
    logo: '品牌标志图片地址',
    logoHint: 'https:// 开头的图片地址或本站路径，留空则不显示',
    theme: '主题色',
    themes: {
      teal: '青绿',
      red: '中国红',
      rose: '玫红',
      orange: '橙色',
      gold: '金色',
      green: '绿色',
      blue: '蓝色',
      purple: '紫色',
      black: '黑色',
    } as Record<BrandTheme, string>,
    save: '保存外观',
    busy: '保存中…',
    saved: '店铺外观已保存。',
    unchanged: '没有需要保存的更改。',
  },
  en: {
    title: 'Shop look',
    lead: 'Consumer pages (shop, ordering, lookups) show the brand’s name, logo and colour.',
    logo: 'Brand logo image URL',
    logoHint: 'An https:// image URL or a path on this site; empty for none',
    theme: 'Colour',
    themes: {
      teal: 'Teal',
      red: 'Red',
      rose: 'Rose',
      orange: 'Orange',
      gold: 'Gold',
      green: 'Green',
      blue: 'Blue',
      purple: 'Purple',
      black: 'Black',
    } as Record<BrandTheme, string>,
    save: 'Save the look',
    busy: 'Saving…',
    saved: 'Shop look saved.',
    unchanged: 'Nothing to save.',
  },
};

/** 店铺外观: the logo and theme consumer pages wear (worker/lib/brandFace.ts writes them in). */
export function BrandFaceForm({ ctx, onSaved }: { ctx: AdminContext; onSaved: (message: string) => void }) {
  const t = text[ctx.lang];
  const [logoUrl, setLogoUrl] = useState(ctx.settings.logoUrl);
  const [theme, setTheme] = useState<BrandTheme>(ctx.settings.theme);
  const [errors, setErrors] = useState<{ logoUrl?: string; theme?: string; top?: string }>({});
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const next = { logoUrl: logoUrl.trim(), theme };
    const patch = Object.fromEntries(
      Object.entries(next).filter(([k, v]) => ctx.settings[k as keyof typeof next] !== v),
    );
    if (Object.keys(patch).length === 0) {
      onSaved(t.unchanged);
      return;
    }
    setBusy(true);
    const res = await call<Settings>('/brand/settings', { method: 'PATCH', body: patch });
    setBusy(false);
    if (res.ok) {
      ctx.setSettings(res.data);
      setErrors({});
      onSaved(t.saved);
      return;
    }
    const field = res.error.field;
    if (field === 'logoUrl' || field === 'theme') {
      setErrors({ [field]: fieldText(res.error) });
      document.getElementById(`${prefix}${field}`)?.focus();
    } else setErrors({ top: res.error.message });
  }

  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="ad-face-title" aria-busy={busy}>
      <h3 id="ad-face-title">{t.title}</h3>
      <p class="muted">{t.lead}</p>
      <Alert message={errors.top ?? null} />
      <TextField
        id={`${prefix}logoUrl`}
        label={t.logo}
        hint={t.logoHint}
        error={errors.logoUrl}
        value={logoUrl}
        onInput={(e) => setLogoUrl(e.currentTarget.value)}
        maxLength={500}
        inputMode="url"
      />
      <SelectField
        id={`${prefix}theme`}
        label={t.theme}
        error={errors.theme}
        value={theme}
        onChange={(e) => setTheme(e.currentTarget.value as BrandTheme)}
      >
        {brandThemes.map((th) => (
          <option key={th} value={th}>
            {t.themes[th]}
          </option>
        ))}
      </SelectField>
      <button class="btn ad-btn" type="submit" disabled={busy}>
        {busy ? t.busy : t.save}
      </button>
    </form>
  );
}
