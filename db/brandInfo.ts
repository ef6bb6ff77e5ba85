import { asc, eq } from 'drizzle-orm';
import type { Db } from '../worker/env';
import { type BrandTheme, brand, levels } from './schema';

export interface BrandInfo {
  name: string;
  sealText: string;
  logoUrl: string;
  theme: BrandTheme;
  levelNames: Map<number, string>;
}

// The brand's name, seal and level names change rarely and are read by every public page, so each isolate keeps
// them for a minute; a write in this isolate drops the copy at once.
const TTL_MS = 60_000;
let cached: { at: number; info: BrandInfo } | null = null;

export async function brandInfo(db: Db, now = Date.now()): Promise<BrandInfo> {
  if (cached && now - cached.at < TTL_MS) return cached.info;
  const [[row], levelRows] = await db.batch([
    db
      .select({ name: brand.name, sealText: brand.sealText, logoUrl: brand.logoUrl, theme: brand.theme })
      .from(brand)
      .where(eq(brand.id, 1))
      .limit(1),
    db.select({ rank: levels.rank, name: levels.name }).from(levels).orderBy(asc(levels.rank)),
  ]);
  const info = {
    name: row?.name ?? '',
    sealText: row?.sealText ?? '',
    logoUrl: row?.logoUrl ?? '',
    theme: row?.theme ?? 'teal',
    levelNames: new Map(levelRows.map((l) => [l.rank, l.name])),
  };
  cached = { at: now, info };
  return info;
}

export function forgetBrandInfo(): void {
  cached = null;
}
