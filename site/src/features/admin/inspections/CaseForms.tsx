import { useState } from 'preact/hooks';
import { useConfirm } from '../../../components/ConfirmDialog';
import { Alert, TextField } from '../../../components/Field';
import { formatFen } from '../../../lib/money';
import type { AdminContext } from '../context';
import { RadioGroup } from '../fields';
import { call, fieldText, seg } from '../http';
import { parseYuanToFen } from '../yuan';
import type { Action, Case, CaseAgent } from './types';
import { labels, text } from './wording';

const FINE_MAX_FEN = 10_000_000;

type ActionErrors = { action?: string; reason?: string; fineFen?: string; top?: string };

/** The decision on an open case: dismiss, warn, fine (in yuan), stop supply or revoke, with a reason. */
export function ActionForm({ ctx, item, onDone }: { ctx: AdminContext; item: Case; onDone: (next: Case) => void }) {
  const t = text[ctx.lang];
  const l = labels[ctx.lang];
  const [action, setAction] = useState<Action>(item.allowedActions[0] ?? 'dismiss');
  const [reason, setReason] = useState('');
  const [fine, setFine] = useState('');
  const [errors, setErrors] = useState<ActionErrors>({});
  const [busy, setBusy] = useState(false);
  const { ask, dialog } = useConfirm(ctx.lang);

  function fail(next: ActionErrors) {
    setErrors(next);
    const field = next.reason ? 'ad-ins-reason' : next.fineFen ? 'ad-ins-fine' : next.action ? 'ad-ins-action' : null;
    if (field) document.getElementById(field)?.focus();
  }

  async function submit(event: Event) {
    event.preventDefault();
    const fineFen = action === 'fine' ? parseYuanToFen(fine) : null;
    if (reason.trim().length < 2) return fail({ reason: t.needReason });
    if (action === 'fine' && (fineFen === null || fineFen < 1 || fineFen > FINE_MAX_FEN))
      return fail({ fineFen: t.badFine });
    // A fine, a supply stop and a revoke reach the agent at once: each is confirmed first.
    const question =
      action === 'fine' && fineFen !== null
        ? t.confirmFine(item.agent.name, formatFen(fineFen))
        : action === 'stop_supply'
          ? t.confirmStop(item.agent.name)
          : action === 'revoke'
            ? t.confirmRevoke(item.agent.name)
            : null;
    if (question && !(await ask(question, t.submit(l.action[action]), true))) return;
    setBusy(true);
    setErrors({});
    const res = await call<Case>(`/brand/inspections/${seg(item.id)}/actions`, {
      method: 'POST',
      body: { action, reason: reason.trim(), ...(fineFen !== null ? { fineFen } : {}) },
    });
    setBusy(false);
    if (res.ok) return onDone(res.data);
    const field = res.error.field;
    if (field === 'action' || field === 'reason' || field === 'fineFen') fail({ [field]: fieldText(res.error) });
    else fail({ top: res.error.message });
  }

  return (
    <form onSubmit={submit} noValidate class="card" aria-labelledby="ad-ins-act">
      <h3 id="ad-ins-act">{t.act}</h3>
      <Alert message={errors.top} />
      <RadioGroup
        name="ad-ins-action"
        legend={t.actLegend}
        value={action}
        onChange={(next) => {
          setAction(next);
          setErrors({});
        }}
        error={errors.action}
        options={item.allowedActions.map((a) => ({ value: a, label: l.action[a], hint: l.actionHint[a] }))}
      />
      {action === 'fine' ? (
        <TextField
          id="ad-ins-fine"
          label={t.fineAmount}
          hint={t.fineHint}
          error={errors.fineFen}
          value={fine}
          onInput={(e) => setFine(e.currentTarget.value)}
          inputMode="decimal"
          autocomplete="off"
          maxLength={16}
        />
      ) : null}
      <TextField
        id="ad-ins-reason"
        label={t.reason}
        hint={t.reasonHint}
        error={errors.reason}
        value={reason}
        onInput={(e) => setReason(e.currentTarget.value)}
        maxLength={200}
      />
      <button
        class={`btn ad-btn${action === 'revoke' || action === 'stop_supply' ? ' ad-danger' : ''}`}
        type="submit"
        disabled={busy}
      >
        {busy ? t.busy : t.submit(l.action[action])}
      </button>
      {dialog}
    </form>
  );
}

/** Stops or resumes the agent's supply outside a case. */
export function SupplyForm({
  ctx,
  agent,
  onDone,
}: {
  ctx: AdminContext;
  agent: CaseAgent;
  onDone: (a: CaseAgent) => void;
}) {
  const t = text[ctx.lang];
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [top, setTop] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const stopping = !agent.supplyStopped;

  async function submit(event: Event) {
    event.preventDefault();
    if (reason.trim().length < 2) {
      setError(t.needReason);
      document.getElementById('ad-supply-reason')?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    setTop(null);
    const res = await call<CaseAgent>(`/brand/agents/${seg(agent.id)}/supply`, {
      method: 'POST',
      body: { stopped: stopping, reason: reason.trim() },
    });
    setBusy(false);
    if (res.ok) {
      setReason('');
      onDone(res.data);
    } else if (res.error.field === 'reason') setError(fieldText(res.error));
    else setTop(res.error.message);
  }

  return (
    <form onSubmit={submit} noValidate class="ad-subform" aria-labelledby="ad-supply-title">
      <h4 id="ad-supply-title">{t.supplyTitle}</h4>
      <p class="muted">{t.supplyLead}</p>
      <Alert message={top} />
      <TextField
        id="ad-supply-reason"
        label={t.supplyReason}
        error={error}
        value={reason}
        onInput={(e) => setReason(e.currentTarget.value)}
        maxLength={200}
      />
      <button class={`btn ad-btn${stopping ? ' ad-danger' : ''}`} type="submit" disabled={busy}>
        {busy ? t.busy : stopping ? t.stop : t.resume}
      </button>
    </form>
  );
}
