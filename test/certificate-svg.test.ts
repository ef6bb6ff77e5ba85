import { encode } from 'uqr';
import { describe, expect, it } from 'vitest';
import { type CertificateView, formatChinaDate, renderCertificateSvg } from '../worker/domain/certificateSvg';

// 2024-03-05 10:00 UTC and 2025-03-04 16:30 UTC, the latter already 2025-03-05 00:30 in China.
const FROM = Date.UTC(2024, 2, 5, 10, 0);
const UNTIL = Date.UTC(2025, 2, 4, 16, 30);

const view = (over: Partial<CertificateView> = {}): CertificateView => ({
  brandName: '雅颜美妆',
  sealText: '雅颜美妆有限公司授权专用章',
  number: 'AG2024ABCDEFGHJKMNPQRSTV',
  agentName: '张三丰',
  levelName: '省级代理',
  region: '浙江省杭州市',
  wechat: 'zhang_sf88',
  validFrom: FROM,
  validUntil: UNTIL,
  status: 'valid',
  lookupUrl: 'https://agentry.example.com/verify/AG2024ABCDEFGHJKMNPQRSTV',
  ...over,
});

const STAMPS = ['已暂停', '已撤销', '已过期'];

function qrGrid(svg: string): boolean[][] {
  const d = /<path id="qr"[^>]* d="([^"]*)"/.exec(svg)?.[1];
  expect(d).toBeDefined();
  const grid: boolean[][] = [];
  for (const m of (d ?? '').matchAll(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/g)) {
    const [x, y, w, back] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
    expect(back).toBe(w);
    const row = grid[y] ?? [];
    grid[y] = row;
    for (let i = x; i < x + w; i++) {
      expect(row[i]).toBeUndefined();
      row[i] = true;
    }
  }
  return grid;
}

describe('formatChinaDate', () => {
  it('formats in UTC+8', () => expect(formatChinaDate(FROM)).toBe('2024年3月5日'));
  it('rolls over to the next day after 16:00 UTC', () => {
    expect(formatChinaDate(Date.UTC(2023, 11, 31, 15, 59, 59))).toBe('2023年12月31日');
    expect(formatChinaDate(Date.UTC(2023, 11, 31, 16, 0))).toBe('2024年1月1日');
  });
});

describe('renderCertificateSvg', () => {
  const svg = renderCertificateSvg(view());

  it('is a standalone SVG document of a sane size', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg).toContain('viewBox="0 0 750 1050"');
    expect(svg).toContain('font-family="PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif"');
    expect(svg.match(/<svg/g)).toHaveLength(1);
    expect(svg.length).toBeLessThan(60_000);
  });

  it('shows the certificate details', () => {
    for (const s of [
      '授权证书',
      '电子授权书',
      '兹授权',
      '张三丰',
      '雅颜美妆',
      '省级代理',
      '浙江省杭州市',
      'zhang_sf88',
    ]) {
      expect(svg).toContain(s);
    }
    expect(svg).toContain('证书编号：AG2024ABCDEFGHJKMNPQRSTV');
    expect(svg).toContain('有效期：2024年3月5日 至 2025年3月5日');
    expect(svg).toContain('扫码查询真伪');
  });

  it('draws the seal with its text around the arc and a star', () => {
    const seal = /<g class="seal"[\s\S]*?<\/g><\/g>/.exec(svg)?.[0] ?? '';
    expect(seal).toContain('<circle');
    expect(seal).toContain('<polygon');
    const chars = [...seal.matchAll(/rotate\([^)]*\)" y="[^"]*">([^<]+)<\/text>/g)].map((m) => m[1]).join('');
    expect(chars).toBe('雅颜美妆有限公司授权专用章');
  });

  it('encodes the lookup URL as a QR code, one mark per dark module', () => {
    const { data } = encode(view().lookupUrl, { ecc: 'M' });
    const dark = data.flat().filter(Boolean).length;
    const grid = qrGrid(svg);
    expect(grid.flat().filter(Boolean).length).toBe(dark);
    // Same matrix, cell by cell (the SVG leaves out uqr's one-module border).
    const bare = encode(view().lookupUrl, { ecc: 'M', border: 0 }).data;
    bare.forEach((row, y) => {
      row.forEach((cell, x) => {
        expect(grid[y]?.[x] === true).toBe(cell);
      });
    });
  });

  it('escapes every text value', () => {
    const evil = `<script>&"'`;
    const out = renderCertificateSvg(
      view({
        agentName: evil,
        brandName: evil,
        levelName: evil,
        region: evil,
        wechat: evil,
        number: evil,
        sealText: evil,
      }),
    );
    expect(out).not.toContain('<script>');
    expect(out).not.toContain(`"'`);
    expect(out).toContain('&lt;script&gt;&amp;&quot;&apos;');
    // Seal characters are placed one by one, each escaped on its own.
    expect(out).toContain('>&lt;</text>');
    expect(out).toContain('>&amp;</text>');
  });

  it('drops characters XML forbids', () => {
    const out = renderCertificateSvg(view({ agentName: 'A\u0000B\u0007C\uD800D' }));
    expect(out).toContain('ABCD');
    const bad = [...out].filter((ch) => {
      const c = ch.codePointAt(0) ?? 0;
      return (c < 0x20 && c !== 0x9 && c !== 0xa && c !== 0xd) || (c >= 0xd800 && c <= 0xdfff);
    });
    expect(bad).toEqual([]);
  });

  it('stays within bounds for very long values', () => {
    const long = '很长的名字'.repeat(200);
    const out = renderCertificateSvg(
      view({ agentName: long, brandName: long, region: long, wechat: 'w'.repeat(500), sealText: long }),
    );
    expect(out.length).toBeLessThan(60_000);
    expect(out.endsWith('</svg>')).toBe(true);
    // Wrapped lines never start with a comma (避头).
    expect(out).not.toMatch(/<text x="90" y="\d+"><tspan[^>]*>，/);
  });
});

describe('status stamp', () => {
  it('a valid certificate has no stamp', () => {
    const svg = renderCertificateSvg(view());
    expect(svg).not.toContain('status-stamp');
    for (const s of STAMPS) expect(svg).not.toContain(s);
  });

  it.each([
    ['suspended', '已暂停'],
    ['revoked', '已撤销'],
    ['expired', '已过期'],
  ] as const)('%s shows %s', (status, text) => {
    const svg = renderCertificateSvg(view({ status }));
    expect(svg).toContain('class="status-stamp"');
    expect(svg).toContain(`>${text}</text>`);
    for (const s of STAMPS.filter((s) => s !== text)) expect(svg).not.toContain(s);
  });
});
