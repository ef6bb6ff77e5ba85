import { useEffect, useState } from 'preact/hooks';
import { SelectField } from '../../components/Field';

/** site/public/regions-cn.json (scripts/gen-regions.mjs): [province, [city, "district|district|…"][]][] */
type Regions = [string, [string, string][]][];

export interface Region {
  province: string;
  city: string;
  district: string;
}

export const noRegion: Region = { province: '', city: '', district: '' };

/** The region as written before the street address; a municipality's city repeats its name, written once. */
export function regionText(r: Region): string {
  if (!r.province || !r.city || !r.district) return '';
  return `${r.province}${r.city === r.province ? '' : r.city}${r.district}`;
}

const text = {
  zh: { province: '省份', city: '城市', district: '区县', choose: '请选择', loading: '加载中…' },
  en: { province: 'Province', city: 'City', district: 'District', choose: 'Choose', loading: 'Loading…' },
};

// Fetched once, when a page first shows the picker (checkout only): not in any page's bundle.
let cached: Promise<Regions | null> | null = null;
function loadRegions(): Promise<Regions | null> {
  cached ??= fetch('/regions-cn.json')
    .then((res) => (res.ok ? (res.json() as Promise<Regions>) : null))
    .catch(() => null);
  return cached;
}

/** 省市区: three selects, each narrowing the next. */
export function RegionPicker(props: { value: Region; onChange: (r: Region) => void; lang: 'zh' | 'en' }) {
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
        id="co-province"
        label={t.province}
        value={province}
        disabled={!regions}
        onChange={(e) => props.onChange({ province: e.currentTarget.value, city: '', district: '' })}
      >
        {first}
        {(regions ?? []).map(([p]) => option(p))}
      </SelectField>
      <SelectField
        id="co-city"
        label={t.city}
        value={city}
        disabled={cities.length === 0}
        onChange={(e) => props.onChange({ province, city: e.currentTarget.value, district: '' })}
      >
        {first}
        {cities.map(([c]) => option(c))}
      </SelectField>
      <SelectField
        id="co-district"
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
