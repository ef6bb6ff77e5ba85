import { encode } from 'uqr';

export interface CertificateView {
  brandName: string;
  sealText: string;
  number: string;
  agentName: string;
  levelName: string;
  region: string;
  wechat: string;
  validFrom: number; // ms epoch
  validUntil: number; // ms epoch
  status: 'valid' | 'suspended' | 'revoked' | 'expired';
  lookupUrl: string;
}

const WIDTH = 750;
const HEIGHT = 1050;
const FONT = 'PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif';
const GOLD = '#b8913a';
const GOLD_LIGHT = '#dcc48a';
const CREAM = '#fbf5e6';
const INK = '#3b2f1e';
const RED = '#c8161d';
const GREY = '#7a7a7a';
const MAX_FIELD = 40;

const STAMPS: Record<Exclude<CertificateView['status'], 'valid'>, { text: string; color: string }> = {
  suspended: { text: '已暂停', color: GREY },
  revoked: { text: '已撤销', color: RED },
  expired: { text: '已过期', color: GREY },
};

// Asia/Shanghai has been UTC+8 without DST since 1991; a fixed offset avoids relying on Intl time zone data.
const CHINA_OFFSET_MS = 8 * 3_600_000;

export function formatChinaDate(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const d = new Date(ms + CHINA_OFFSET_MS);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

export function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function isXmlChar(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  if (c === 0x9 || c === 0xa || c === 0xd) return true;
  if (c < 0x20) return false;
  if (c >= 0xd800 && c <= 0xdfff) return false; // lone surrogate
  return c !== 0xfffe && c !== 0xffff;
}

// Drops characters XML forbids, collapses whitespace, and clips absurdly long values so the layout holds.
function clean(s: string, max = MAX_FIELD): string {
  const chars = [...s].filter(isXmlChar);
  const text = chars.join('').replace(/\s+/g, ' ').trim();
  const cps = [...text];
  return cps.length > max ? `${cps.slice(0, max - 1).join('')}…` : text;
}

// Rough advance width in em, erring wide: CJK and full-width glyphs are square, Latin narrower.
function textWidth(s: string, fontSize: number): number {
  let em = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c >= 0x1100) em += 1;
    else if (/[A-Z@MWmw%]/.test(ch)) em += 0.78;
    else if (ch === ' ') em += 0.3;
    else em += 0.6;
  }
  return em * fontSize;
}

// Squeezes a single line into maxWidth when the estimate says it would overflow.
function squeeze(s: string, fontSize: number, maxWidth: number): string {
  return textWidth(s, fontSize) > maxWidth ? ` textLength="${maxWidth}" lengthAdjust="spacingAndGlyphs"` : '';
}

const n = (v: number): string => String(Math.round(v * 100) / 100);

interface Run {
  text: string;
  strong: boolean;
}

// Closing punctuation may not start a line (避头), so it hangs at the end of the previous one.
const NO_LINE_START = new Set([...'，。、：；！？）》」']);

// Lays out units (runs kept together when they fit on a line), splitting a unit by character only when it must.
function wrapUnits(units: Run[][], fontSize: number, maxWidth: number): Run[][] {
  const lines: Run[][] = [[]];
  let used = 0;
  const newLine = (): void => {
    lines.push([]);
    used = 0;
  };
  const put = (text: string, strong: boolean): void => {
    const line = lines[lines.length - 1] ?? [];
    const last = line[line.length - 1];
    if (last && last.strong === strong) last.text += text;
    else line.push({ text, strong });
    used += textWidth(text, fontSize);
  };
  for (const unit of units) {
    const w = unit.reduce((sum, r) => sum + textWidth(r.text, fontSize), 0);
    if (used > 0 && used + w > maxWidth && w - textWidth(' ', fontSize) <= maxWidth) newLine();
    for (const run of unit) {
      for (const ch of run.text) {
        if (used === 0 && ch === ' ') continue;
        if (used > 0 && used + textWidth(ch, fontSize) > maxWidth && !NO_LINE_START.has(ch)) {
          newLine();
          if (ch === ' ') continue;
        }
        put(ch, run.strong);
      }
    }
  }
  return lines.filter((l) => l.length > 0);
}

function qrPath(text: string): { d: string; size: number } {
  const qr = encode(text, { ecc: 'M', border: 0 });
  const parts: string[] = [];
  qr.data.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (!row[x]) {
        x++;
        continue;
      }
      const start = x;
      while (row[x]) x++;
      const len = x - start;
      parts.push(`M${start} ${y}h${len}v1h-${len}z`);
    }
  });
  return { d: parts.join(''), size: qr.size };
}

function starPoints(cx: number, cy: number, outer: number): string {
  const inner = outer * 0.382;
  const pts: string[] = [];
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? outer : inner;
    const a = (Math.PI / 5) * i;
    pts.push(`${n(cx + r * Math.sin(a))},${n(cy - r * Math.cos(a))}`);
  }
  return pts.join(' ');
}

function seal(cx: number, cy: number, text: string): string {
  const r = 86;
  const chars = [...text];
  const textR = 62;
  // Spread the characters over the upper arc, at most 250° so the bottom stays open like a real seal.
  const step = chars.length > 1 ? Math.min(30, 250 / chars.length) : 0;
  const fontSize = Math.min(24, Math.max(10, ((textR * step * Math.PI) / 180) * 0.9 || 24));
  const first = (-step * (chars.length - 1)) / 2;
  const glyphs = chars
    .map((ch, i) => {
      const deg = first + step * i;
      const rad = (deg * Math.PI) / 180;
      const x = cx + textR * Math.sin(rad);
      const y = cy - textR * Math.cos(rad);
      return `<text transform="translate(${n(x)} ${n(y)}) rotate(${n(deg)})" y="${n(fontSize * 0.36)}">${escapeXml(ch)}</text>`;
    })
    .join('');
  return [
    `<g class="seal" opacity="0.88" fill="${RED}">`,
    `<circle cx="${cx}" cy="${cy}" r="${r}" fill="none" stroke="${RED}" stroke-width="5"/>`,
    `<circle cx="${cx}" cy="${cy}" r="${r - 8}" fill="none" stroke="${RED}" stroke-width="1.2"/>`,
    `<polygon points="${starPoints(cx, cy + 4, 26)}"/>`,
    `<g font-size="${n(fontSize)}" font-weight="bold" text-anchor="middle">${glyphs}</g>`,
    '</g>',
  ].join('');
}

function frame(): string {
  const corner = (x: number, y: number, dx: number, dy: number): string =>
    `<path d="M${x} ${y + dy * 50}V${y}H${x + dx * 50}" fill="none" stroke="${GOLD}" stroke-width="3"/>` +
    `<rect x="${x + dx * 8 - 5}" y="${y + dy * 8 - 5}" width="10" height="10" fill="${GOLD}" transform="rotate(45 ${x + dx * 8} ${y + dy * 8})"/>`;
  return [
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="${CREAM}"/>`,
    `<rect x="18" y="18" width="${WIDTH - 36}" height="${HEIGHT - 36}" fill="none" stroke="${GOLD}" stroke-width="8"/>`,
    `<rect x="27" y="27" width="${WIDTH - 54}" height="${HEIGHT - 54}" fill="none" stroke="${GOLD_LIGHT}" stroke-width="1" stroke-dasharray="2 4"/>`,
    `<rect x="34" y="34" width="${WIDTH - 68}" height="${HEIGHT - 68}" fill="none" stroke="${GOLD}" stroke-width="2"/>`,
    corner(48, 48, 1, 1),
    corner(WIDTH - 48, 48, -1, 1),
    corner(48, HEIGHT - 48, 1, -1),
    corner(WIDTH - 48, HEIGHT - 48, -1, -1),
  ].join('');
}

function divider(y: number): string {
  const cx = WIDTH / 2;
  return (
    `<path d="M150 ${y}H${cx - 16}M${cx + 16} ${y}H${WIDTH - 150}" stroke="${GOLD}" stroke-width="1.5"/>` +
    `<rect x="${cx - 6}" y="${y - 6}" width="12" height="12" fill="${GOLD}" transform="rotate(45 ${cx} ${y})"/>`
  );
}

function stamp(status: CertificateView['status']): string {
  if (status === 'valid') return '';
  const { text, color } = STAMPS[status];
  const cx = WIDTH / 2;
  const cy = 560;
  return [
    `<g class="status-stamp" opacity="0.78" transform="rotate(-24 ${cx} ${cy})">`,
    `<rect x="${cx - 210}" y="${cy - 80}" width="420" height="160" rx="18" fill="none" stroke="${color}" stroke-width="9"/>`,
    `<rect x="${cx - 196}" y="${cy - 66}" width="392" height="132" rx="10" fill="none" stroke="${color}" stroke-width="2"/>`,
    `<text x="${cx + 10}" y="${cy + 36}" text-anchor="middle" font-size="100" font-weight="bold" letter-spacing="20" fill="${color}">${text}</text>`,
    '</g>',
  ].join('');
}

export function renderCertificateSvg(view: CertificateView): string {
  const agentName = clean(view.agentName);
  const brandName = clean(view.brandName);
  const levelName = clean(view.levelName);
  const region = clean(view.region);
  const wechat = clean(view.wechat);
  const number = clean(view.number);
  const sealText = clean(view.sealText, 24);
  const cx = WIDTH / 2;

  const plain = (text: string): Run => ({ text, strong: false });
  const bold = (text: string): Run => ({ text, strong: true });
  const units: Run[][] = [
    [plain('兹授权 '), bold(agentName)],
    [plain(' 为 '), bold(brandName)],
    [plain(' '), bold(levelName), plain('，')],
    [plain('授权区域：'), bold(region), plain('，')],
    [plain('微信号：'), bold(wechat)],
  ];
  const bodyLeft = 90;
  const bodyWidth = WIDTH - 2 * bodyLeft;
  let fontSize = 28;
  let lines = wrapUnits(units, fontSize, bodyWidth);
  while (lines.length > 5 && fontSize > 20) {
    fontSize -= 2;
    lines = wrapUnits(units, fontSize, bodyWidth);
  }
  const lineHeight = Math.round(fontSize * 1.85);
  // Centre the text block a little above the middle of the space between the divider and the QR row.
  const blockHeight = (lines.length - 1) * lineHeight + 70 + 46;
  const bodyTop = 330 + Math.max(0, Math.round((400 - blockHeight) / 3));
  const body = lines
    .map((line, i) => {
      const spans = line
        .map((r) =>
          r.strong
            ? `<tspan font-weight="bold" fill="#8a1c1c">${escapeXml(r.text)}</tspan>`
            : `<tspan>${escapeXml(r.text)}</tspan>`,
        )
        .join('');
      return `<text x="${bodyLeft}" y="${bodyTop + i * lineHeight}">${spans}</text>`;
    })
    .join('');

  const detailsTop = bodyTop + (lines.length - 1) * lineHeight + 70;
  const validity = `有效期：${formatChinaDate(view.validFrom)} 至 ${formatChinaDate(view.validUntil)}`;
  const numberLine = `证书编号：${number}`;

  const qrBox = 170;
  const qrPad = 8;
  const qrX = 90;
  const qrY = 780;
  const qr = qrPath(view.lookupUrl);
  const scale = (qrBox - 2 * qrPad) / qr.size;

  const issuer = `授权单位：${brandName}`;
  const issued = `签发日期：${formatChinaDate(view.validFrom)}`;
  const issuerRight = WIDTH - 90;
  const issuerWidth = issuerRight - (qrX + qrBox + 30);

  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" font-family="${FONT}">`,
    `<title>${escapeXml(`${brandName} 电子授权书 ${number}`)}</title>`,
    frame(),
    `<text x="${cx + 9}" y="175" text-anchor="middle" font-size="68" font-weight="bold" letter-spacing="18" fill="#8a1c1c">授权证书</text>`,
    `<text x="${cx}" y="220" text-anchor="middle" font-size="20" letter-spacing="4" fill="#9a7b2f">电子授权书 · CERTIFICATE OF AUTHORIZATION</text>`,
    divider(252),
    `<g font-size="${fontSize}" fill="${INK}">${body}</g>`,
    `<g font-size="24" fill="${INK}">`,
    `<text x="${bodyLeft}" y="${detailsTop}"${squeeze(validity, 24, bodyWidth)}>${escapeXml(validity)}</text>`,
    `<text x="${bodyLeft}" y="${detailsTop + 46}"${squeeze(numberLine, 24, bodyWidth)}>${escapeXml(numberLine)}</text>`,
    '</g>',
    `<rect x="${qrX}" y="${qrY}" width="${qrBox}" height="${qrBox}" fill="#fff" stroke="${GOLD}" stroke-width="1.5"/>`,
    `<path id="qr" transform="translate(${qrX + qrPad} ${qrY + qrPad}) scale(${Number(scale.toFixed(4))})" fill="#000" shape-rendering="crispEdges" d="${qr.d}"/>`,
    `<text x="${qrX + qrBox / 2}" y="${qrY + qrBox + 32}" text-anchor="middle" font-size="18" letter-spacing="2" fill="${INK}">扫码查询真伪</text>`,
    `<g font-size="24" fill="${INK}" text-anchor="end">`,
    `<text x="${issuerRight}" y="850"${squeeze(issuer, 24, issuerWidth)}>${escapeXml(issuer)}</text>`,
    `<text x="${issuerRight}" y="896">${escapeXml(issued)}</text>`,
    '</g>',
    seal(WIDTH - 190, 862, sealText),
    stamp(view.status),
    '</svg>',
  ];
  return svg.join('');
}
