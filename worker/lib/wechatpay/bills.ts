// WeChat Pay's daily trade bills (交易账单, /v3/bill/tradebill): the request answers a download_url and the file's
// SHA1, the file is the CSV. bill_type SUCCESS lists the day's payments, REFUND its refunds.
import { z } from 'zod';
import { errorCodeOf, type PayClient } from './client';
import { WechatPayError } from './config';

export type BillType = 'SUCCESS' | 'REFUND';

const billSchema = z.object({ hash_type: z.string(), hash_value: z.string(), download_url: z.string().url() });

async function sha1Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The bill's CSV text; '' when WeChat Pay has no bill because nothing happened that day (NO_STATEMENT_EXIST). */
export async function downloadTradeBill(client: PayClient, day: string, type: BillType): Promise<string> {
  const answer = await client.call('GET', `/v3/bill/tradebill?bill_date=${day}&bill_type=${type}`);
  if (answer.status !== 200) {
    const code = errorCodeOf(answer);
    if (code === 'NO_STATEMENT_EXIST') return '';
    throw new WechatPayError('gateway', `WeChat Pay refused the ${type} bill of ${day}: ${code ?? answer.status}`);
  }
  const bill = billSchema.safeParse(answer.json);
  if (!bill.success) throw new WechatPayError('gateway', 'WeChat Pay answered the bill without a download_url');
  const bytes = new Uint8Array(await client.download(bill.data.download_url));
  // The file itself is not signed: its hash in the signed answer vouches for it.
  if (bill.data.hash_type.toUpperCase() !== 'SHA1' || (await sha1Hex(bytes)) !== bill.data.hash_value.toLowerCase()) {
    throw new WechatPayError('gateway', `The ${type} bill of ${day} does not match its hash`);
  }
  return new TextDecoder('utf-8').decode(bytes);
}
