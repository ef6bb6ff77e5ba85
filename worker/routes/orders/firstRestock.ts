import { firstRestockQueries } from '../../../db/firstRestock';
import { firstRestockShortfall } from '../../domain/firstOrder';
import type { Db } from '../../env';
import { AppError } from '../../errors';
import { formatFen } from '../../lib/money';

/** Refuses a first restock below the agent's level's 首单金额, naming the minimum and what is missing. */
export async function assertFirstRestock(db: Db, agent: { id: string; level: number }, amountFen: number) {
  const [applied, earlier, [level]] = await db.batch(firstRestockQueries(db, agent.id, agent.level));
  if (applied.length === 0) return;
  const short = firstRestockShortfall(amountFen, level?.firstOrderFen ?? 0, earlier.length > 0);
  if (short > 0) {
    throw new AppError('FIRST_ORDER_MINIMUM', {
      field: 'lines',
      params: {
        minimum: formatFen(level?.firstOrderFen ?? 0),
        level: level?.name ?? '',
        amount: formatFen(amountFen),
        short: formatFen(short),
      },
    });
  }
}
