import { eq } from 'drizzle-orm';
import type { Db } from '../worker/env';
import { agents, brand } from './schema';

// Who is paid for an order and how to pay them offline: the brand's or the agent's own payment note, and for an
// agent its WeChat ID (printed on its public certificate anyway).
export async function payeeDetails(db: Db, payeeId: string): Promise<{ name: string; payNote: string }> {
  if (payeeId === 'brand') {
    const [row] = await db.select({ name: brand.name, payNote: brand.payNote }).from(brand).where(eq(brand.id, 1));
    return { name: row?.name ?? '', payNote: row?.payNote ?? '' };
  }
  const [row] = await db
    .select({ name: agents.name, payNote: agents.payNote, wechat: agents.wechat })
    .from(agents)
    .where(eq(agents.id, payeeId))
    .limit(1);
  if (!row) return { name: '', payNote: '' };
  return { name: row.name, payNote: row.payNote || `微信号：${row.wechat}` };
}
