import type { AgentStatus } from './types';

export interface ChainLink {
  id: string;
  level: number;
  status: AgentStatus;
}

// The agent (or brand, null) who supplies a new agent of `level`: the nearest active agent, starting with the
// recruiter and going up its supply chain, whose level is strictly higher (smaller rank). Suspended and revoked
// agents are passed over, as settlement passes over them.
export function placeSupplier(recruiterAndAbove: readonly ChainLink[], level: number): string | null {
  for (const link of recruiterAndAbove) {
    if (link.status === 'active' && link.level < level) return link.id;
  }
  return null;
}

export interface LevelChange {
  supplierId: string | null;
  // Agents that were above the agent and no longer are: its whole subtree leaves their teams.
  leftAncestorIds: string[];
}

// After an agent's level changes: it keeps its supplier while that supplier is still strictly higher;
// otherwise the nearest strictly-higher active agent up the chain (or the brand) supplies it.
// `above` is the current supply chain, nearest first.
export function supplierAfterLevelChange(above: readonly ChainLink[], newLevel: number): LevelChange {
  const current = above[0];
  if (!current || current.level < newLevel) return { supplierId: current?.id ?? null, leftAncestorIds: [] };
  const index = above.findIndex((link) => link.status === 'active' && link.level < newLevel);
  const kept = index === -1 ? above.length : index;
  return {
    supplierId: index === -1 ? null : (above[index]?.id ?? null),
    leftAncestorIds: above.slice(0, kept).map((l) => l.id),
  };
}

// A lower level is allowed only while every direct downline stays strictly below it.
export function downgradeBlockedBy(newLevel: number, highestDirectDownlineLevel: number | null): boolean {
  return highestDirectDownlineLevel !== null && highestDirectDownlineLevel <= newLevel;
}
