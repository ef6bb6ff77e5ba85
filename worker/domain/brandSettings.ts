// Pure rules for the brand row: what a fresh deployment starts with, what its setup writes, and what a patch changes.

export type StockModel = 'direct' | 'cloud';
export type BindingPolicy = 'permanent' | 'rebind';
/** The colour themes of consumer pages (site/src/styles/themes.css): a class, not inline style, under a strict CSP. */
export const BRAND_THEMES = ['teal', 'red', 'rose', 'orange', 'gold', 'green', 'blue', 'purple', 'black'] as const;
export type BrandTheme = (typeof BRAND_THEMES)[number];
/** The payout accounts a withdrawal can be paid to, in the order forms list them. */
export const PAYOUT_KINDS = ['wechat', 'alipay', 'bank'] as const;
export type PayoutKindName = (typeof PAYOUT_KINDS)[number];

export interface BrandSettings {
  name: string;
  sealText: string;
  stockModel: StockModel;
  freezeDays: number;
  bindingPolicy: BindingPolicy;
  rebindDays: number;
  withdrawMinFen: number;
  certValidDays: number;
  /** Minutes an unpaid order holds its units before the cron cancels it. */
  unpaidHoldMinutes: number;
  /** The most units one consumer order may take. */
  maxConsumerUnits: number;
  /** A logo (https URL or site path) on consumer pages, '' for none. */
  logoUrl: string;
  theme: BrandTheme;
  /** Approving a withdrawal pays it by WeChat Pay transfer (商家转账) when the agent's openid is known. */
  payoutTransfer: boolean;
  /** Days after shipment when an order its buyer has not confirmed completes by itself. */
  autoCompleteDays: number;
  /** How to pay the brand offline, shown to buyers whose payee is the brand. */
  payNote: string;
  /** Closed months older than this many move from D1 to the R2 archive. */
  archiveAfterMonths: number;
  /** The payout account kinds the brand pays withdrawals to (at least one). */
  payoutKinds: PayoutKindName[];
}

// What GET /api/brand/settings shows before the setup step, and what the setup fills in when it is not given.
export const DEFAULT_SETTINGS: BrandSettings = {
  name: '',
  sealText: '',
  stockModel: 'direct',
  freezeDays: 7,
  bindingPolicy: 'permanent',
  rebindDays: 90,
  withdrawMinFen: 10_000,
  certValidDays: 365,
  unpaidHoldMinutes: 30,
  maxConsumerUnits: 20,
  logoUrl: '',
  theme: 'teal',
  payoutTransfer: false,
  autoCompleteDays: 10,
  payNote: '',
  archiveAfterMonths: 6,
  payoutKinds: [...PAYOUT_KINDS],
};

export interface SetupInput {
  name: string;
  sealText?: string | undefined;
  levels: { name: string; firstOrderFen?: number | undefined }[];
  stockModel: StockModel;
  freezeDays: number;
  bindingPolicy: BindingPolicy;
  rebindDays?: number | undefined;
}

const SEAL_MAX = 24;

// The seal printed on certificates defaults to the brand's name with 授权专用章, cut to what the seal can hold.
export function defaultSealText(name: string): string {
  return [...`${name.trim()}授权专用章`].slice(0, SEAL_MAX).join('');
}

// The brand row and level rows the setup step writes; levels are ranked 1..N in the order given (1 is highest).
export function setupRows(input: SetupInput) {
  const settings: BrandSettings = {
    ...DEFAULT_SETTINGS,
    name: input.name,
    sealText: input.sealText ?? defaultSealText(input.name),
    stockModel: input.stockModel,
    freezeDays: input.freezeDays,
    bindingPolicy: input.bindingPolicy,
    rebindDays: input.rebindDays ?? DEFAULT_SETTINGS.rebindDays,
  };
  const levels = input.levels.map((l, i) => ({ rank: i + 1, name: l.name, firstOrderFen: l.firstOrderFen ?? 0 }));
  return { settings, levels };
}

// The first repeated name, or null: level names are unique.
export function duplicateName(names: readonly string[]): string | null {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return null;
}

export type SettingsChange = Partial<{ [K in keyof BrandSettings]: { from: BrandSettings[K]; to: BrandSettings[K] } }>;

// The fields a patch really changes, each with its old and new value; null when the patch changes nothing, so no
// write and no audit entry happen for it.
export function settingsChange(current: BrandSettings, patch: Partial<BrandSettings>): SettingsChange | null {
  const change: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(patch) as (keyof BrandSettings)[]) {
    const to = patch[key];
    if (to !== undefined && !same(to, current[key])) change[key] = { from: current[key], to };
  }
  return Object.keys(change).length > 0 ? (change as SettingsChange) : null;
}

// Settings are scalars or short lists (payoutKinds), so a list is equal when its items are, in order.
function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

/** Kinds in the order forms list them, each once: how payoutKinds is stored, so equal sets compare equal. */
export function canonicalKinds(kinds: readonly PayoutKindName[]): PayoutKindName[] {
  return PAYOUT_KINDS.filter((k) => kinds.includes(k));
}

export interface LevelRow {
  rank: number;
  name: string;
  firstOrderFen: number;
}

// Whether a new level table equals the current one (same ranks, names and first-order amounts).
export function sameLevels(current: readonly LevelRow[], next: readonly LevelRow[]): boolean {
  if (current.length !== next.length) return false;
  const byRank = new Map(current.map((l) => [l.rank, l]));
  return next.every((l) => {
    const old = byRank.get(l.rank);
    return old !== undefined && old.name === l.name && old.firstOrderFen === l.firstOrderFen;
  });
}

// The first rank among `ranks` (in the order given: the seller or buyer first) that a line has no price for, with
// the line's product: a level added after the product was priced leaves it unpriced for that level.
export function unpricedLine<L extends { prices: Readonly<Record<number, number>> }>(
  lines: readonly L[],
  ranks: readonly number[],
): { line: L; rank: number } | null {
  for (const rank of ranks) {
    const line = lines.find((l) => l.prices[rank] === undefined);
    if (line) return { line, rank };
  }
  return null;
}
