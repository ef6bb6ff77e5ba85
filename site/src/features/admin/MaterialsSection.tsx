import { useState } from 'preact/hooks';
import { useConfirm } from '../../components/ConfirmDialog';
import { Alert } from '../../components/Field';
import { PagedList } from '../../components/PagedList';
import { formatDateTime } from '../../lib/dates';
import { usePaged } from '../../lib/paged';
import type { AdminContext } from './context';
import { call, seg } from './http';
import { type Material, MaterialForm } from './MaterialForm';
import { Toast, useNotice } from './notice';
import type { Page } from './types';

const text = {
  zh: {
    title: '素材库',
    lead: '为代理准备朋友圈文案和配图，代理在控制台「分享」里一键复制文案、保存图片。置顶的素材排在最前。',
    create: '新建素材',
    list: '全部素材',
    empty: '还没有素材。',
    pinned: '置顶',
    posted: (at: string) => `发布于 ${at}`,
    edited: (at: string) => `修改于 ${at}`,
    pictures: (n: number) => `${n} 张配图`,
    picture: (title: string, n: number) => `${title}的配图 ${n}`,
    edit: '编辑',
    pin: '置顶',
    unpin: '取消置顶',
    remove: '删除',
    confirmRemove: (title: string) => `删除素材「${title}」？代理将不再看到它，已复制的文案不受影响。`,
    created: (title: string) => `素材「${title}」已发布`,
    saved: (title: string) => `素材「${title}」已保存`,
    nowPinned: (title: string) => `素材「${title}」已置顶`,
    nowUnpinned: (title: string) => `素材「${title}」已取消置顶`,
    removed: (title: string) => `素材「${title}」已删除`,
  },
  en: {
    title: 'Material library',
    lead: 'Moments copy and pictures for agents: they copy the text and save the pictures under Share in their console. Pinned ones come first.',
    create: 'New material',
    list: 'All materials',
    empty: 'No materials yet.',
    pinned: 'Pinned',
    posted: (at: string) => `Posted ${at}`,
    edited: (at: string) => `Edited ${at}`,
    pictures: (n: number) => `${n} picture${n === 1 ? '' : 's'}`,
    picture: (title: string, n: number) => `${title}, picture ${n}`,
    edit: 'Edit',
    pin: 'Pin',
    unpin: 'Unpin',
    remove: 'Delete',
    confirmRemove: (title: string) => `Delete “${title}”? Agents will no longer see it.`,
    created: (title: string) => `“${title}” posted`,
    saved: (title: string) => `“${title}” saved`,
    nowPinned: (title: string) => `“${title}” pinned`,
    nowUnpinned: (title: string) => `“${title}” unpinned`,
    removed: (title: string) => `“${title}” deleted`,
  },
};

type Editing = { kind: 'none' } | { kind: 'new' } | { kind: 'edit'; material: Material };

/** 素材库 (brand): the Moments copy and pictures agents copy from their console; add, edit, pin and delete. */
export function MaterialsSection({ ctx }: { ctx: AdminContext }) {
  const t = text[ctx.lang];
  const [editing, setEditing] = useState<Editing>({ kind: 'none' });
  const [busy, setBusy] = useState<string | null>(null);
  const [rowError, setRowError] = useState<{ id: string; message: string } | null>(null);
  const [notice, setNotice] = useNotice();
  const { ask, dialog } = useConfirm(ctx.lang);
  const paged = usePaged((cursor) => call<Page<Material>>('/materials', { query: { cursor, limit: 20 } }), 'all');

  function open(next: Editing) {
    setEditing(next);
    setNotice(null);
    requestAnimationFrame(() => document.getElementById('ad-mat-form-title')?.scrollIntoView({ block: 'start' }));
  }

  // Pinning and posting change where items sit, so the list is read again from its top.
  function saved(material: Material) {
    setNotice(editing.kind === 'new' ? t.created(material.title) : t.saved(material.title));
    setEditing({ kind: 'none' });
    paged.reload();
  }

  async function act(m: Material, action: 'pin' | 'unpin' | 'remove') {
    if (action === 'remove' && !(await ask(t.confirmRemove(m.title), t.remove, true))) return;
    setBusy(m.id);
    setRowError(null);
    const res =
      action === 'remove'
        ? await call<null>(`/materials/${seg(m.id)}`, { method: 'DELETE' })
        : await call<Material>(`/materials/${seg(m.id)}`, { method: 'PATCH', body: { pinned: action === 'pin' } });
    setBusy(null);
    if (!res.ok) return setRowError({ id: m.id, message: res.error.message });
    const done = { pin: t.nowPinned, unpin: t.nowUnpinned, remove: t.removed }[action];
    setNotice(done(m.title));
    if (action === 'remove') paged.edit((items) => items.filter((x) => x.id !== m.id));
    else paged.reload();
  }

  return (
    <section aria-labelledby="ad-materials">
      <div class="ad-head">
        <h2 id="ad-materials" class="ad-title">
          {t.title}
        </h2>
        {editing.kind === 'none' ? (
          <button class="btn ad-btn" type="button" onClick={() => open({ kind: 'new' })}>
            {t.create}
          </button>
        ) : null}
      </div>
      <p class="muted">{t.lead}</p>
      <Toast message={notice} />
      {editing.kind !== 'none' ? (
        <MaterialForm
          key={editing.kind === 'edit' ? editing.material.id : 'new'}
          ctx={ctx}
          material={editing.kind === 'edit' ? editing.material : null}
          onSaved={saved}
          onCancel={() => setEditing({ kind: 'none' })}
        />
      ) : null}
      <div class="card">
        <PagedList paged={paged} lang={ctx.lang} empty={t.empty} tally>
          {(items) => (
            <ul class="ad-list ad-cards" aria-label={t.list}>
              {items.map((m) => (
                <li key={m.id} class="ad-item" data-testid={`material-${m.id}`}>
                  <div class="ad-head">
                    <strong>{m.title}</strong>
                    {m.pinned ? <span class="badge ad-info">{t.pinned}</span> : null}
                  </div>
                  <p class="ad-material-body">{m.body}</p>
                  {m.images.length > 0 ? (
                    <ul class="picture-list" aria-label={t.pictures(m.images.length)}>
                      {m.images.map((src, i) => (
                        <li key={src}>
                          <img src={src} alt={t.picture(m.title, i + 1)} width={72} height={72} loading="lazy" />
                        </li>
                      ))}
                    </ul>
                  ) : null}
                  <p class="muted ad-meta">
                    {m.updatedAt ? t.edited(formatDateTime(m.updatedAt)) : t.posted(formatDateTime(m.createdAt))}
                  </p>
                  {rowError?.id === m.id ? <Alert message={rowError.message} /> : null}
                  <div class="ad-row-actions">
                    <button class="ad-link" type="button" onClick={() => open({ kind: 'edit', material: m })}>
                      {t.edit}
                    </button>
                    <button
                      class="ad-link"
                      type="button"
                      disabled={busy === m.id}
                      onClick={() => act(m, m.pinned ? 'unpin' : 'pin')}
                    >
                      {m.pinned ? t.unpin : t.pin}
                    </button>
                    <button class="ad-link" type="button" disabled={busy === m.id} onClick={() => act(m, 'remove')}>
                      {t.remove}
                    </button>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </PagedList>
      </div>
      {dialog}
    </section>
  );
}
