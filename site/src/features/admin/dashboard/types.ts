export interface DayRow {
  day: string;
  orders: number;
  salesFen: number;
  newAgents: number;
  newMembers: number;
}

export interface BreakdownRow {
  key: string;
  label: string;
  salesFen: number;
  units: number;
}

export interface BoardAgentRow {
  rank: number;
  agentId: string;
  name: string;
  level: number;
  teamId: string;
  value: number;
}

export interface BoardTeamRow {
  rank: number;
  teamId: string;
  name: string;
  value: number;
  targetFen: number | null;
  progressBp: number | null;
}

export interface Buyers {
  buyers: number;
  repeaters: number;
  repeatRatePermille: number;
}

export type Metric = 'sales' | 'agents' | 'members';
