/** site/public/regions-cn.json (scripts/gen-regions.mjs): [province, [city, "district|district|…"][]][] */
export type Regions = [string, [string, string][]][];

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

/**
 * A saved address read back into the picker: the region it starts with (as regionText writes it) and the rest.
 * An address typed without a known region keeps all of its text in `rest`.
 */
export function splitAddress(regions: Regions, address: string): { region: Region; rest: string } {
  const text = address.trim();
  for (const [province, cities] of regions) {
    if (!text.startsWith(province)) continue;
    const afterProvince = text.slice(province.length);
    for (const [city, districts] of cities) {
      const written = city === province ? '' : city;
      if (!afterProvince.startsWith(written)) continue;
      const afterCity = afterProvince.slice(written.length);
      // The longest district that fits, so 新区 never stands for 新区新城.
      const district = districts
        .split('|')
        .filter((d) => d && afterCity.startsWith(d))
        .sort((a, b) => b.length - a.length)[0];
      if (district) return { region: { province, city, district }, rest: afterCity.slice(district.length).trim() };
    }
  }
  return { region: noRegion, rest: text };
}
