import { useState } from 'preact/hooks';
import { SelectField, TextField } from '../../components/Field';
import type { AdminContext } from './context';
import { call, fieldText, seg } from './http';
import type { AgentDetail } from './types';

type StatusAction = 'suspend' | 'resume' | 'revoke';

const text = {
  zh: {
    title: '管理操作',
    levelTitle: '调整等级',
    newLevel: '新等级',
    current: '（当前）',
    levelReason: '调整原因',
    levelHint: '升级后，若等级不低于原上级，将自动改挂到更高一级的上级，团队随之移动。',
    upgrade: '升级',
    downgrade: '降级',
    pickLevel: '升级/降级',
    statusTitle: '授权状态',
    suspend: '暂停',
    resume: '恢复',
    revoke: '撤销',
    reasons: { suspend: '暂停原因', resume: '恢复原因', revoke: '撤销原因' } as Record<StatusAction, string>,
    hints: {
      suspend: '暂停（停货）期间不能进货，店铺关闭，也不产生收益；可随时恢复。',
      resume: '恢复后可以正常进货、开店和获得收益。',
      revoke: '',
    } as Record<StatusAction, string>,
    confirm: { suspend: '确认暂停', resume: '确认恢复', revoke: '确认撤销' } as Record<StatusAction, string>,
    revokeWarning: (name: string) =>
      `撤销是最终操作，不能恢复：${name} 的授权书失效、登录被注销，其直属下级转给其供货上级。`,
    cancel: '取消',
    busy: '处理中…',
    required: '请填写原因',
    revoked: '该代理已撤销，不能再操作。',
    done: {
      upgrade: (level: string) => `已升级为${level}。`,
      downgrade: (level: string) => `已降级为${level}。`,
      suspend: '已暂停该代理。',
      resume: '已恢复该代理。',
      revoke: '已撤销该代理的授权。',
    },
  },
  en: {
    title: 'Actions',
    levelTitle: 'Change level',
    newLevel: 'New level',
    current: ' (current)',
    levelReason: 'Reason for the change',
    levelHint:
      'After an upgrade to or above its supplier’s level, the agent and its team move under the next higher agent.',
    upgrade: 'Upgrade',
    downgrade: 'Downgrade',
    pickLevel: 'Upgrade/Downgrade',
    statusTitle: 'Authorization',
    suspend: 'Suspend',
    resume: 'Resume',
    revoke: 'Revoke',
    reasons: {
      suspend: 'Reason for suspending',
      resume: 'Reason for resuming',
      revoke: 'Reason for revoking',
    } as Record<StatusAction, string>,
    hints: {
      suspend: 'While suspended the agent cannot restock, its shop is closed and it earns nothing; resume any time.',
      resume: 'The agent can restock, sell and earn again.',
      revoke: '',
    } as Record<StatusAction, string>,
    confirm: {
      suspend: 'Confirm suspension',
      resume: 'Confirm resumption',
      revoke: 'Confirm revocation',
    } as Record<StatusAction, string>,
    revokeWarning: (name: string) =>
      `Revoking is final: ${name}’s certificate ends, its sessions are signed out and its direct downline moves to its supplier.`,
    cancel: 'Cancel',
    busy: 'Working…',
    required: 'Enter a reason',
    revoked: 'This agent is revoked; nothing more can be done.',
    done: {
      upgrade: (level: string) => `Upgraded to ${level}.`,
      downgrade: (level: string) => `Downgraded to ${level}.`,
      suspend: 'The agent is suspended.',
      resume: 'The agent is resumed.',
      revoke: 'The agent’s authorization is revoked.',
    },
  },
};

function LevelForm({
  ctx,
  agent,
  onChanged,
}: {
  ctx: AdminContext;
  agent: AgentDetail;
  onChanged: (agent: AgentDetail, message: string) => void;
}) {
  const t = text[ctx.lang];
  const [level, setLevel] = useState(String(agent.level));
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ level?: string; reason?: string; top?: string }>({});
  const [busy, setBusy] = useState(false);
  const target = Number(level);
  const direction = target < agent.level ? 'upgrade' : target > agent.level ? 'downgrade' : null;

  async function submit(event: Event) {
    event.preventDefault();
    if (!direction) return;
    if (!reason.trim()) {
      setErrors({ reason: t.required });
      document.getElementById('ad-level-reason')?.focus();
      return;
    }
    setBusy(true);
    setErrors({});
    const res = await call<AgentDetail>(`/agents/${seg(agent.id)}/level`, {
      method: 'POST',
      body: { level: target, reason: reason.trim() },
    });
    setBusy(false);
    if (res.ok) {
      setReason('');
      onChanged(res.data, t.done[direction](res.data.levelName));
      return;
    }
    if (res.error.field === 'level' || res.error.field === 'reason') {
      setErrors({ [res.error.field]: fieldText(res.error) });
      document.getElementById(`ad-level-${res.error.field === 'level' ? 'new' : 'reason'}`)?.focus();
    } else setErrors({ top: res.error.message });
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="ad-level-title" class="ad-subform">
      <h4 id="ad-level-title">{t.levelTitle}</h4>
      {errors.top ? (
        <p class="alert" role="alert">
          {errors.top}
        </p>
      ) : null}
      <SelectField
        id="ad-level-new"
        label={t.newLevel}
        hint={t.levelHint}
        error={errors.level}
        value={level}
        onChange={(e) => setLevel(e.currentTarget.value)}
      >
        {ctx.settings.levels.map((l) => (
          <option key={l.rank} value={String(l.rank)}>
            {l.rank} · {l.name}
            {l.rank === agent.level ? t.current : ''}
          </option>
        ))}
      </SelectField>
      <TextField
        id="ad-level-reason"
        label={t.levelReason}
        error={errors.reason}
        value={reason}
        onInput={(e) => setReason(e.currentTarget.value)}
        maxLength={200}
      />
      <button class="btn ad-btn" type="submit" disabled={busy || !direction}>
        {busy ? t.busy : direction ? t[direction] : t.pickLevel}
      </button>
    </form>
  );
}

function StatusForm({
  ctx,
  agent,
  onChanged,
}: {
  ctx: AdminContext;
  agent: AgentDetail;
  onChanged: (agent: AgentDetail, message: string) => void;
}) {
  const t = text[ctx.lang];
  const [open, setOpen] = useState<StatusAction | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const reasonId = 'ad-status-reason';

  function start(action: StatusAction) {
    setOpen(action);
    setReason('');
    setError(undefined);
    requestAnimationFrame(() => document.getElementById(reasonId)?.focus());
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (!open) return;
    if (!reason.trim()) {
      setError(t.required);
      document.getElementById(reasonId)?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    const res = await call<AgentDetail>(`/agents/${seg(agent.id)}/${open}`, {
      method: 'POST',
      body: { reason: reason.trim() },
    });
    setBusy(false);
    if (res.ok) {
      const done = open;
      setOpen(null);
      onChanged(res.data, t.done[done]);
    } else setError(res.error.field === 'reason' ? fieldText(res.error) : res.error.message);
  }

  return (
    <section class="ad-subform" aria-labelledby="ad-status-title">
      <h4 id="ad-status-title">{t.statusTitle}</h4>
      {open ? (
        <form onSubmit={submit} noValidate>
          {open === 'revoke' ? (
            <p class="alert" role="alert">
              {t.revokeWarning(agent.name)}
            </p>
          ) : null}
          <TextField
            id={reasonId}
            label={t.reasons[open]}
            hint={t.hints[open] || undefined}
            error={error}
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
            maxLength={200}
          />
          <div class="ad-actions">
            <button class={`btn ad-btn${open === 'revoke' ? ' ad-danger' : ''}`} type="submit" disabled={busy}>
              {busy ? t.busy : t.confirm[open]}
            </button>
            <button class="btn secondary ad-btn" type="button" onClick={() => setOpen(null)} disabled={busy}>
              {t.cancel}
            </button>
          </div>
        </form>
      ) : (
        <div class="ad-actions">
          {agent.status === 'active' ? (
            <button class="btn secondary ad-btn" type="button" onClick={() => start('suspend')}>
              {t.suspend}
            </button>
          ) : null}
          {agent.status === 'suspended' ? (
            <button class="btn secondary ad-btn" type="button" onClick={() => start('resume')}>
              {t.resume}
            </button>
          ) : null}
          <button class="btn secondary ad-btn ad-danger-outline" type="button" onClick={() => start('revoke')}>
            {t.revoke}
          </button>
        </div>
      )}
    </section>
  );
}

/** 升级/降级 with a reason; 暂停, 恢复 and 撤销 each with a reason, the last with a warning before it is final. */
export function AgentActions({
  ctx,
  agent,
  onChanged,
}: {
  ctx: AdminContext;
  agent: AgentDetail;
  onChanged: (agent: AgentDetail, message: string) => void;
}) {
  const t = text[ctx.lang];
  return (
    <section class="card" aria-labelledby="ad-agent-actions">
      <h3 id="ad-agent-actions">{t.title}</h3>
      {agent.status === 'revoked' ? (
        <p class="muted">{t.revoked}</p>
      ) : (
        <>
          <LevelForm key={agent.level} ctx={ctx} agent={agent} onChanged={onChanged} />
          <StatusForm key={agent.status} ctx={ctx} agent={agent} onChanged={onChanged} />
        </>
      )}
    </section>
  );
}
