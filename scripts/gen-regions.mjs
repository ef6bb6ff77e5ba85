#!/usr/bin/env node
// Writes site/public/regions-cn.json, the 省市区 picker's data (site/src/features/checkout/RegionPicker.tsx), from
// Vant's area data (@vant/area-data, MIT, youzan/vant; GB/T 2260 codes). Not a dependency: fetch it once and pass
// its CommonJS build:
//   npm pack @vant/area-data@2.1.0 && tar xzf vant-area-data-2.1.0.tgz
//   node scripts/gen-regions.mjs package/dist/index.cjs
// Output: [[province, [[city, "district|district|…"], …]], …] — names only (the address is stored as text), about
// 40 KB, fetched by the picker when it is first opened.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const source = process.argv[2];
if (!source) throw new Error('usage: node scripts/gen-regions.mjs <path to @vant/area-data dist/index.cjs>');
const { areaList } = createRequire(import.meta.url)(path.resolve(source));
/** @type {Record<string, string>} */
const provinces = areaList.province_list;
/** @type {Record<string, string>} */
const cities = areaList.city_list;
/** @type {Record<string, string>} */
const counties = areaList.county_list;

// Codes: 2 digits of province, 2 of city, 2 of district. Overseas (9xxxxx) is not a delivery address here.
const out = Object.entries(provinces)
  .filter(([code]) => !code.startsWith('9'))
  .map(([p, pName]) => [
    pName,
    Object.entries(cities)
      .filter(([c]) => c.slice(0, 2) === p.slice(0, 2))
      .map(([c, cName]) => [
        cName,
        Object.entries(counties)
          .filter(([d]) => d.slice(0, 4) === c.slice(0, 4))
          .map(([, dName]) => dName)
          .join('|'),
      ]),
  ]);
const file = path.resolve(import.meta.dirname, '..', 'site', 'public', 'regions-cn.json');
writeFileSync(file, `${JSON.stringify(out)}\n`);
console.log(`${file}: ${out.length} provinces`);
