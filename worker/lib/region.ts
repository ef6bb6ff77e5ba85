import type { Context } from 'hono';
import { type CfGeo, type Province, provinceOfCf } from '../domain/regions';
import type { AppEnv } from '../env';

export interface RequestRegion {
  /** The provincial division the request came from, when the edge knows it and it is in China. */
  province: Province | null;
  /** For logs people read: 广东 Shenzhen, or US California abroad; null when the edge says nothing. */
  label: string | null;
}

type Geo = CfGeo & { city?: string | null | undefined };

/** Where a request came from, as the edge tells it (Cloudflare's request.cf; tests pass `cf` to SELF.fetch). */
export function requestRegion(c: Context<AppEnv>): RequestRegion {
  const geo = (c.req.raw as Request & { cf?: Geo }).cf;
  const province = provinceOfCf(geo);
  const place = province ? [province.zh, geo?.city] : [geo?.country, geo?.region, geo?.city];
  return { province, label: place.filter(Boolean).join(' ') || null };
}
