import { useEffect, useState } from 'preact/hooks';
import { SelectField } from '../../components/Field';

import type { Region, Regions } from './regionText';

export { noRegion, type Region, regionText } from './regionText';

const text = {
  zh: { province: '省份', city: '城市', district: '区县', choose: '请选择', loading: '加载中…' },
  en: { province: 'Province', city: 'City', district: 'District', choose: 'Choose', loading: 'Loading…' },
};

// Fetched once, when a page first shows the picker (checkout and the address book): not in any page's bundle.
let cached: Promise<Regions | null> | null = null;
export function loadRegions(): Promise<Regions | null> {
  cached ??= fetch('/regions-cn.json')
    .then((res) => (res.ok ? (res.json() as Promise<Regions>) : null))
    .catch(() => null);
  return cached;
}

/** 省市区: three selects, each narrowing the next. */
export function RegionPicker(props: {
  value: Region;
  onChange: (r: Region) => void;
  lang: 'zh' | 'en';
  /** The selects' id prefix, unique on the page. */
  idPrefix?: string;
}) {
  const id = props.idPrefix ?? 'co-';
  const t = text[props.lang];
  const [regions, setRegions] = useState<Regions | null>(null);
  useEffect(() => {
    loadRegions().then(setRegions);
  }, []);
  const { province, city, district } = props.value;
  const cities = regions?.find(([p]) => p === province)?.[1] ?? [];
  const districts = (cities.find(([c]) => c === city)?.[1] ?? '').split('|').filter(Boolean);
  const option = (name: string) => (
    <option key={name} value={name}>
      {name}
    </option>
  );
  const first = <option value="">{regions ? t.choose : t.loading}</option>;
  return (
    <div class="region-picker">
      <SelectField
        id={`${id}province`}
        label={t.province}
        value={province}
        disabled={!regions}
        onChange={(e) => props.onChange({ province: e.currentTarget.value, city: '', district: '' })}
      >
        {first}
        {(regions ?? []).map(([p]) => option(p))}
      </SelectField>
      <SelectField
        id={`${id}city`}
        label={t.city}
        value={city}
        disabled={cities.length === 0}
        onChange={(e) => props.onChange({ province, city: e.currentTarget.value, district: '' })}
      >
        {first}
        {cities.map(([c]) => option(c))}
      </SelectField>
      <SelectField
        id={`${id}district`}
        label={t.district}
        value={district}
        disabled={districts.length === 0}
        onChange={(e) => props.onChange({ province, city, district: e.currentTarget.value })}
      >
        {first}
        {districts.map(option)}
      </SelectField>
    </div>
  );
}
