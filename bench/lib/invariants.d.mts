// Types of invariants.mjs for the TypeScript that imports it (the seeded simulation).
import type { IncentiveExpectations } from './incentive-invariants.mjs';

export interface Violation {
  name: string;
  detail: string;
}

export interface D1Like {
  prepare(sql: string): { bind(...values: unknown[]): unknown };
  batch(statements: never[]): Promise<{ results?: unknown[] }[]>;
}

export interface Expectations {
  injected: Map<string, number>;
  codes: { code: string; serial: number; agentId: string | null; verifications: number }[];
  // The rule changes and gifts the caller made; without them the stored rules are taken as always in force.
  incentives?: IncentiveExpectations;
}

export function checkDatabase(
  db: D1Like,
  expected: Expectations,
  tables?: (sql: string) => string,
): Promise<Violation[]>;
