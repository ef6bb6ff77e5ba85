import { useEffect, useState } from 'preact/hooks';
import { call, seg } from './http';
import type { AgentDetail } from './types';

// Order rows carry agent ids only; each name is read once per visit and shared by every list that shows it.
const known = new Map<string, string>();
const asked = new Set<string>();
const listeners = new Set<() => void>();

function ask(ids: string[]) {
  const missing = ids.filter((id) => id && id !== 'brand' && !asked.has(id));
  for (const id of missing) asked.add(id);
  for (const id of missing) {
    call<AgentDetail>(`/agents/${seg(id)}`).then((res) => {
      if (res.ok) known.set(id, res.data.name);
      for (const listener of listeners) listener();
    });
  }
}

/** Names of the agents behind `ids`, filled in as they arrive ("brand" is not an agent and is skipped). */
export function useAgentNames(ids: readonly string[]): ReadonlyMap<string, string> {
  const [, setVersion] = useState(0);
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    const listener = () => setVersion((v) => v + 1);
    listeners.add(listener);
    ask(key.split(','));
    return () => {
      listeners.delete(listener);
    };
  }, [key]);
  return known;
}
