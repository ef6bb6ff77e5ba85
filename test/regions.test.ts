import { describe, expect, it } from 'vitest';
import regionsCn from '../site/public/regions-cn.json';
import { noRegion, type Regions, regionText, splitAddress } from '../site/src/features/checkout/regionText';
import { formatCode, isCode, normaliseCode, serialLabel } from '../worker/domain/codes';
import { outsideRegion, provinceOfCf, provinceOfText, provinces, provincesOfText } from '../worker/domain/regions';

describe('normaliseCode', () => {
  const code = '0123456789ABCDEF';
  it('keeps a bare code', () => expect(normaliseCode(code)).toBe(code));
  it('drops spaces and hyphens and upper-cases', () => {
    expect(normaliseCode(' 0123-4567 89ab-cdef ')).toBe(code);
  });
  it('reads I and L as 1 and O as 0, as Crockford does', () => {
    expect(normaliseCode('OI23-4567-89AB-CDEF')).toBe('0123456789ABCDEF');
    expect(normaliseCode('oL23456789abcdef')).toBe('0123456789ABCDEF');
  });
  it('accepts full-width characters typed on a Chinese keyboard', () => {
    expect(normaliseCode('０１２３－４５６７－８９ＡＢ－ＣＤＥＦ')).toBe(code);
  });
  it('refuses a wrong length, U and other characters', () => {
    for (const bad of [
      '',
      '0123-4567-89AB-CDE',
      '0123456789ABCDEF0',
      '0123456789ABCDEU',
      '0123456789ABCDE*',
      '防伪码',
    ]) {
      expect(normaliseCode(bad), bad).toBeNull();
    }
  });
  it('isCode accepts only the stored form', () => {
    expect(isCode(code)).toBe(true);
    expect(isCode('0123-4567-89AB-CDEF')).toBe(false);
    expect(isCode('0123456789abcdef')).toBe(false);
  });
});

describe('formatCode and serialLabel', () => {
  it('groups a code in fours', () => expect(formatCode('0123456789ABCDEF')).toBe('0123-4567-89AB-CDEF'));
  it('pads a serial to ten digits', () => {
    expect(serialLabel(1)).toBe('0000000001');
    expect(serialLabel(1_234_567_890)).toBe('1234567890');
  });
});

describe('provinces', () => {
  it('has the 34 provincial divisions with distinct names and codes', () => {
    expect(provinces).toHaveLength(34);
    expect(new Set(provinces.map((p) => p.zh)).size).toBe(34);
    expect(new Set(provinces.map((p) => p.code)).size).toBe(34);
    expect(new Set(provinces.map((p) => p.gb)).size).toBe(34);
  });
});

describe('provinceOfText', () => {
  const zh = (text: string) => provinceOfText(text)?.zh ?? null;
  it('finds the province in an agent’s region', () => {
    expect(zh('浙江省杭州市')).toBe('浙江');
    expect(zh('广东深圳')).toBe('广东');
    expect(zh('内蒙古自治区呼和浩特市')).toBe('内蒙古');
    expect(zh('广西壮族自治区南宁市')).toBe('广西');
    expect(zh('北京市朝阳区')).toBe('北京');
    expect(zh('黑龙江省哈尔滨市')).toBe('黑龙江');
    expect(zh('香港特别行政区')).toBe('香港');
    expect(zh('陕西省西安市')).toBe('陕西');
    expect(zh('山西省太原市')).toBe('山西');
  });
  it('reads left to right, so a name inside the next one does not count', () => {
    expect(provincesOfText('上海南汇区').map((p) => p.zh)).toEqual(['上海']);
    expect(provincesOfText('黑龙江西部').map((p) => p.zh)).toEqual(['黑龙江']);
  });
  it('lists every province a region names', () => {
    expect(provincesOfText('浙江、江苏、上海').map((p) => p.zh)).toEqual(['浙江', '江苏', '上海']);
  });
  it('is null for 全国, a city alone and empty text: no restriction', () => {
    for (const text of ['全国', '杭州市', '', null, undefined]) expect(provinceOfText(text)).toBeNull();
  });
});

describe('provinceOfCf', () => {
  const zh = (cf: Parameters<typeof provinceOfCf>[0]) => provinceOfCf(cf)?.zh ?? null;
  it('reads Cloudflare’s region code, letters or numbers', () => {
    expect(zh({ country: 'CN', region: 'Guangdong', regionCode: 'GD' })).toBe('广东');
    expect(zh({ country: 'CN', regionCode: '44' })).toBe('广东');
    expect(zh({ country: 'CN', regionCode: 'CN-ZJ' })).toBe('浙江');
  });
  it('falls back to the English region name', () => {
    expect(zh({ country: 'CN', region: 'Shaanxi' })).toBe('陕西');
    expect(zh({ country: 'CN', region: 'Shanxi' })).toBe('山西');
    expect(zh({ country: 'CN', region: 'Inner Mongolia' })).toBe('内蒙古');
    expect(zh({ country: 'CN', region: 'Tibet' })).toBe('西藏');
    expect(zh({ country: 'CN', region: 'Beijing Shi' })).toBe('北京');
  });
  it('takes Hong Kong, Macao and Taiwan from the country', () => {
    expect(zh({ country: 'HK', region: 'Central and Western' })).toBe('香港');
    expect(zh({ country: 'MO' })).toBe('澳门');
    expect(zh({ country: 'TW', region: 'Taipei City', regionCode: 'TPE' })).toBe('台湾');
  });
  it('is null abroad, without a country, and for a region it does not know', () => {
    expect(zh({ country: 'US', region: 'California', regionCode: 'CA' })).toBeNull();
    expect(zh({})).toBeNull();
    expect(zh(undefined)).toBeNull();
    expect(zh({ country: 'CN', region: 'Atlantis', regionCode: 'ZZ' })).toBeNull();
  });
});

describe('outsideRegion', () => {
  const guangdong = provinceOfCf({ country: 'CN', regionCode: 'GD' });
  const zhejiang = provinceOfCf({ country: 'CN', regionCode: 'ZJ' });
  it('is true only when both sides are known and differ', () => {
    expect(outsideRegion(guangdong, '浙江省杭州市')).toBe(true);
    expect(outsideRegion(zhejiang, '浙江省杭州市')).toBe(false);
    expect(outsideRegion(zhejiang, '浙江、江苏')).toBe(false);
    expect(outsideRegion(guangdong, '全国')).toBe(false);
    expect(outsideRegion(null, '浙江省杭州市')).toBe(false);
  });
});

describe('splitAddress (the address book reads a saved address back into the 省市区 picker)', () => {
  const regions = regionsCn as Regions;
  it('finds the province, city and district that regionText wrote, and the rest', () => {
    const region = { province: '浙江省', city: '杭州市', district: '西湖区' };
    expect(splitAddress(regions, `${regionText(region)} 文三路 100 号`)).toEqual({ region, rest: '文三路 100 号' });
  });
  it('reads a municipality written once (北京市海淀区)', () => {
    expect(splitAddress(regions, '北京市海淀区 中关村大街 1 号')).toEqual({
      region: { province: '北京市', city: '北京市', district: '海淀区' },
      rest: '中关村大街 1 号',
    });
  });
  it('keeps an address without a known region whole', () => {
    expect(splitAddress(regions, '  杭州西湖边 文三路 100 号 ')).toEqual({
      region: noRegion,
      rest: '杭州西湖边 文三路 100 号',
    });
    expect(splitAddress(regions, '浙江省某某市 文三路')).toEqual({ region: noRegion, rest: '浙江省某某市 文三路' });
  });
});
