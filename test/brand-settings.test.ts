import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  defaultSealText,
  duplicateName,
  sameLevels,
  settingsChange,
  setupRows,
  unpricedLine,
} from '../worker/domain/brandSettings';

const current = { ...DEFAULT_SETTINGS, name: '山茶', sealText: '山茶授权专用章' };

describe('settingsChange', () => {
  it('is null when the patch repeats the stored values, so nothing is written or audited', () => {
    expect(settingsChange(current, { name: '山茶', freezeDays: 7 })).toBeNull();
  });

  it('names only the fields that change, with their old and new values', () => {
    expect(settingsChange(current, { name: '山茶', freezeDays: 3, stockModel: 'cloud' })).toEqual({
      freezeDays: { from: 7, to: 3 },
      stockModel: { from: 'direct', to: 'cloud' },
    });
  });
});

describe('setupRows', () => {
  it('ranks the levels in the order given and fills the defaults', () => {
    const { settings, levels } = setupRows({
      name: '山茶',
      levels: [{ name: '联创', firstOrderFen: 100 }, { name: '总代' }],
      stockModel: 'cloud',
      freezeDays: 0,
      bindingPolicy: 'permanent',
    });
    expect(settings).toMatchObject({ sealText: '山茶授权专用章', rebindDays: 90, certValidDays: 365, freezeDays: 0 });
    expect(levels).toEqual([
      { rank: 1, name: '联创', firstOrderFen: 100 },
      { rank: 2, name: '总代', firstOrderFen: 0 },
    ]);
  });

  it('cuts the default seal text to the 24 characters a seal holds', () => {
    expect([...defaultSealText('很长很长很长很长很长很长很长很长很长很长很长')].length).toBe(24);
  });

  it('finds a repeated level name', () => {
    expect(duplicateName(['联创', '总代', '联创'])).toBe('联创');
    expect(duplicateName(['联创', '总代'])).toBeNull();
  });
});

describe('sameLevels', () => {
  const table = [
    { rank: 1, name: '联创', firstOrderFen: 0 },
    { rank: 2, name: '总代', firstOrderFen: 0 },
  ];
  it('is true only for the same ranks, names and first-order amounts', () => {
    expect(sameLevels(table, [...table].reverse())).toBe(true);
    expect(sameLevels(table, table.slice(0, 1))).toBe(false);
    expect(sameLevels(table, [table[0] as (typeof table)[0], { rank: 2, name: '总代', firstOrderFen: 1 }])).toBe(false);
  });
});

describe('unpricedLine', () => {
  const lines: { name: string; prices: Record<number, number> }[] = [
    { name: 'A', prices: { 1: 100, 2: 200, 3: 300 } },
    { name: 'B', prices: { 1: 100, 2: 200 } },
  ];
  it('names the first line without a price for the seller’s level, or the level above it', () => {
    expect(unpricedLine(lines, [3, 1])).toEqual({ line: lines[1], rank: 3 });
    expect(unpricedLine(lines, [2, 1])).toBeNull();
  });
});
