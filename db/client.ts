import { drizzle } from 'drizzle-orm/d1';
import { type Meter, metered } from './metered';
import * as schema from './schema';

export function createDb(d1: D1Database, meter: Meter) {
  return drizzle(metered(d1, meter), { schema });
}
