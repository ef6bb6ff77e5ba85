// Human order numbers: 18 digits people read, copy and search for, time-ordered to the second. The internal id
// (ord_…) stays for the API only.
//   8 digits: the date in China (UTC+8), 5: the second of that day, 5: random (a clash aborts the insert and the
//   order is written again with another tail).

const CHINA_OFFSET_MS = 8 * 3_600_000;

export function orderNumber(now: number, random: number): string {
  const china = new Date(now + CHINA_OFFSET_MS);
  const date = `${china.getUTCFullYear()}${pad(china.getUTCMonth() + 1, 2)}${pad(china.getUTCDate(), 2)}`;
  const second = china.getUTCHours() * 3600 + china.getUTCMinutes() * 60 + china.getUTCSeconds();
  return `${date}${pad(second, 5)}${pad(Math.floor(random * 100_000) % 100_000, 5)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

// What someone typed or pasted (spaces, dashes, full-width digits) as a stored order number, or null.
export function normaliseOrderNumber(input: string): string | null {
  const digits = input
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[\s\-－_]/g, '');
  return /^\d{18}$/.test(digits) ? digits : null;
}

// Carriers whose own tracking page takes the number in its address; any other carrier gets kuaidi100's query page,
// which knows every carrier in China.
const carriers: readonly { names: readonly string[]; url: (no: string) => string }[] = [
  { names: ['顺丰', 'SF'], url: (no) => `https://www.sf-express.com/chn/sc/waybill/waybill-detail/${no}` },
  { names: ['京东', 'JD'], url: (no) => `https://www.jdl.com/orderSearch/?waybillCodes=${no}` },
  { names: ['EMS', '邮政'], url: (no) => `https://www.ems.com.cn/queryList?mailNum=${no}` },
];

export function trackingUrl(carrier: string | null, trackingNo: string | null): string | null {
  if (!carrier || !trackingNo || !/^[A-Za-z0-9-]{4,40}$/.test(trackingNo)) return null;
  const no = encodeURIComponent(trackingNo);
  const known = carriers.find((c) => c.names.some((n) => carrier.toUpperCase().includes(n)));
  return known ? known.url(no) : `https://www.kuaidi100.com/chaxun?nu=${no}`;
}
