// China's 34 provincial divisions, to compare where a verification came from (the edge's geolocation) with the
// region an agent is authorized for (free Chinese text such as 浙江省杭州市).

export interface Province {
  /** Short Chinese name, as people write it: 浙江, 内蒙古, 香港. */
  zh: string;
  /** ISO 3166-2:CN letters, as Cloudflare's regionCode gives them (GD for 广东). */
  code: string;
  /** GB/T 2260 number, which older geolocation data uses as the region code (44 for 广东). */
  gb: string;
  /** English names as geolocation databases spell them. */
  en: readonly string[];
  /** Set for the divisions that arrive as a country of their own. */
  country?: string;
}

export const provinces: readonly Province[] = [
  { zh: '北京', code: 'BJ', gb: '11', en: ['Beijing'] },
  { zh: '天津', code: 'TJ', gb: '12', en: ['Tianjin'] },
  { zh: '河北', code: 'HE', gb: '13', en: ['Hebei'] },
  { zh: '山西', code: 'SX', gb: '14', en: ['Shanxi'] },
  { zh: '内蒙古', code: 'NM', gb: '15', en: ['Inner Mongolia', 'Nei Mongol', 'Inner Mongolia Autonomous Region'] },
  { zh: '辽宁', code: 'LN', gb: '21', en: ['Liaoning'] },
  { zh: '吉林', code: 'JL', gb: '22', en: ['Jilin'] },
  { zh: '黑龙江', code: 'HL', gb: '23', en: ['Heilongjiang'] },
  { zh: '上海', code: 'SH', gb: '31', en: ['Shanghai'] },
  { zh: '江苏', code: 'JS', gb: '32', en: ['Jiangsu'] },
  { zh: '浙江', code: 'ZJ', gb: '33', en: ['Zhejiang'] },
  { zh: '安徽', code: 'AH', gb: '34', en: ['Anhui'] },
  { zh: '福建', code: 'FJ', gb: '35', en: ['Fujian'] },
  { zh: '江西', code: 'JX', gb: '36', en: ['Jiangxi'] },
  { zh: '山东', code: 'SD', gb: '37', en: ['Shandong'] },
  { zh: '河南', code: 'HA', gb: '41', en: ['Henan'] },
  { zh: '湖北', code: 'HB', gb: '42', en: ['Hubei'] },
  { zh: '湖南', code: 'HN', gb: '43', en: ['Hunan'] },
  { zh: '广东', code: 'GD', gb: '44', en: ['Guangdong'] },
  { zh: '广西', code: 'GX', gb: '45', en: ['Guangxi', 'Guangxi Zhuang Autonomous Region'] },
  { zh: '海南', code: 'HI', gb: '46', en: ['Hainan'] },
  { zh: '重庆', code: 'CQ', gb: '50', en: ['Chongqing'] },
  { zh: '四川', code: 'SC', gb: '51', en: ['Sichuan'] },
  { zh: '贵州', code: 'GZ', gb: '52', en: ['Guizhou'] },
  { zh: '云南', code: 'YN', gb: '53', en: ['Yunnan'] },
  { zh: '西藏', code: 'XZ', gb: '54', en: ['Tibet', 'Xizang', 'Tibet Autonomous Region'] },
  { zh: '陕西', code: 'SN', gb: '61', en: ['Shaanxi'] },
  { zh: '甘肃', code: 'GS', gb: '62', en: ['Gansu'] },
  { zh: '青海', code: 'QH', gb: '63', en: ['Qinghai'] },
  { zh: '宁夏', code: 'NX', gb: '64', en: ['Ningxia', 'Ningxia Hui Autonomous Region'] },
  { zh: '新疆', code: 'XJ', gb: '65', en: ['Xinjiang', 'Xinjiang Uyghur Autonomous Region'] },
  { zh: '台湾', code: 'TW', gb: '71', en: ['Taiwan'], country: 'TW' },
  { zh: '香港', code: 'HK', gb: '81', en: ['Hong Kong'], country: 'HK' },
  { zh: '澳门', code: 'MO', gb: '82', en: ['Macao', 'Macau'], country: 'MO' },
];

// Longest names first, so a scan never takes a shorter name inside a longer one.
const byLength = [...provinces].sort((a, b) => b.zh.length - a.zh.length);

const simplify = (name: string) =>
  name
    .toLowerCase()
    .replace(/\b(province|municipality|sheng|shi|special administrative region|sar)\b/g, '')
    .replace(/[^a-z]/g, '');
const byEnglish = new Map(provinces.flatMap((p) => p.en.map((name) => [simplify(name), p] as const)));
const byCode = new Map(provinces.flatMap((p) => [[p.code, p] as const, [p.gb, p] as const]));
const byCountry = new Map(provinces.flatMap((p) => (p.country ? [[p.country, p] as const] : [])));

/**
 * Every province named in free text, in order: 浙江省杭州市 → [浙江]; 浙江、江苏 → [浙江, 江苏]. The text is read left
 * to right and a matched name is consumed, so 上海南汇区 is 上海 (not also 海南). 全国 or text naming none → [].
 */
export function provincesOfText(text: string | null | undefined): Province[] {
  const found: Province[] = [];
  const chars = [...(text ?? '')];
  for (let i = 0; i < chars.length; ) {
    const rest = chars.slice(i, i + 3).join('');
    const hit = byLength.find((p) => rest.startsWith(p.zh));
    if (!hit) {
      i++;
      continue;
    }
    if (!found.includes(hit)) found.push(hit);
    i += hit.zh.length;
  }
  return found;
}

/** The first province named in free text (浙江省杭州市 → 浙江), or null: no restriction. */
export function provinceOfText(text: string | null | undefined): Province | null {
  return provincesOfText(text)[0] ?? null;
}

/** What the edge tells about a request's origin (Cloudflare's request.cf). */
export interface CfGeo {
  country?: string | null | undefined;
  region?: string | null | undefined;
  regionCode?: string | null | undefined;
}

/** The province a request came from; Hong Kong, Macao and Taiwan arrive as their own countries. */
export function provinceOfCf(cf: CfGeo | null | undefined): Province | null {
  const country = cf?.country?.toUpperCase();
  if (!country) return null;
  const own = byCountry.get(country);
  if (own) return own;
  if (country !== 'CN') return null;
  const code = cf?.regionCode
    ?.toUpperCase()
    .replace(/^CN-/, '')
    .replace(/^(\d\d)0*$/, '$1');
  return (code ? byCode.get(code) : undefined) ?? byEnglish.get(simplify(cf?.region ?? '')) ?? null;
}

/** True when the request's province is known, the agent's authorization names provinces, and it is not one of them. */
export function outsideRegion(seen: Province | null, authorizedText: string | null | undefined): boolean {
  if (!seen) return false;
  const authorized = provincesOfText(authorizedText);
  return authorized.length > 0 && !authorized.includes(seen);
}
