// Types of invariants.mjs for the TypeScript that imports it (the seeded simulation).
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
}

export function checkDatabase(db: D1Like, expected: Expectations): Promise<Violation[]>;
