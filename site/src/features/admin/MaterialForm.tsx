import { useState } from 'preact/hooks';
import { Alert, TextField } from '../../components/Field';
import { PictureList } from '../../components/PictureList';
import type { AdminContext } from './context';
import { TextAreaField } from './fields';
import { call, fieldText, seg } from './http';

/** GET /api/materials item. */
export interface Material {
  id: string;
  title: string;
  body: string;
  images: string[];
  pinned: boolean;
  createdAt: number;
  updatedAt: number | null;
}

const prefix = 'ad-mat-';
const text = {
  zh: {
    create: '新建素材',
    edit: '编辑素材',
    title: '标题',
    titleHint: '代理在素材库里看到的标题（不超过 60 字）',
    body: '朋友圈文案',
    bodyHint: '代理一键复制的文案（不超过 1000 字）。不能以奖励诱导分享，如“转发有礼”“集赞送”。',
    images: '配图',
    addImage: '上传配图',
    imageAlt: (n: number) => `配图 ${n}`,
    remove: '移除',
    removeImage: (n: number) => `移除配图 ${n}`,
    pinned: '置顶（排在素材库最前）',
    blankTitle: '请填写标题',
    blankBody: '请填写文案',
    save: '保存素材',
    busy: '保存中…',
    cancel: '取消',
  },
  en: {
    create: 'New material',
    edit: 'Edit material',
    title: 'Title',
    titleHint: 'What agents see in the library (up to 60 characters)',
    body: 'Moments copy',
    bodyHint: 'The text agents copy in one tap (up to 1000 characters). No reward for sharing, liking or forwarding.',
    images: 'Pictures',
    addImage: 'Upload a picture',
    imageAlt: (n: number) => `Picture ${n}`,
    remove: 'Remove',
    removeImage: (n: number) => `Remove picture ${n}`,
    pinned: 'Pinned (first in the library)',
    blankTitle: 'Enter a title',
    blankBody: 'Enter the copy',
    save: 'Save material',
    busy: 'Saving…',
    cancel: 'Cancel',
  },
};

type Errors = Partial<Record<'title' | 'body' | 'images' | 'top', string>>;

/** Adds or edits one 素材: title, Moments copy, pictures uploaded to R2 through /api/uploads, pinned or not. */
export function MaterialForm({
  ctx,
  material,
  onSaved,
  onCancel,
}: {
  ctx: AdminContext;
  material: Material | null;
  onSaved: (m: Material) => void;
  onCancel: () => void;
}) {
  const t = text[ctx.lang];
  const [values, setValues] = useState({
    title: material?.title ?? '',
    body: material?.body ?? '',
    images: material?.images ?? [],
    pinned: material?.pinned ?? false,
  });
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  function fail(found: Errors) {
    setErrors(found);
    const first = (['title', 'body', 'images'] as const).find((k) => found[k]);
    if (first) document.getElementById(`${prefix}${first}`)?.focus();
  }

  async function submit(event: Event) {
    event.preventDefault();
    const found: Errors = {};
    if (!values.title.trim()) found.title = t.blankTitle;
    if (!values.body.trim()) found.body = t.blankBody;
    if (Object.keys(found).length > 0) return fail(found);
    setBusy(true);
    // Sending pinned again would move a pinned one back to the top: only a change is sent.
    const { pinned, ...copy } = values;
    const res = material
      ? await call<Material>(`/materials/${seg(material.id)}`, {
          method: 'PATCH',
          body: pinned === material.pinned ? copy : values,
        })
      : await call<Material>('/materials', { method: 'POST', body: values });
    setBusy(false);
    if (res.ok) return onSaved(res.data);
    // A picture's error names "images.<i>".
    const field = res.error.field?.startsWith('images') ? 'images' : res.error.field;
    if (field === 'title' || field === 'body' || field === 'images') fail({ [field]: fieldText(res.error) });
    else setErrors({ top: res.error.message });
  }

  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="ad-mat-form-title" aria-busy={busy}>
      <h3 id="ad-mat-form-title">{material ? t.edit : t.create}</h3>
      <Alert message={errors.top ?? null} />
      <TextField
        id={`${prefix}title`}
        label={t.title}
        hint={t.titleHint}
        error={errors.title}
        value={values.title}
        maxLength={60}
        onInput={(e) => {
          const title = e.currentTarget.value;
          setValues((v) => ({ ...v, title }));
        }}
      />
      <TextAreaField
        id={`${prefix}body`}
        label={t.body}
        hint={t.bodyHint}
        error={errors.body}
        value={values.body}
        maxLength={1000}
        rows={5}
        onInput={(e) => {
          const body = e.currentTarget.value;
          setValues((v) => ({ ...v, body }));
        }}
      />
      <PictureList
        id={`${prefix}images`}
        images={values.images}
        onChange={(change) => setValues((v) => ({ ...v, images: change(v.images) }))}
        text={t}
        lang={ctx.lang}
        error={errors.images}
      />
      <label class="ad-check">
        <input
          type="checkbox"
          checked={values.pinned}
          onChange={(e) => {
            const pinned = e.currentTarget.checked;
            setValues((v) => ({ ...v, pinned }));
          }}
        />
        {t.pinned}
      </label>
      <div class="ad-actions">
        <button class="btn ad-btn" type="submit" disabled={busy}>
          {busy ? t.busy : t.save}
        </button>
        <button class="btn secondary ad-btn" type="button" onClick={onCancel} disabled={busy}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}
