import { eq } from 'drizzle-orm';
import { levels } from '../../../db/schema';
import { unpricedLine } from '../../domain/brandSettings';
import type { LineInput } from '../../domain/orderFlow';
import type { Db } from '../../env';
import { AppError } from '../../errors';

// A product the brand has not priced for a level in the chain (seller or buyer first) cannot be sold through it;
// the error names the level, which is read only on this refusal.
export async function assertPriced(
  db: Db,
  lines: readonly (LineInput & { name: string })[],
  chain: readonly { level: number }[],
): Promise<void> {
  const missing = unpricedLine(
    lines,
    chain.map((a) => a.level),
  );
  if (!missing) return;
  const [level] = await db.select({ name: levels.name }).from(levels).where(eq(levels.rank, missing.rank)).limit(1);
  throw new AppError('PRICE_MISSING_FOR_LEVEL', {
    field: 'lines',
    params: { name: missing.line.name, level: level?.name ?? String(missing.rank) },
  });
}
